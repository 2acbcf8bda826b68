import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';
import { sha256Hex } from './sha256.ts';

const name = Type.String({ minLength: 1, maxLength: 100 });

/** An earning programme as the municipality's staff wrote it in lgwan, lgwan → internet (pulled). */
export const pointsProgrammePayload = Type.Object(
  {
    programmeId: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    name: Type.Object({ ja: name, en: name }, { additionalProperties: false }),
    points: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    capPoints: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    capPeriod: Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('fiscal-year')]),
    expiryMonths: Type.Union([Type.Integer({ minimum: 1, maximum: 120 }), Type.Null()]),
    minAge: Type.Union([Type.Integer({ minimum: 1, maximum: 130 }), Type.Null()]),
    active: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type PointsProgrammePayload = Static<typeof pointsProgrammePayload>;

export const pointsProgrammeV1 = defineMessageType({
  type: 'points.programme',
  version: 1,
  payload: pointsProgrammePayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});

/**
 * A batch of participation codes made in lgwan: only their SHA-256 digests go out, so the codes
 * themselves exist only on the sheet staff print. lgwan → internet (pulled).
 */
export const pointsGrantCodesPayload = Type.Object(
  {
    programmeId: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    batchId: Type.String({ pattern: '^[A-Za-z0-9-]{1,60}$' }),
    validUntil: Type.String({ format: 'date-time', maxLength: 40 }),
    digests: Type.Array(sha256Hex(), { minItems: 1, maxItems: 1_000 }),
  },
  { additionalProperties: false },
);
export type PointsGrantCodesPayload = Static<typeof pointsGrantCodesPayload>;

export const pointsGrantCodesV1 = defineMessageType({
  type: 'points.grant-codes',
  version: 1,
  payload: pointsGrantCodesPayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});
