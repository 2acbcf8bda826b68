import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';
import { base64Text } from './base64.ts';

const kind = Type.Union([Type.Literal('auth'), Type.Literal('signing')]);
const instant = Type.String({ format: 'date-time', maxLength: 40 });
const reasons = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
].map((reason) => Type.Literal(reason));

/**
 * One certificate's status as the mynumber zone (the CA) decided it: issued, or revoked
 * with time and reason. For an auth certificate, `subjectId` is the holder's pseudonym —
 * the only identity that leaves mynumber; a signing certificate names no holder here.
 * `version` orders changes that arrive out of order.
 */
export const certificateStatusPayload = Type.Object(
  {
    serialNumber: Type.String({ pattern: '^[0-9a-f]{1,40}$', maxLength: 40 }),
    kind,
    notAfter: instant,
    revokedAt: Type.Union([instant, Type.Null()]),
    reason: Type.Union([Type.Union(reasons), Type.Null()]),
    subjectId: Type.Union([Type.String({ format: 'uuid', maxLength: 36 }), Type.Null()]),
    version: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type CertificateStatusPayload = Static<typeof certificateStatusPayload>;

/** mynumber → lgwan (pushed), then lgwan → internet (pulled): feeds OCSP and sign-in. */
export const certificateStatusV1 = defineMessageType({
  type: 'jpki.certificate-status',
  version: 1,
  payload: certificateStatusPayload,
  routes: [
    { from: 'mynumber', to: 'lgwan' },
    { from: 'lgwan', to: 'internet' },
  ],
  tenant: 'required',
});

/** A CRL as its CA signed it (DER, base64): relying parties check the signature themselves. */
export const crlPayload = Type.Object(
  {
    kind,
    crlNumber: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    // Within the gateway's envelope limit (256 KiB): ~4,000 revoked serials. A deployment
    // past that needs CRLs partitioned by distribution point (RFC 5280 §5.2.5).
    crl: base64Text(150_000),
    thisUpdate: instant,
    nextUpdate: instant,
  },
  { additionalProperties: false },
);
export type CrlPayload = Static<typeof crlPayload>;

/** mynumber → lgwan → internet: served at /jpki/crl/<kind>.crl. CA-wide, so no municipality. */
export const crlV1 = defineMessageType({
  type: 'jpki.crl',
  version: 1,
  payload: crlPayload,
  routes: [
    { from: 'mynumber', to: 'lgwan' },
    { from: 'lgwan', to: 'internet' },
  ],
  tenant: 'none',
});
