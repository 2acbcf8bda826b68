import { type Kysely, sql } from 'kysely';
import { type AuditEntry, type AuditLog, type Clock, type Database, MachiError } from '../../core/index.ts';
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

/**
 * Does what several messages of one type ask, inside `trx`, in their order, and returns each
 * one's result in the same order: a module that can write many in one statement registers
 * one (gateway.handleAll) so that a batch costs it a few statements, not a few per message.
 */
export type BatchHandler<P = unknown> = (
  messages: readonly Envelope<P>[],
  // biome-ignore lint/suspicious/noExplicitAny: a handler writes to its own module's tables.
  trx: Kysely<any>,
  afterCommit: (task: () => void) => void,
) => Promise<readonly (JsonValue | undefined)[]>;

/** A handler of one message at a time, run for each message of a batch in turn. */
export function eachInTurn(handler: MessageHandler): BatchHandler {
  return async (messages, trx, afterCommit) => {
    const results: (JsonValue | undefined)[] = [];
    for (const message of messages) results.push(await handler(message, trx, afterCommit));
    return results;
  };
}

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
      const stored = await sql<StoredMessage>`
        select from_zone, type, version, result from gateway_inbox where message_id = ${envelope.id}`.execute(
        trx,
      );
      return duplicateReceipt(envelope, stored.rows[0]);
    }
    const result = (await handler(envelope, trx, (task) => committed.push(task))) ?? null;
    await sql`update gateway_inbox set result = ${JSON.stringify(result)}::jsonb
      where message_id = ${envelope.id}`.execute(trx);
    await audit.append(trx, receivedEntry(envelope));
    return { id: envelope.id, duplicate: false, result };
  });
  for (const task of committed) task();
  return receipt;
}

/**
 * Processes several messages in one transaction: what `receiveOnce` does for each, with one
 * statement for their inbox rows, one call of `handler` for those not processed before, one
 * statement for their results and one append for their audit entries. All or none: a handler
 * that throws, or an id reused for another message, undoes the whole batch, and the sender
 * learns which by sending them one by one. Ids must differ (parseEnvelopeBatch sees to that).
 */
export async function receiveAll(
  database: Database,
  audit: AuditLog,
  clock: Clock,
  envelopes: readonly Envelope[],
  handler: BatchHandler,
): Promise<Receipt[]> {
  const committed: (() => void)[] = [];
  const receipts = await database.db.transaction().execute(async (trx): Promise<Receipt[]> => {
    const rows = envelopes.map((envelope) => ({
      message_id: envelope.id,
      municipality_code: envelope.municipalityCode,
      from_zone: envelope.from,
      type: envelope.type,
      version: envelope.version,
    }));
    const inserted = await sql<{ message_id: string }>`
      insert into gateway_inbox (message_id, municipality_code, from_zone, type, version, received_at)
      select r.message_id, r.municipality_code, r.from_zone, r.type, r.version, ${clock.now().toISOString()}
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as r(message_id uuid, municipality_code char(6), from_zone text, type text, version integer)
      on conflict (message_id) do nothing
      returning message_id`.execute(trx);
    const fresh = new Set(inserted.rows.map((row) => row.message_id));
    const earlier = envelopes.filter((envelope) => !fresh.has(envelope.id)).map((envelope) => envelope.id);
    const stored = new Map<string, StoredMessage>();
    if (earlier.length > 0) {
      const found = await sql<StoredMessage & { message_id: string }>`
        select message_id, from_zone, type, version, result from gateway_inbox
        where message_id = any(${earlier}::uuid[])`.execute(trx);
      for (const row of found.rows) stored.set(row.message_id, row);
    }
    // Before the handler runs: an id reused for another message refuses the batch at once.
    const duplicates = new Map<string, Receipt>();
    for (const envelope of envelopes) {
      if (!fresh.has(envelope.id))
        duplicates.set(envelope.id, duplicateReceipt(envelope, stored.get(envelope.id)));
    }
    const toProcess = envelopes.filter((envelope) => fresh.has(envelope.id));
    const handled = toProcess.length > 0 ? await handler(toProcess, trx, (task) => committed.push(task)) : [];
    if (handled.length !== toProcess.length) {
      throw new Error(`The handler returned ${handled.length} results for ${toProcess.length} messages.`);
    }
    const results: Record<string, JsonValue> = {};
    toProcess.forEach((envelope, index) => {
      results[envelope.id] = handled[index] ?? null;
    });
    const receipts = envelopes.map(
      (envelope): Receipt =>
        duplicates.get(envelope.id) ?? {
          id: envelope.id,
          duplicate: false,
          result: results[envelope.id] ?? null,
        },
    );
    const ids = Object.keys(results);
    if (ids.length > 0) {
      // By key, each its own result from one map: a join with the results as a table was
      // planned as a scan of the whole inbox.
      await sql`
        update gateway_inbox set result = ${JSON.stringify(results)}::jsonb -> message_id::text
        where message_id = any(${ids}::uuid[])`.execute(trx);
      await audit.appendMany(trx, toProcess.map(receivedEntry));
    }
    return receipts;
  });
  for (const task of committed) task();
  return receipts;
}

interface StoredMessage {
  readonly from_zone: string;
  readonly type: string;
  readonly version: number;
  readonly result: JsonValue;
}

/** The first result again, for an id processed before — unless the id was used for another message. */
function duplicateReceipt(envelope: Envelope, row: StoredMessage | undefined): Receipt {
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

/** What arrived, never what it said: payloads may carry personal data. */
function receivedEntry(envelope: Envelope): AuditEntry {
  return {
    municipalityCode: envelope.municipalityCode,
    actor: `gateway:${envelope.from}`,
    action: 'gateway.receive',
    target: envelope.id,
    outcome: 'success',
    details: {
      type: envelope.type,
      version: envelope.version,
      from: envelope.from,
      messageId: envelope.id,
    },
  };
}
