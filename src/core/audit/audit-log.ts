import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Clock } from '../clock.ts';
import {
  type Database,
  fromJsonRows,
  isUniqueViolation,
  type JsonRowColumns,
  jsonRows,
} from '../db/index.ts';
import { type AuditRow, GENESIS_HASH, hashRow, storedDetails } from './chain.ts';
import { assertAuditable } from './guard.ts';
import { isChainHeadMoved } from './head-moved.ts';
import { CHAIN_LOCK } from './migrations.ts';
import type { AuditChainParts, AuditEntry, AuditLog, ChainAppend } from './types.ts';

// Held for the rest of the transaction that appends. The lock is released only after the
// commit is visible, so the next holder reads the row just written as the head.
const TAKE_CHAIN_LOCK = sql`pg_advisory_xact_lock(${CHAIN_LOCK})`;
/** The lock, for a writer linking to `head`: refused as a moved head if that row is gone. */
const takeChainLockAfter = (head: ChainHead) => sql`audit_chain_lock_after(${head.seq}, ${head.hash})`;

// Most entries one group-commit transaction carries: bounds its size and the time the
// chain lock is held when a burst of reads is audited.
const MAX_GROUP = 2_000;

// biome-ignore lint/suspicious/noExplicitAny: the audit table is not in any module's table types.
type AnyDb = Kysely<any>;

/** The last row of the chain: the next entry links to it. */
interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

async function readHead(db: AnyDb): Promise<ChainHead> {
  const last = await sql<{ seq: number | string; hash: string }>`
    select seq, hash from audit_log order by seq desc limit 1`.execute(db);
  return { seq: Number(last.rows[0]?.seq ?? 0), hash: last.rows[0]?.hash ?? GENESIS_HASH };
}

/** The head as `chain.head` reads it: JSON, or null when the chain is empty. */
function headOfJson(value: unknown): ChainHead {
  if (value === null || value === undefined) return { seq: 0, hash: GENESIS_HASH };
  const head = (typeof value === 'string' ? JSON.parse(value) : value) as {
    seq: number | string;
    hash: string;
  };
  return { seq: Number(head.seq), hash: head.hash };
}

/** The entries as rows linked after `head`, hashed, and the head they leave. */
function linkRows(head: ChainHead, entries: readonly AuditEntry[], clock: Clock) {
  let { seq, hash: prevHash } = head;
  const rows = entries.map((entry) => {
    seq += 1;
    const row: AuditRow = {
      seq,
      at: clock.now().toISOString(),
      municipalityCode: entry.municipalityCode,
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      reason: entry.reason ?? null,
      outcome: entry.outcome,
      details: storedDetails(entry.details),
    };
    const hash = hashRow(prevHash, row);
    const value = {
      seq: row.seq,
      at: row.at,
      municipality_code: row.municipalityCode,
      actor: row.actor,
      action: row.action,
      target: row.target,
      reason: row.reason,
      outcome: row.outcome,
      details: row.details,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return value;
  });
  return { json: jsonRows(ROW_COLUMNS, rows), head: { seq, hash: prevHash } };
}

// The linked rows go as one JSON parameter of arrays (json-rows.ts), whatever their number.
const ROW_COLUMNS: JsonRowColumns = [
  ['seq', 'bigint'],
  ['at', 'timestamptz'],
  ['municipality_code', 'char(6)'],
  ['actor', 'text'],
  ['action', 'text'],
  ['target', 'text'],
  ['reason', 'text'],
  ['outcome', 'text'],
  ['details', 'jsonb'],
  ['prev_hash', 'char(64)'],
  ['hash', 'char(64)'],
];
const COLUMNS = sql.raw(ROW_COLUMNS.map(([name]) => name).join(', '));
const rowsOf = (json: string) => fromJsonRows(ROW_COLUMNS, sql`${json}::jsonb`);

const insertRows = (json: string) => sql`
  insert into audit_log (${COLUMNS}) ${rowsOf(json)}`;

const insertRowsWhere = (json: string, condition: RawBuilder<unknown>) => sql`
  insert into audit_log (${COLUMNS}) ${rowsOf(json)} where ${condition}`;

/**
 * The same insert as one statement that takes the chain lock itself: linked to a head
 * this process already knows, a group costs one round trip instead of five. If the head
 * moved meanwhile (another writer appended), the primary key on seq refuses the insert,
 * so the chain can never fork; if it is gone (see audit_chain_lock_after), the lock's check
 * refuses it the same way. The caller then takes the locked path.
 */
const insertRowsAfterKnownHead = (head: ChainHead, json: string) => sql`
  with chain_lock as (select ${takeChainLockAfter(head)})
  insert into audit_log (${COLUMNS}) ${rowsOf(json)} where exists (select from chain_lock)`;

/**
 * Appends entries to the chain inside `trx`; the caller owns the transaction.
 *
 * Hazards: the chain lock is held until the caller's transaction ends, so append late in
 * a transaction. Under REPEATABLE READ or SERIALIZABLE the head read may be stale; the
 * primary key on seq then refuses the insert (an error, never a forked chain).
 */
async function appendAll(trx: AnyDb, entries: readonly AuditEntry[], clock: Clock): Promise<ChainHead> {
  await sql`select ${TAKE_CHAIN_LOCK}`.execute(trx);
  const linked = linkRows(await readHead(trx), entries, clock);
  await insertRows(linked.json).execute(trx);
  return linked.head;
}

type Waiting = { entry: AuditEntry; resolve: () => void; reject: (e: unknown) => void };

/**
 * The zone's audit log. `record` gathers entries that arrive together into one
 * transaction (group commit): resident reads are audited one by one at high
 * rates, and one commit per read would serialise them behind the chain lock.
 * Each caller still waits until its own entry is committed.
 *
 * Never `await record()` inside an open transaction on PGlite: PGlite is one
 * connection, held by that transaction, so the group commit could not start.
 * Use `append(trx, …)` there.
 */
export function createAuditLog(database: Database, clock: Clock): AuditLog {
  let waiting: Waiting[] = [];
  let writing: Promise<void> | undefined;
  // The head as this process last wrote it; unknown at first and after a refusal.
  let knownHead: ChainHead | undefined;
  // This process's writers of the chain (group commits, appendWithin, inTurn) take turns: each
  // links to the head the one before it left. `turn` settles once every writer so far is done;
  // `sent` once the next pipelined append may send its statement: when the writer before it
  // is done, or, if that was a pipelined append too, has sent its own.
  let turn: Promise<unknown> = Promise.resolve();
  let sent: Promise<unknown> = Promise.resolve();
  /** The pipelined append sent last: only its success may say where the head is. */
  let sentLast: object | undefined;
  function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = turn.then(work);
    turn = run.catch(() => undefined);
    sent = turn;
    return run;
  }

  /** appendWithin with `pipelined` (see AuditLog): linked to the head the one before will leave. */
  function appendPipelined<T>(
    entries: readonly AuditEntry[],
    write: (append: ChainAppend) => Promise<{ result: T; appended: boolean }>,
  ): Promise<T> {
    const before = turn;
    const started = sent.then(async () => {
      // Unknown (at first, after a refusal): read once every writer before is done.
      if (!knownHead) {
        await before;
        knownHead ??= await readHead(database.db);
      }
      const linked = linkRows(knownHead, entries, clock);
      const answer = write({
        lock: takeChainLockAfter(knownHead),
        insert: (condition) => insertRowsWhere(linked.json, condition),
      });
      const self = {};
      sentLast = self;
      // As it will be once this statement has appended: what the next one links to.
      knownHead = linked.head;
      return { answer, head: linked.head, self };
    });
    sent = started.catch(() => undefined);
    const run = started.then(async ({ answer, head, self }) => {
      try {
        const { result, appended } = await answer;
        if (!appended) knownHead = undefined;
        else if (sentLast === self) knownHead = head;
        return result;
      } catch (error) {
        // Those sent after it linked to a head that may not be there: their own refusals tell.
        knownHead = undefined;
        throw error;
      }
    });
    // Settled as both are, keeping neither's value: each turn would hold every one before it.
    turn = Promise.allSettled([turn, run]).then(() => undefined);
    return run;
  }

  async function writeGroup(entries: readonly AuditEntry[]): Promise<void> {
    if (knownHead) {
      const linked = linkRows(knownHead, entries, clock);
      try {
        await database.prepared(
          'audit_append_after_head',
          insertRowsAfterKnownHead(knownHead, linked.json).compile(database.db),
        );
        knownHead = linked.head;
        return;
      } catch (error) {
        knownHead = undefined;
        if (!isUniqueViolation(error)) throw error;
        // Another writer moved the head: link again, under the lock, to the head it left.
      }
    }
    knownHead = await database.db.transaction().execute((trx) => appendAll(trx, entries, clock));
  }

  async function drain(): Promise<void> {
    // Yield once so that callers in the same tick (e.g. a Promise.all of reads) share
    // the first transaction instead of the first caller committing alone.
    await Promise.resolve();
    while (waiting.length > 0) {
      const group = waiting.slice(0, MAX_GROUP);
      waiting = waiting.slice(group.length);
      try {
        await inTurn(() => writeGroup(group.map((item) => item.entry)));
        for (const item of group) item.resolve();
      } catch (error) {
        for (const item of group) item.reject(error);
      }
    }
    writing = undefined;
  }

  const chain: AuditChainParts = {
    lock: TAKE_CHAIN_LOCK,
    head: sql`(select json_build_object('seq', seq, 'hash', hash) from audit_log order by seq desc limit 1)`,
    link(head, entries) {
      for (const entry of entries) assertAuditable(entry);
      return linkRows(headOfJson(head), entries, clock).json;
    },
    insert: insertRows,
  };

  return {
    chain,
    async append(trx, entry) {
      assertAuditable(entry);
      await appendAll(trx, [entry], clock);
      // The head moved (if the caller commits): the next group commit learns it anew.
      knownHead = undefined;
    },
    async appendMany(trx, entries) {
      // Every entry is checked before any is written: one refused entry refuses the call.
      for (const entry of entries) assertAuditable(entry);
      if (entries.length > 0) {
        await appendAll(trx, entries, clock);
        knownHead = undefined;
      }
    },
    record(entry) {
      return new Promise<void>((resolve, reject) => {
        // Refused entries never join a group, so one bad entry cannot fail its neighbours.
        assertAuditable(entry);
        waiting.push({ entry, resolve, reject });
        writing ??= drain();
      });
    },
    appendWithin(entries, write, options) {
      for (const entry of entries) assertAuditable(entry);
      if (options?.pipelined) return appendPipelined(entries, write);
      const attempts = options?.attempts ?? 1;
      return inTurn(async () => {
        for (let attempt = 1; ; attempt++) {
          // Unknown at first: read, not locked. Should another writer append meanwhile, the
          // key on seq refuses the caller's statement; it never forks the chain.
          knownHead ??= await readHead(database.db);
          const linked = linkRows(knownHead, entries, clock);
          const append: ChainAppend = {
            lock: takeChainLockAfter(knownHead),
            insert: (condition) => insertRowsWhere(linked.json, condition),
          };
          try {
            const { result, appended } = await write(append);
            if (appended) knownHead = linked.head;
            return result;
          } catch (error) {
            // Most likely the head moved; whatever it was, learn the head anew.
            knownHead = undefined;
            if (attempt < attempts && isChainHeadMoved(error)) continue;
            throw error;
          }
        }
      });
    },
    inTurn(work) {
      return inTurn(async () => {
        try {
          return await work();
        } finally {
          knownHead = undefined;
        }
      });
    },
    async flush() {
      await writing;
    },
  };
}
