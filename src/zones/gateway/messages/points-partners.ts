import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';

const partnerId = Type.String({ pattern: '^[a-z0-9-]{1,40}$', maxLength: 40 });
const uuid = Type.String({ format: 'uuid', maxLength: 36 });
const month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', maxLength: 7 });
const count = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 });

/**
 * A partner company (地域経済応援ポイント) as the municipality's staff registered it in lgwan:
 * its Ed25519 public key (SPKI PEM; only ever a public key), the rate and the daily cap.
 * lgwan → internet (pulled).
 */
export const pointsPartnerPayload = Type.Object(
  {
    partnerId,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    publicKeyPem: Type.String({ minLength: 1, maxLength: 2_000 }),
    rate: Type.Object(
      {
        partnerPoints: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
        points: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
      },
      { additionalProperties: false },
    ),
    dailyCapPoints: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    active: Type.Boolean(),
    /** How many times staff saved this partner: the internet zone keeps only a newer one. */
    revision: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  },
  { additionalProperties: false },
);
export type PointsPartnerPayload = Static<typeof pointsPartnerPayload>;

export const pointsPartnerV1 = defineMessageType({
  type: 'points.partner',
  version: 1,
  payload: pointsPartnerPayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});

/** Staff ask for a month's partner invoices. lgwan → internet (pulled); answered by points.invoices. */
export const pointsInvoiceRequestPayload = Type.Object(
  { requestId: uuid, month },
  { additionalProperties: false },
);
export type PointsInvoiceRequestPayload = Static<typeof pointsInvoiceRequestPayload>;

export const pointsInvoiceRequestV1 = defineMessageType({
  type: 'points.invoice-request',
  version: 1,
  payload: pointsInvoiceRequestPayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});

/** More partners than this would not fit one message; a municipality has a handful. */
export const MAX_INVOICED_PARTNERS = 500;

/**
 * What each partner of the municipality converted in the month and is invoiced for
 * (1 point = 1 yen): counts only, no resident. internet → lgwan (pushed, to the request).
 */
export const pointsInvoicesPayload = Type.Object(
  {
    requestId: uuid,
    month,
    computedAt: Type.String({ format: 'date-time', maxLength: 40 }),
    invoices: Type.Array(
      Type.Object(
        {
          partnerId,
          name: Type.String({ minLength: 1, maxLength: 100 }),
          exchanges: count,
          partnerPoints: count,
          points: count,
          amountYen: count,
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_INVOICED_PARTNERS },
    ),
  },
  { additionalProperties: false },
);
export type PointsInvoicesPayload = Static<typeof pointsInvoicesPayload>;

export const pointsInvoicesV1 = defineMessageType({
  type: 'points.invoices',
  version: 1,
  payload: pointsInvoicesPayload,
  routes: [{ from: 'internet', to: 'lgwan' }],
  tenant: 'required',
});
