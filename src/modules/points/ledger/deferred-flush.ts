import { randomUUID } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import type { Database } from '../../../core/index.ts';

/**
 * Commits that do not wait for their WAL flush, answered once a later commit that waits has
 * returned. A payment batch's write holds the shop's row and the audit chain's lock until it
 * commits, and every batch of the process waits for it; waiting for the flush inside that
 * write took 38 % of its time in the points benchmark. Committed without waiting
 * (`synchronous_commit` off for its transaction), the batch lets the next one in at once, and
 * one flush answers for every batch committed before it: WAL is written in order, so a commit
 * that waits for its own record's flush has waited for every record before it.
 *
 * What a crash loses is what has not been flushed, and nobody was answered for it. But its
 * rows were seen meanwhile: by the batches after it, by this process's known accounts and the
 * audit chain's head, by other processes. An epoch tells when that happened. It is a row of
 * an unlogged table (migration 006), which crash recovery empties: each deferred write commits
 * only while its epoch's row is there, and a flush answers only if the epochs of what it
 * answers for are still there. A crash ends every epoch; what was decided on its state is
 * refused, and those it would have answered are posted again the locked way.
 *
 * Off unless the zone is configured so (MACHI_POINTS_DEFERRED_FLUSH): where the machine's CPU,
 * not the one batch writer, is the bound, it cost more than it saved (bench/RESULTS.md,
 * 2026-12-04 evening: smaller batches, a second statement for each, a longer wait to be
 * answered).
 */
export interface DeferredFlush {
  /** The current epoch: begun (its row inserted) on first use and after one ended. */
  epoch(): Promise<string>;
  /**
   * Resolves once every commit that returned before the call, in `epoch`, is durable; rejects
   * (FlushUnknown) when that is not known, and then the epochs it answered for have ended.
   */
  durable(epoch: string): Promise<void>;
  /** Ends `epoch` if it is the current one: the next write begins another. */
  end(epoch: string): void;
}

/** The flush was not confirmed: what it answered for may be lost, or may not. */
export class FlushUnknown extends Error {}

/** A deferred write found its epoch's row gone: the server crashed since the epoch began. */
export class EpochGone extends Error {
  constructor(readonly epoch: string) {
    super(`flush epoch ${epoch} is gone`);
  }
}

// `pg_logical_emit_message` writes a WAL record (any role may) in a transaction of its own, so
// its commit waits for the flush as every commit does by default; a statement that writes no
// WAL commits without one. It runs at the server's own `synchronous_commit`: with a synchronous
// standby, the flush answers once the standby has it, as any other commit would.
const FLUSH = CompiledQuery.raw(
  `select pg_logical_emit_message(true, 'machi', 'flush') is not null
    and (select count(*) from points_flush_epochs where epoch = any($1::uuid[])) = cardinality($1::uuid[])
    as durable`,
);
const BEGIN = CompiledQuery.raw('insert into points_flush_epochs (epoch) values ($1::uuid)');

interface Waiting {
  readonly epoch: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function createDeferredFlush(database: Pick<Database, 'prepared'>): DeferredFlush {
  let current: string | undefined;
  let beginning: Promise<string> | undefined;
  let waiting: Waiting[] = [];
  let flushing = false;

  async function begin(): Promise<string> {
    const epoch = randomUUID();
    await database.prepared('points_flush_epoch_begin', { ...BEGIN, parameters: [epoch] });
    current = epoch;
    return epoch;
  }

  function end(epoch: string): void {
    if (current === epoch) current = undefined;
  }

  /** Flushes for everyone waiting, one flush at a time; those who come meanwhile share the next. */
  async function flushAll(): Promise<void> {
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      const epochs = [...new Set(group.map((one) => one.epoch))];
      let durable = false;
      try {
        const rows = await database.prepared<{ durable: boolean }>('points_flush', {
          ...FLUSH,
          parameters: [epochs],
        });
        durable = rows[0]?.durable === true;
      } catch {
        // The connection or the server failed: whether the commits before it survive is not known.
      }
      if (durable) {
        for (const one of group) one.resolve();
      } else {
        for (const epoch of epochs) end(epoch);
        const error = new FlushUnknown('the commits could not be confirmed durable');
        for (const one of group) one.reject(error);
      }
    }
    flushing = false;
  }

  return {
    epoch() {
      if (current) return Promise.resolve(current);
      beginning ??= begin().finally(() => {
        beginning = undefined;
      });
      return beginning;
    },
    durable(epoch) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ epoch, resolve, reject });
        if (flushing) return;
        flushing = true;
        // Sent after what the caller does in this turn (the writer sends its next batch first):
        // the flush is off the writer's path, the next batch is not.
        setImmediate(() => void flushAll());
      });
    },
    end,
  };
}

// One per database: a flush answers for every commit of the process before it, whatever its
// municipality.
const flushes = new WeakMap<object, DeferredFlush>();

/**
 * The database's deferred flush, on a PostgreSQL server; undefined on PGlite (one connection,
 * in this process: a commit there waits for nothing another could answer for).
 */
export function deferredFlushOf(
  database: Pick<Database, 'prepared' | 'kind'> | undefined,
): DeferredFlush | undefined {
  if (database?.kind !== 'postgres') return undefined;
  let flush = flushes.get(database);
  if (!flush) {
    flush = createDeferredFlush(database);
    flushes.set(database, flush);
  }
  return flush;
}
