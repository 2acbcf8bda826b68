import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { MachiError } from '../../../core/index.ts';

/**
 * What a resident signs (and what crosses inward): the procedure, the municipality, the form
 * data and the attachments by the SHA-256 of their rebuilt files, as UTF-8 JSON. The portal
 * builds it, the card signs exactly these bytes, and they are stored as they came, so the
 * signature stays verifiable by anyone later.
 */
export const SignedDocument = Type.Object(
  {
    procedureId: Type.String({ maxLength: 80 }),
    municipalityCode: Type.String({ pattern: '^[0-9]{6}$' }),
    data: Type.Record(Type.String(), Type.Unknown()),
    attachments: Type.Array(
      Type.Object(
        {
          id: Type.String({ maxLength: 80 }),
          uploadId: Type.String({ format: 'uuid', maxLength: 36 }),
          sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    /** When the resident filed (their clock): part of what is signed, so two filings differ. */
    filedAt: Type.String({ format: 'date-time', maxLength: 40 }),
  },
  { additionalProperties: false },
);
export interface SignedDocument {
  readonly procedureId: string;
  readonly municipalityCode: string;
  readonly data: Record<string, unknown>;
  readonly attachments: readonly { id: string; uploadId: string; sha256: string }[];
  readonly filedAt: string;
}

const check = Compile(SignedDocument);
/** A form's data as JSON stays far below this; attachments travel separately. */
export const MAX_DOCUMENT_BYTES = 128 * 1024;
/** A CMS signature with the signer's certificate is a few KiB. */
export const MAX_SIGNATURE_BYTES = 16 * 1024;

export function parseSignedDocument(bytes: Uint8Array): SignedDocument {
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new MachiError('payload-too-large', `The filing is larger than ${MAX_DOCUMENT_BYTES} bytes.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new MachiError('validation-failed', 'The filing is not UTF-8 JSON.');
  }
  if (!check.Check(value)) {
    const errors = [...check.Errors(value)].map((error) => ({
      path: error.instancePath || '/',
      problem: error.message,
    }));
    throw new MachiError('validation-failed', 'The filing does not have the shape of a filing.', { errors });
  }
  return value as SignedDocument;
}
