import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';
import { sha256Hex } from './sha256.ts';

const merchantId = Type.String({ pattern: '^[a-z0-9-]{1,32}$' });
/** A terminal key's public id, as newTerminalKey('mk') makes it. */
const keyId = Type.String({ pattern: '^mk_[A-Za-z0-9_-]{16}$' });

/**
 * A merchant (加盟店) as points staff saved it in lgwan, lgwan → internet (pulled): the names
 * for pages and the QR code, fee, settlement account (holder in Zengin's half-width kana) and
 * whether it takes points. `revision` counts the saves, so an older one never replaces a newer.
 */
export const pointsMerchantPayload = Type.Object(
  {
    merchantId,
    // 50 characters as staff count them (code points): up to 100 UTF-16 units.
    name: Type.String({ minLength: 1, maxLength: 100 }),
    nameLatin: Type.String({ pattern: '^[\\x20-\\x7e]{1,25}$' }),
    cityLatin: Type.String({ pattern: '^[\\x20-\\x7e]{1,15}$' }),
    categoryCode: Type.String({ pattern: '^\\d{4}$' }),
    postalCode: Type.Union([Type.String({ pattern: '^\\d{7}$' }), Type.Null()]),
    feeBasisPoints: Type.Integer({ minimum: 0, maximum: 10_000 }),
    bank: Type.Union([
      Type.Object(
        {
          bankCode: Type.String({ pattern: '^\\d{4}$' }),
          branchCode: Type.String({ pattern: '^\\d{3}$' }),
          accountType: Type.Union([Type.Literal('1'), Type.Literal('2')]),
          accountNumber: Type.String({ pattern: '^\\d{7}$' }),
          holderKana: Type.String({ minLength: 1, maxLength: 30 }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    active: Type.Boolean(),
    revision: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
  },
  { additionalProperties: false },
);
export type PointsMerchantPayload = Static<typeof pointsMerchantPayload>;

export const pointsMerchantV1 = defineMessageType({
  type: 'points.merchant',
  version: 1,
  payload: pointsMerchantPayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});

/**
 * A terminal key staff issued in lgwan for one of a merchant's terminals: only the SHA-256 of
 * its secret goes out (the token was shown once, on the page). lgwan → internet (pulled).
 */
export const pointsMerchantKeyPayload = Type.Object(
  {
    merchantId,
    keyId,
    secretSha256: sha256Hex(),
    // 40 characters as staff count them (code points): up to 80 UTF-16 units.
    label: Type.String({ minLength: 1, maxLength: 80 }),
  },
  { additionalProperties: false },
);
export type PointsMerchantKeyPayload = Static<typeof pointsMerchantKeyPayload>;

export const pointsMerchantKeyV1 = defineMessageType({
  type: 'points.merchant-key',
  version: 1,
  payload: pointsMerchantKeyPayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});

/** A terminal key staff revoked in lgwan: its terminal is refused from then on. lgwan → internet (pulled). */
export const pointsMerchantKeyRevocationPayload = Type.Object(
  { merchantId, keyId },
  { additionalProperties: false },
);
export type PointsMerchantKeyRevocationPayload = Static<typeof pointsMerchantKeyRevocationPayload>;

export const pointsMerchantKeyRevocationV1 = defineMessageType({
  type: 'points.merchant-key-revocation',
  version: 1,
  payload: pointsMerchantKeyRevocationPayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});
