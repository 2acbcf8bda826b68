import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';

/** 100 characters as staff count them (code points): up to 200 UTF-16 units. */
const name = Type.String({ minLength: 1, maxLength: 200 });
const instant = Type.Union([Type.String({ format: 'date-time', maxLength: 40 }), Type.Null()]);

/**
 * A premium points offer as points staff saved it in lgwan, with public money added to its
 * budget, lgwan → internet (pulled). `revision` counts the saves (an older one never replaces
 * a newer); `funding.fundingId` names the ledger transfer, so the money is posted once however
 * often the message arrives.
 */
export const pointsPremiumOfferPayload = Type.Object(
  {
    offerId: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    name: Type.Object({ ja: name, en: name }, { additionalProperties: false }),
    priceYen: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    points: Type.Integer({ minimum: 1, maximum: 2_000_000 }),
    maxUnitsPerPerson: Type.Integer({ minimum: 1, maximum: 99 }),
    pointsExpireOn: Type.Union([Type.String({ format: 'date', maxLength: 10 }), Type.Null()]),
    salesFrom: instant,
    salesUntil: instant,
    active: Type.Boolean(),
    revision: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    funding: Type.Union([
      Type.Object(
        {
          fundingId: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
          points: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
export type PointsPremiumOfferPayload = Static<typeof pointsPremiumOfferPayload>;

export const pointsPremiumOfferV1 = defineMessageType({
  type: 'points.premium-offer',
  version: 1,
  payload: pointsPremiumOfferPayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});
