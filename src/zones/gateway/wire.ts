import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { MachiError } from '../../core/index.ts';
import { MAX_PULL } from './outbox.ts';

/** The paths of the gateway endpoint. Versioned: a new wire format gets /gateway/v2. */
export const gatewayPaths = {
  messages: '/gateway/v1/messages',
  /** Several messages of one sender in one call, received in one transaction (all or none). */
  batch: '/gateway/v1/messages/batch',
  pull: '/gateway/v1/outbox/pull',
  ack: '/gateway/v1/outbox/ack',
} as const;

const messageId = Type.String({ format: 'uuid', maxLength: 36 });

export const receiptSchema = Type.Object(
  { id: messageId, duplicate: Type.Boolean(), result: Type.Unknown() },
  { additionalProperties: false },
);
/** Most messages one batch carries, and most bytes its body has (each envelope still at most MAX_ENVELOPE_BYTES). */
export const MAX_BATCH = 50;
export const MAX_BATCH_BYTES = 2 * 1024 * 1024;
/** Most bytes of attachments one call carries (a push of one message or of a batch). */
export const MAX_ATTACHED_BYTES = 64 * 1024 * 1024;

export const batchRequestSchema = Type.Object(
  { messages: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_BATCH }) },
  { additionalProperties: false },
);
export const batchResponseSchema = Type.Object(
  { receipts: Type.Array(receiptSchema, { maxItems: MAX_BATCH }) },
  { additionalProperties: false },
);
export const pullRequestSchema = Type.Object(
  { limit: Type.Integer({ minimum: 1, maximum: MAX_PULL }) },
  { additionalProperties: false },
);
export const pullResponseSchema = Type.Object(
  { messages: Type.Array(Type.Unknown(), { maxItems: MAX_PULL }) },
  { additionalProperties: false },
);
export const ackRequestSchema = Type.Object(
  {
    processed: Type.Array(messageId, { maxItems: MAX_PULL }),
    rejected: Type.Array(messageId, { maxItems: MAX_PULL }),
  },
  { additionalProperties: false },
);
export const ackResponseSchema = Type.Object(
  { acknowledged: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

export type PullRequest = Static<typeof pullRequestSchema>;
export type AckRequest = Static<typeof ackRequestSchema>;

const compiled = new Map<
  TSchema,
  { Check(value: unknown): boolean; Errors(value: unknown): { instancePath: string; message: string }[] }
>();

/** Parses a JSON body and checks it against `schema`, or throws gateway-message-invalid. */
export function parseWire<S extends TSchema>(schema: S, body: string): Static<S> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MachiError('gateway-message-invalid', 'The body is not valid JSON.');
  }
  let check = compiled.get(schema);
  if (!check) {
    check = Compile(schema);
    compiled.set(schema, check);
  }
  if (!check.Check(value)) {
    const errors = check.Errors(value).map((e) => ({ path: e.instancePath || '/', problem: e.message }));
    throw new MachiError('gateway-message-invalid', 'The body does not match the gateway wire schema.', {
      errors,
    });
  }
  return value as Static<S>;
}
