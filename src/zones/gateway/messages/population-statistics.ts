import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';

const count = Type.Integer({ minimum: 0, maximum: 100_000_000 });

/**
 * Counts of one municipality's residents: total, by sex (ISO/IEC 5218) and by
 * 5-year age band (0–4, 5–9, … 95–99, 100+). Aggregates only — no person crosses.
 */
export const populationStatisticsPayload = Type.Object(
  {
    /** The day ages are counted on (Asia/Tokyo), YYYY-MM-DD. */
    asOf: Type.String({ format: 'date', maxLength: 10 }),
    computedAt: Type.String({ format: 'date-time', maxLength: 40 }),
    /** The request this answers, when it answers one. */
    inReplyTo: Type.Union([Type.String({ format: 'uuid', maxLength: 36 }), Type.Null()]),
    total: count,
    bySex: Type.Object({ male: count, female: count, notApplicable: count }, { additionalProperties: false }),
    byAgeBand: Type.Array(
      Type.Object(
        {
          fromAge: Type.Integer({ minimum: 0, maximum: 100 }),
          /** Inclusive; null for the open band 100+. */
          toAge: Type.Union([Type.Integer({ minimum: 4, maximum: 99 }), Type.Null()]),
          count,
        },
        { additionalProperties: false },
      ),
      { minItems: 21, maxItems: 21 },
    ),
  },
  { additionalProperties: false },
);
export type PopulationStatisticsPayload = Static<typeof populationStatisticsPayload>;

/** mynumber → lgwan: the latest statistics, pushed periodically and in answer to a request. */
export const populationStatisticsV1 = defineMessageType({
  type: 'registry.population-statistics',
  version: 1,
  payload: populationStatisticsPayload,
  routes: [{ from: 'mynumber', to: 'lgwan' }],
  tenant: 'required',
});

export const populationStatisticsRequestPayload = Type.Object({}, { additionalProperties: false });
export type PopulationStatisticsRequestPayload = Static<typeof populationStatisticsRequestPayload>;

/** lgwan → mynumber (through lgwan's outbox, pulled by mynumber): "send fresh statistics". */
export const populationStatisticsRequestV1 = defineMessageType({
  type: 'registry.population-statistics-request',
  version: 1,
  payload: populationStatisticsRequestPayload,
  routes: [{ from: 'lgwan', to: 'mynumber' }],
  tenant: 'required',
});
