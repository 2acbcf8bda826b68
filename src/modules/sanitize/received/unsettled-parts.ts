/**
 * Part files whose rows may never come. A part's file is written durably before its row's
 * transaction commits (so that a row never names a file a crash lost); when that transaction
 * rolls back instead (another message of its batch refused, the connection lost), the file
 * stays with no row naming it. So does the file of a part whose row a whole file replaced.
 * Each is noted here, and once no transaction that wrote it could still be under way, it is
 * removed unless a row names it by then. A process that stops between a file's write and its
 * commit forgets its notes; the sender, unanswered, delivers the file again to the same key.
 */
import { sql } from 'kysely';
import { type Database, type FileStore, onePer } from '../../../core/index.ts';
import { filePartKey } from './parts.ts';
import type { ReceivedDb } from './tables.ts';

/** One part's file: its row's key. */
export interface PartRef {
  readonly municipalityCode: string;
  readonly uploadId: string;
  readonly index: number;
}

/** A transaction older than this has ended (the gateway's calls time out long before). */
export const SETTLE_MS = 15 * 60_000;
/** Parts looked up in one statement. */
const PAGE = 500;

const keyOf = (part: PartRef) => filePartKey(part.municipalityCode, part.uploadId, part.index);

export class UnsettledParts {
  /** By file key: the part, and when it was last noted (wall clock, as file times are). */
  private readonly noted = new Map<string, { part: PartRef; at: number }>();

  /** Before a part's file is written, or once its row is gone: it goes unless a row names it later. */
  note(parts: readonly PartRef[]): void {
    const at = Date.now();
    for (const part of parts) this.noted.set(keyOf(part), { part, at });
  }

  /** Their rows committed: the files are theirs. */
  settle(parts: readonly PartRef[]): void {
    for (const part of parts) this.noted.delete(keyOf(part));
  }

  get size(): number {
    return this.noted.size;
  }

  /** Removes the files noted at least SETTLE_MS before `now` that no row names; answers how many went. */
  async sweep(database: Database, files: FileStore, now = Date.now()): Promise<number> {
    const before = now - SETTLE_MS;
    const due = [...this.noted.entries()]
      .filter(([, noted]) => noted.at <= before)
      .map(([key, noted]) => ({ key, ...noted }));
    let removed = 0;
    for (let from = 0; from < due.length; from += PAGE) {
      const page = due.slice(from, from + PAGE);
      const named = await namedParts(
        database.db as ReceivedDb,
        page.map(({ part }) => part),
      );
      for (const [index, { key, at }] of page.entries()) {
        // Noted again while the rows were read (a new delivery is writing it): a later sweep's.
        if (this.noted.get(key)?.at !== at) continue;
        if (!named.has(index)) {
          await files.remove(key);
          removed++;
        }
        this.noted.delete(key);
      }
    }
    return removed;
  }
}

/** The positions in `parts` of those whose row says their bytes are in the file store. */
async function namedParts(db: ReceivedDb, parts: readonly PartRef[]): Promise<Set<number>> {
  const rows = await sql<{ n: number }>`
    select (k.n - 1)::int as n
    from unnest(${parts.map((p) => p.municipalityCode)}::char(6)[], ${parts.map((p) => p.uploadId)}::uuid[],
      ${parts.map((p) => p.index)}::int[]) with ordinality as k(municipality_code, upload_id, part, n)
    join sanitize_file_parts p on p.municipality_code = k.municipality_code
      and p.upload_id = k.upload_id and p.part = k.part
    where p.data_in_store`.execute(db);
  return new Set(rows.rows.map((row) => row.n));
}

/** The zone's one list, by its file store. */
export const unsettledPartsOf = onePer((_files: FileStore) => new UnsettledParts());
