import { type Kysely, sql } from 'kysely';
import { type AuditRow, normaliseStoredAt } from './chain.ts';
import type { AuditDetail } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: the audit table is not in any module's table types.
type AnyDb = Kysely<any>;

/** A row as read back, with what the hash covers (`row`) and the two chain links. */
export interface StoredAuditRow {
  readonly row: AuditRow;
  readonly prevHash: string;
  readonly hash: string;
  /** false when `details` is not a JSON object (it can only have been changed by hand). */
  readonly wellFormed: boolean;
}

interface RawRow {
  seq: number | string;
  at: string;
  municipality_code: string | null;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function parseDetails(text: string): Record<string, AuditDetail> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, AuditDetail>;
    }
  } catch {
    // jsonb always prints valid JSON; fall through to "not well formed" anyway.
  }
  return undefined;
}

function toStored(raw: RawRow): StoredAuditRow {
  const details = parseDetails(raw.details);
  return {
    row: {
      seq: Number(raw.seq),
      at: normaliseStoredAt(raw.at),
      municipalityCode: raw.municipality_code,
      actor: raw.actor,
      action: raw.action,
      target: raw.target,
      reason: raw.reason,
      outcome: raw.outcome,
      details: details ?? {},
    },
    prevHash: raw.prev_hash,
    hash: raw.hash,
    wellFormed: details !== undefined,
  };
}

// `at` as text with every microsecond, in UTC whatever the session time zone; `details`
// as the jsonb text, parsed here, so neither driver's type parsers can round anything.
const COLUMNS = sql`seq,
  to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
  municipality_code, actor, action, target, reason, outcome, details::text as details, prev_hash, hash`;

/** Rows with `after < seq <= upTo`, in seq order: one page of a keyset-paginated scan. */
export async function readRowsAfter(
  db: AnyDb,
  after: number,
  limit: number,
  upTo: number = Number.MAX_SAFE_INTEGER,
): Promise<StoredAuditRow[]> {
  const result = await sql<RawRow>`
    select ${COLUMNS} from audit_log
    where seq > ${after} and seq <= ${upTo}
    order by seq limit ${limit}`.execute(db);
  return result.rows.map(toStored);
}

/** The last `limit` rows, newest last. */
export async function readLastRows(db: AnyDb, limit: number): Promise<StoredAuditRow[]> {
  const result = await sql<RawRow>`
    select ${COLUMNS} from audit_log order by seq desc limit ${limit}`.execute(db);
  return result.rows.map(toStored).reverse();
}

/** Whether the zone database has an audit log at all (without creating anything). */
export async function auditLogExists(db: AnyDb): Promise<boolean> {
  const result = await sql<{ exists: boolean }>`
    select to_regclass('audit_log') is not null as exists`.execute(db);
  return result.rows[0]?.exists === true;
}

/** The highest seq, or 0 for an empty log. */
export async function lastSeq(db: AnyDb): Promise<number> {
  const result = await sql<{ seq: number | string | null }>`select max(seq) as seq from audit_log`.execute(
    db,
  );
  return Number(result.rows[0]?.seq ?? 0);
}
