import { Type } from 'typebox';
import { MAX_DOCUMENT_BYTES, MAX_SIGNATURE_BYTES } from '../submissions/signed-document.ts';

const base64 = (maxBytes: number) =>
  Type.String({ minLength: 4, maxLength: Math.ceil(maxBytes / 3) * 4, pattern: '^[A-Za-z0-9+/]+={0,2}$' });

/** A signed document posted to the API: a filing, or a correction as the filing's next version. */
export const SignedBody = Type.Object(
  {
    /** Made by the portal once per filing: a double click or a retry sends the same one. */
    idempotencyKey: Type.String({ format: 'uuid', maxLength: 36 }),
    /** The exact bytes the card signed (UTF-8 JSON: procedure, municipality, data, attachments). */
    document: base64(MAX_DOCUMENT_BYTES),
    /** CMS detached signature with the card's signing certificate (署名用電子証明書). */
    signature: Type.Optional(base64(MAX_SIGNATURE_BYTES)),
  },
  { additionalProperties: false },
);

/** A posted signed document with its bytes decoded (the route's schema has checked the base64). */
export function signedBytes(body: {
  readonly idempotencyKey: string;
  readonly document: string;
  readonly signature?: string | undefined;
}): { idempotencyKey: string; document: Uint8Array; signature: Uint8Array | undefined } {
  return {
    idempotencyKey: body.idempotencyKey,
    document: new Uint8Array(Buffer.from(body.document, 'base64')),
    signature: body.signature ? new Uint8Array(Buffer.from(body.signature, 'base64')) : undefined,
  };
}
