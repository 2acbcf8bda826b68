import type { Kysely } from 'kysely';
import { MachiError } from '../errors/index.ts';
import { GENESIS_HASH, hashRow } from './chain.ts';
import { auditLogExists, lastSeq, readRowsAfter, type StoredAuditRow } from './read-rows.ts';

// biome-ignore lint/suspicious/noExplicitAny: the audit table is not in any module's table types.
type AnyDb = Kysely<any>;

/** A point of the chain: an operator saves it (e.g. as printed by `machi audit verify`) as an anchor. */
export interface AuditChainHead {
  readonly seq: number;
  readonly hash: string;
}

export type AuditChainProblemKind = 'altered' | 'removed' | 'reordered';

export interface AuditChainProblem {
  readonly kind: AuditChainProblemKind;
  /** The first row (by seq) where the chain is broken. */
  readonly seq: number;
  /** For people; names seqs only, never row contents. */
  readonly explanation: string;
}

export type AuditChainReport =
  | { readonly ok: true; readonly rowsChecked: number; readonly head: AuditChainHead }
  | {
      readonly ok: false;
      /** Rows verified before the problem; `head` is the last of them (seq 0 = none). */
      readonly rowsChecked: number;
      readonly head: AuditChainHead;
      readonly problem: AuditChainProblem;
    };

export interface VerifyAuditChainOptions {
  /** Rows per page of the scan; memory stays bounded by this whatever the log's size. */
  readonly batchSize?: number;
  /**
   * An anchor saved earlier. The chain alone cannot show that its LAST rows were removed
   * (what remains is a valid, shorter chain), nor that it was recomputed from some row on;
   * an anchor can: the row at `expectHead.seq` must exist and carry `expectHead.hash`.
   */
  readonly expectHead?: AuditChainHead;
  /** Called after each page with the number of rows checked so far. */
  readonly onProgress?: (rowsChecked: number) => void;
}

// How far from its place a row may have moved and still be recognised as moved
// (`reordered`) rather than changed (`altered`). Costs 2×WINDOW hashes, once, at the
// first broken row only.
const WINDOW = 1_000;

const GENESIS: AuditChainHead = { seq: 0, hash: GENESIS_HASH };

export function parseChainHead(text: string): AuditChainHead {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  const seq = Number(match?.[1]);
  if (!match?.[2] || !Number.isSafeInteger(seq) || seq < 1) {
    throw new MachiError('validation-failed', 'A chain head is written SEQ:HASH, e.g. 1200:<64 hex digits>.');
  }
  return { seq, hash: match[2] };
}

function selfConsistent(stored: StoredAuditRow, seq = stored.row.seq): boolean {
  return stored.wellFormed && hashRow(stored.prevHash, { ...stored.row, seq }) === stored.hash;
}

/** The seq this row was written as, if it is intact but no longer at its own seq. */
function writtenAs(stored: StoredAuditRow): number | undefined {
  const at = stored.row.seq;
  for (let distance = 1; distance <= WINDOW; distance += 1) {
    if (selfConsistent(stored, at + distance)) return at + distance;
    if (at - distance >= 1 && selfConsistent(stored, at - distance)) return at - distance;
  }
  return undefined;
}

/**
 * A row whose stored hash does not match its fields. seq is one of the hashed fields,
 * so a row moved to another seq fails here too; trying nearby seqs tells the two apart.
 */
async function classifyBrokenRow(db: AnyDb, stored: StoredAuditRow): Promise<AuditChainProblem> {
  const seq = stored.row.seq;
  const original = stored.wellFormed ? writtenAs(stored) : undefined;
  if (original === undefined) {
    return {
      kind: 'altered',
      seq,
      explanation: `row ${seq} no longer matches its hash: one of its fields was changed after it was written`,
    };
  }
  if (original < seq) {
    return {
      kind: 'reordered',
      seq,
      explanation: `row ${seq} holds the entry written as row ${original}: entries were moved, or one was inserted before it`,
    };
  }
  // Written as a later seq: either rows were swapped (the entry written as `seq` is
  // somewhere after) or rows were removed and the rest renumbered (it is nowhere).
  const following = await readRowsAfter(db, seq, WINDOW);
  const displaced = following.find((row) => selfConsistent(row, seq));
  if (displaced) {
    return {
      kind: 'reordered',
      seq,
      explanation: `row ${seq} holds the entry written as row ${original}, and row ${displaced.row.seq} holds the entry written as row ${seq}: rows were swapped`,
    };
  }
  return {
    kind: 'removed',
    seq,
    explanation: `row ${seq} holds the entry written as row ${original}: rows ${seq}–${original - 1} were removed and the later rows renumbered`,
  };
}

/** The first problem between the verified `head` and the next row, if any. */
async function checkRow(
  db: AnyDb,
  stored: StoredAuditRow,
  head: AuditChainHead,
): Promise<AuditChainProblem | undefined> {
  const seq = stored.row.seq;
  const expected = head.seq + 1;
  if (seq > expected) {
    // A gap: seqs are given out under the chain lock and committed in order, so a missing
    // seq is a removed row. (The next row also no longer links, but the gap says more.)
    const missing =
      seq === expected + 1 ? `row ${expected} is missing` : `rows ${expected}–${seq - 1} are missing`;
    const after = head.seq === 0 ? 'the chain starts' : `after row ${head.seq} comes`;
    return { kind: 'removed', seq: expected, explanation: `${missing}: ${after} row ${seq}` };
  }
  if (seq < expected) {
    return {
      kind: 'altered',
      seq,
      explanation: `row ${seq} has a seq below 1, which the writer never gives out`,
    };
  }
  if (!selfConsistent(stored)) return classifyBrokenRow(db, stored);
  if (stored.prevHash !== head.hash) {
    // Both rows are intact and their seqs are consecutive, yet they do not link. Removing
    // rows alone cannot do this (it leaves a gap, and renumbering breaks the hash, see
    // above): a hash was recomputed. Most likely the previous row was rewritten and
    // re-hashed, so that is the row reported.
    if (head.seq === 0) {
      return {
        kind: 'altered',
        seq,
        explanation: `row ${seq} is intact but does not start the chain: it was rewritten and its hash recomputed`,
      };
    }
    return {
      kind: 'altered',
      seq: head.seq,
      explanation: `row ${seq} does not link to row ${head.seq} although both match their own hashes: row ${head.seq} was rewritten and its hash recomputed (or row ${seq}'s link was)`,
    };
  }
  return undefined;
}

/**
 * Verifies the zone's audit chain (see chain.ts for what each hash covers), reading the
 * rows in seq order, page by page, and reports the FIRST problem. Reads only.
 *
 * How tampering shows (the trigger must have been bypassed, e.g. by a superuser):
 * - a field changed → that row fails its hash → `altered` at it;
 * - a row deleted → a seq gap → `removed` at the first missing seq;
 * - rows swapped, or a row given another seq → it fails its hash under its seq but
 *   matches under another → `reordered` at the first displaced row (or `removed`, when
 *   rows were deleted and the rest renumbered);
 * - a row rewritten WITH its hash recomputed → the next row no longer links →
 *   `altered` at the rewritten row;
 * - the last rows deleted, or the whole chain recomputed from some row on → invisible
 *   without `expectHead`; with it → `removed` / `altered`.
 * Rows APPENDED by someone who can write the table are not detectable: the chain has
 * no secret. It proves history was not changed, not who wrote it.
 *
 * Rows appended while verifying are left for next time: the scan stops at the seq that
 * was last when it began (seqs commit in order, so that prefix is complete).
 */
export async function verifyAuditChain(
  db: AnyDb,
  options: VerifyAuditChainOptions = {},
): Promise<AuditChainReport> {
  const batchSize = options.batchSize ?? 5_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new MachiError('validation-failed', 'batchSize must be a positive integer.');
  }
  const anchor = options.expectHead;
  if (!(await auditLogExists(db))) {
    throw new MachiError('not-found', 'This database has no audit_log table (were its migrations run?).');
  }
  const upTo = await lastSeq(db);
  let head = GENESIS;
  let previous = GENESIS;
  let checked = 0;
  // A problem AT the last verified row (a re-hashed row, a wrong anchor) un-verifies it.
  const broken = (problem: AuditChainProblem): AuditChainReport => {
    const unverify = head.seq > 0 && problem.seq === head.seq;
    return {
      ok: false,
      rowsChecked: unverify ? checked - 1 : checked,
      head: unverify ? previous : head,
      problem,
    };
  };
  // The first page starts below 1, so that a row forged at seq 0 or below is seen too.
  let cursor = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = await readRowsAfter(db, cursor, batchSize, upTo);
    if (page.length === 0) break;
    for (const stored of page) {
      cursor = stored.row.seq;
      const problem = await checkRow(db, stored, head);
      if (problem) return broken(problem);
      previous = head;
      head = { seq: stored.row.seq, hash: stored.hash };
      checked += 1;
      if (anchor && head.seq === anchor.seq && head.hash !== anchor.hash) {
        return broken({
          kind: 'altered',
          seq: head.seq,
          explanation: `row ${head.seq} is consistent but its hash differs from the saved anchor: the chain up to it was rewritten and recomputed`,
        });
      }
    }
    options.onProgress?.(checked);
  }
  if (anchor && head.seq < anchor.seq) {
    return broken({
      kind: 'removed',
      seq: head.seq + 1,
      explanation: `the chain ends at row ${head.seq} but the saved anchor names row ${anchor.seq}: the last rows were removed`,
    });
  }
  return { ok: true, rowsChecked: checked, head };
}
