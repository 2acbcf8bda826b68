import type { Kysely } from 'kysely';
import { MachiError } from '../errors/index.ts';
import { auditLogExists, readLastRows } from './read-rows.ts';
import type { AuditDetail } from './types.ts';

/** One row of the log as an auditor reads it. Entries carry ids only, never personal data. */
export interface AuditLogRow {
  readonly seq: number;
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly municipalityCode: string | null;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly reason: string | null;
  readonly outcome: string;
  readonly details: Readonly<Record<string, AuditDetail>>;
  readonly hash: string;
}

export const MAX_TAIL = 10_000;

/** The last `limit` entries of the zone's log, oldest first (like `tail`). Reads only. */
// biome-ignore lint/suspicious/noExplicitAny: the audit table is not in any module's table types.
export async function readAuditTail(db: Kysely<any>, limit: number): Promise<AuditLogRow[]> {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_TAIL) {
    throw new MachiError('validation-failed', `The number of entries must be from 1 to ${MAX_TAIL}.`);
  }
  if (!(await auditLogExists(db))) {
    throw new MachiError('not-found', 'This database has no audit_log table (were its migrations run?).');
  }
  const rows = await readLastRows(db, limit);
  return rows.map(({ row, hash }) => ({ ...row, hash }));
}
