import { type Kysely, sql } from 'kysely';
import { type AuditLog, type Clock, type Database, MachiError } from '../../core/index.ts';
import type { Envelope } from './envelope.ts';

/** A JSON value a handler may return; it is stored and sent back to the sender (and to duplicates). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Does what a message asks, inside `trx` (the receiving zone's database).
 * Careful: use `trx`, not the zone's database handle — on PGlite there is one
 * connection and the transaction holds it.
 */
export type MessageHandler<P = unknown> = (
  message: Envelope<P>,
  // biome-ignore lint/suspicious/noExplicitAny: a handler writes to its own module's tables.
  trx: Kysely<any>,
  /**
   * Runs `task` once the handler's transaction has committed (never if it rolls back): for
   * work that must see what the handler wrote, such as waking a sender of the mails it queued.
   */
  afterCommit: (task: () => void) => void,
) => Promise<JsonValue | undefined>;

export interface Receipt {
  readonly id: string;
  /** true when this id had been processed before: the handler did not run again. */
  readonly duplicate: boolean;
  readonly result: JsonValue;
}

/**
 * Processes a message once. The inbox row, the handler's effect and the audit
 * entry commit together or not at all; a second delivery of the same id (even
 * at the same moment) returns the first result without running the handler.
 */
export async function receiveOnce(
  database: Database,
  audit: AuditLog,
  clock: Clock,
  envelope: Envelope,
  handler: MessageHandler,
): Promise<Receipt> {
  const committed: (() => void)[] = [];
  const receipt = await database.db.transaction().execute(async (trx): Promise<Receipt> => {
    // On a conflict with a row another transaction has not committed yet,
    // PostgreSQL waits for it, so two concurrent deliveries are serialised here.
    const inserted = await sql<{ message_id: string }>`
      insert into gateway_inbox (message_id, municipality_code, from_zone, type, version, received_at)
      values (${envelope.id}, ${envelope.municipalityCode}, ${envelope.from}, ${envelope.type},
              ${envelope.version}, ${clock.now().toISOString()})
      on conflict (message_id) do nothing
      returning message_id`.execute(trx);
    if (inserted.rows.length === 0) {
      const stored = await sql<{ from_zone: string; type: string; version: number; result: JsonValue }>`
        select from_zone, type, version, result from gateway_inbox where message_id = ${envelope.id}`.execute(
        trx,
      );
      const row = stored.rows[0];
      if (
        !row ||
        row.from_zone !== envelope.from ||
        row.type !== envelope.type ||
        row.version !== envelope.version
      ) {
        throw new MachiError('conflict', 'That message id was already used for another message.', {
          messageId: envelope.id,
        });
      }
      return { id: envelope.id, duplicate: true, result: row.result ?? null };
    }
    const result = (await handler(envelope, trx, (task) => committed.push(task))) ?? null;
    await sql`update gateway_inbox set result = ${JSON.stringify(result)}::jsonb
      where message_id = ${envelope.id}`.execute(trx);
    await audit.append(trx, {
      municipalityCode: envelope.municipalityCode,
      actor: `gateway:${envelope.from}`,
      action: 'gateway.receive',
      target: envelope.id,
      outcome: 'success',
      // What arrived, never what it said: payloads may carry personal data.
      details: {
        type: envelope.type,
        version: envelope.version,
        from: envelope.from,
        messageId: envelope.id,
      },
    });
    return { id: envelope.id, duplicate: false, result };
  });
  for (const task of committed) task();
  return receipt;
}
