import { type Static, Type } from 'typebox';
import type { LgCode, ZoneName } from '../../core/index.ts';

/** A whole envelope larger than this is refused before it is parsed (text messages only; files go elsewhere). */
export const MAX_ENVELOPE_BYTES = 256 * 1024;

const zoneName = Type.Union([Type.Literal('internet'), Type.Literal('lgwan'), Type.Literal('mynumber')]);

/** The wire form of every message between zones. The payload is checked against its type's own schema. */
export const envelopeSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    /** Dotted name, e.g. `registry.population-statistics`. */
    type: Type.String({ pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$', maxLength: 100 }),
    version: Type.Integer({ minimum: 1, maximum: 999 }),
    from: zoneName,
    to: zoneName,
    sentAt: Type.String({ format: 'date-time', maxLength: 40 }),
    municipalityCode: Type.Union([Type.String({ pattern: '^[0-9]{6}$' }), Type.Null()]),
    payload: Type.Unknown(),
  },
  { additionalProperties: false },
);

export type WireEnvelope = Static<typeof envelopeSchema>;

/** An envelope that passed every check, with its payload typed. */
export interface Envelope<P = unknown> {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly from: ZoneName;
  readonly to: ZoneName;
  readonly sentAt: string;
  readonly municipalityCode: LgCode | null;
  readonly payload: P;
}
