import { type Static, Type } from 'typebox';
import type { LgCode, ZoneName } from '../../core/index.ts';
import { sha256Hex } from './messages/sha256.ts';

/** A whole envelope larger than this is refused before it is parsed (its attachment not counted). */
export const MAX_ENVELOPE_BYTES = 256 * 1024;

/**
 * A message's attachment as its envelope states it: the bytes travel after the call's JSON,
 * not in it (no base64, no JSON of a file), and the signed JSON binds them by length and
 * SHA-256, checked before any message of the call is handled.
 */
export const attachmentSchema = Type.Object(
  {
    bytes: Type.Integer({ minimum: 0 }),
    sha256: sha256Hex(),
  },
  { additionalProperties: false },
);
export type AttachmentInfo = Static<typeof attachmentSchema>;

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
    /** Only on types that carry one (MessageType.attachment). */
    attachment: Type.Optional(attachmentSchema),
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
  readonly attachment?: AttachmentInfo;
  /**
   * A received message's attachment: its bytes, checked against `attachment`, in the pieces
   * they arrived in (never joined: a file's megabytes are written as they lie). Never on the
   * wire as JSON: a call sends them after its JSON.
   */
  readonly attached?: readonly Uint8Array[];
}
