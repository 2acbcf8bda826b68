import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';

// A PKCS#10 request for an RSA-2048 key is ~650 bytes of DER: base64 well under 2 KiB.
const csr = Type.String({ minLength: 100, maxLength: 2048, pattern: '^[A-Za-z0-9+/]+={0,2}$' });

/**
 * A browser card's request for its certificates, made on the portal. It enters from
 * the internet, so its schema is closed and bounded (the sanitizer lets nothing else
 * through): an id, the code the resident brings to the counter, two requests, an expiry.
 * The internet zone has checked the requests already; mynumber's CA checks them again.
 */
export const cardRequestPayload = Type.Object(
  {
    requestId: Type.String({ format: 'uuid', maxLength: 36 }),
    code: Type.String({ pattern: '^[A-HJ-NP-Z2-9]{8}$', maxLength: 8 }),
    requests: Type.Object({ auth: csr, signing: csr }, { additionalProperties: false }),
    expiresAt: Type.String({ format: 'date-time', maxLength: 40 }),
  },
  { additionalProperties: false },
);
export type CardRequestPayload = Static<typeof cardRequestPayload>;

/** internet → lgwan (pushed, sanitized), then lgwan → mynumber (pulled). */
export const cardRequestV1 = defineMessageType({
  type: 'jpki.card-request',
  version: 1,
  payload: cardRequestPayload,
  routes: [
    { from: 'internet', to: 'lgwan' },
    { from: 'lgwan', to: 'mynumber' },
  ],
  tenant: 'required',
});

const pem = Type.String({ maxLength: 8192, pattern: '^-----BEGIN CERTIFICATE-----' });

/** The certificates issued at the counter for a request, on their way back to the browser. */
export const cardDeliveryPayload = Type.Object(
  {
    requestId: Type.String({ format: 'uuid', maxLength: 36 }),
    certificates: Type.Object({ auth: pem, signing: pem }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type CardDeliveryPayload = Static<typeof cardDeliveryPayload>;

/** mynumber → lgwan (pushed), then lgwan → internet (pulled). */
export const cardDeliveryV1 = defineMessageType({
  type: 'jpki.card-delivery',
  version: 1,
  payload: cardDeliveryPayload,
  routes: [
    { from: 'mynumber', to: 'lgwan' },
    { from: 'lgwan', to: 'internet' },
  ],
  tenant: 'required',
});
