import type { Database, LgCode } from '../../../core/index.ts';
import { sentOf } from './sent.ts';
import type { SubmissionsDb } from './tables.ts';

export interface UnsentCorrection {
  readonly municipalityCode: LgCode;
  readonly submissionId: string;
  readonly version: number;
  readonly submittedAt: Date;
  readonly document: Uint8Array;
  readonly signature: Uint8Array | null;
}

/** Corrections not yet delivered inward, oldest first. */
export async function unsentCorrections(database: Database, limit = 50): Promise<UnsentCorrection[]> {
  const rows = await (database.db as SubmissionsDb)
    .selectFrom('procedure_submission_versions')
    .select(['municipality_code', 'submission_id', 'version', 'submitted_at', 'document', 'signature'])
    .where('sent_at', 'is', null)
    .where('forward_error', 'is', null)
    .orderBy('submitted_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    municipalityCode: row.municipality_code as LgCode,
    submissionId: row.submission_id,
    version: row.version,
    submittedAt: new Date(row.submitted_at),
    document: new Uint8Array(row.document),
    signature: row.signature ? new Uint8Array(row.signature) : null,
  }));
}

export async function markCorrectionForwarded(
  database: Database,
  where: { municipalityCode: LgCode; submissionId: string; version: number },
  now: Date,
  error?: string,
): Promise<void> {
  await (database.db as SubmissionsDb)
    .updateTable('procedure_submission_versions')
    .set(error ? { forward_error: error } : { sent_at: now })
    .where('municipality_code', '=', where.municipalityCode)
    .where('submission_id', '=', where.submissionId)
    .where('version', '=', where.version)
    .execute();
}

export interface UnsentWithdrawal {
  readonly municipalityCode: LgCode;
  readonly submissionId: string;
  readonly requestedAt: Date;
}

/** Withdrawals of filings the back office has, not yet sent. */
export async function unsentWithdrawals(database: Database, limit = 50): Promise<UnsentWithdrawal[]> {
  const rows = await (database.db as SubmissionsDb)
    .selectFrom('procedure_submissions as s')
    .select(['s.municipality_code', 's.submission_id', 's.withdrawal_requested_at'])
    .where('s.withdrawal_requested_at', 'is not', null)
    .where('s.withdrawal_sent_at', 'is', null)
    .where(sentOf('s'))
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    municipalityCode: row.municipality_code as LgCode,
    submissionId: row.submission_id,
    requestedAt: new Date(row.withdrawal_requested_at!),
  }));
}

export async function markWithdrawalSent(
  database: Database,
  where: { municipalityCode: LgCode; submissionId: string },
  now: Date,
): Promise<void> {
  await (database.db as SubmissionsDb)
    .updateTable('procedure_submissions')
    .set({ withdrawal_sent_at: now })
    .where('municipality_code', '=', where.municipalityCode)
    .where('submission_id', '=', where.submissionId)
    .execute();
}
