import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';

const points = Type.Integer({ minimum: -1_000_000_000_000, maximum: 1_000_000_000_000 });

/**
 * A municipality's points day by day (Japan time) and what residents hold now: aggregates of
 * the internet zone's ledger for the staff dashboard in lgwan. No resident or merchant crosses.
 */
export const pointsFiguresPayload = Type.Object(
  {
    computedAt: Type.String({ format: 'date-time', maxLength: 40 }),
    outstanding: points,
    holders: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    days: Type.Array(
      Type.Object(
        {
          day: Type.String({ format: 'date', maxLength: 10 }),
          issued: points,
          spent: points,
          refunded: points,
          expired: points,
          donated: points,
        },
        { additionalProperties: false },
      ),
      { maxItems: 400 },
    ),
  },
  { additionalProperties: false },
);
export type PointsFiguresPayload = Static<typeof pointsFiguresPayload>;

/** internet → lgwan: the points figures, pushed periodically. */
export const pointsFiguresV1 = defineMessageType({
  type: 'points.figures',
  version: 1,
  payload: pointsFiguresPayload,
  routes: [{ from: 'internet', to: 'lgwan' }],
  tenant: 'required',
});
