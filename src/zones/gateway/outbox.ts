import { type Kysely, sql } from 'kysely';
import type { Clock, Database, ZoneName } from '../../core/index.ts';
import type { Envelope } from './envelope.ts';

/** How long a pulled batch stays with the puller before it is offered again. */
export const LEASE_MS = 60_000;
export const MAX_PULL = 100;

// biome-ignore lint/suspicious/noExplicitAny: the outbox lives in any zone's transaction.
type AnyDb = Kysely<any>;

/**
 * Puts checked envelopes in the outbox in one statement, inside the caller's transaction (with
 * the change that caused them), in their order (seq follows the rows as given).
 */
export async function putInOutbox(trx: AnyDb, envelopes: readonly Envelope[], clock: Clock): Promise<void> {
  const rows = envelopes.map((envelope) => ({
    message_id: envelope.id,
    municipality_code: envelope.municipalityCode,
    to_zone: envelope.to,
    type: envelope.type,
    version: envelope.version,
    envelope,
  }));
  await sql`
    insert into gateway_outbox (message_id, municipality_code, to_zone, type, version, envelope, created_at)
    select r.message_id, r.municipality_code, r.to_zone, r.type, r.version, r.envelope, ${clock.now().toISOString()}
    from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as (message_id uuid, municipality_code char(6), to_zone text, type text, version integer, envelope jsonb))
      with ordinality as r(message_id, municipality_code, to_zone, type, version, envelope, n)
    order by r.n`.execute(trx);
}

/**
 * Leases up to `limit` pending messages for `to`, oldest first. `skip locked`
 * lets two pullers (e.g. two mynumber workers) take different batches.
 */
export async function leaseFromOutbox(
  database: Database,
  clock: Clock,
  to: ZoneName,
  limit: number,
): Promise<Envelope[]> {
  const now = clock.now();
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  const rows = await database.db.transaction().execute(async (trx) => {
    const result = await sql<{ envelope: Envelope | string; seq: number }>`
      with batch as (
        select message_id from gateway_outbox
        where to_zone = ${to} and acked_at is null
          and (leased_until is null or leased_until <= ${now.toISOString()})
        order by seq
        limit ${Math.min(Math.max(limit, 1), MAX_PULL)}
        for update skip locked
      )
      update gateway_outbox o set leased_until = ${until}, attempts = o.attempts + 1
      from batch where o.message_id = batch.message_id
      returning o.envelope, o.seq`.execute(trx);
    return result.rows;
  });
  return rows
    .sort((a, b) => Number(a.seq) - Number(b.seq))
    .map((row) => (typeof row.envelope === 'string' ? (JSON.parse(row.envelope) as Envelope) : row.envelope));
}

/**
 * Marks messages done for `to`. Returns how many were pending. Acking twice is harmless.
 * The envelope is emptied as it is acknowledged: the receiver has it (its inbox dedups by id),
 * and a relay such as lgwan must not keep what only passes through it (a household for a
 * form, a signed notice) — the row keeps id, type and times as the record that it went.
 */
export async function ackOutbox(
  database: Database,
  clock: Clock,
  to: ZoneName,
  acks: { readonly processed: readonly string[]; readonly rejected: readonly string[] },
): Promise<number> {
  let count = 0;
  for (const [outcome, ids] of [
    ['processed', acks.processed],
    ['rejected', acks.rejected],
  ] as const) {
    if (ids.length === 0) continue;
    const result = await sql`
      update gateway_outbox
      set acked_at = ${clock.now().toISOString()}, outcome = ${outcome}, leased_until = null, envelope = '{}'::jsonb
      where to_zone = ${to} and acked_at is null and message_id = any(${ids as string[]}::uuid[])`.execute(
      database.db,
    );
    count += Number(result.numAffectedRows ?? 0);
  }
  return count;
}

/** Messages still waiting for `to` (for tests and the operator). */
export async function pendingInOutbox(database: Database, to: ZoneName): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from gateway_outbox where to_zone = ${to} and acked_at is null`.execute(
    database.db,
  );
  return Number(result.rows[0]?.n ?? 0);
}
