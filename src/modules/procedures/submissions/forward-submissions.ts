import { type Kysely, sql } from 'kysely';
import type { Database, LgCode } from '../../../core/index.ts';
import type { ProcedureFeesTable } from '../fees/tables.ts';
import type { ProcedureSubmissionsTable, SubmissionsDb } from './tables.ts';

export interface UnsentSubmission {
  readonly municipalityCode: LgCode;
  readonly submissionId: string;
  readonly receiptNumber: string;
  readonly procedureId: string;
  readonly submittedBy: string;
  readonly submittedAt: Date;
  readonly document: Uint8Array;
  readonly signature: Uint8Array | null;
}

/** Filings not yet delivered inward, oldest first. */
export async function unsentSubmissions(database: Database, limit = 50): Promise<UnsentSubmission[]> {
  const rows = await (
    database.db as Kysely<{
      procedure_submissions: ProcedureSubmissionsTable;
      procedure_fees: ProcedureFeesTable;
    }>
  )
    .selectFrom('procedure_submissions')
    .select([
      'municipality_code',
      'submission_id',
      'receipt_number',
      'procedure_id',
      'submitted_by',
      'submitted_at',
      'document',
      'signature',
    ])
    .where('sent_at', 'is', null)
    .where('forward_error', 'is', null)
    // A filing that owes a fee goes to the back office once paid (a withdrawn one never).
    .where('withdrawal_requested_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('procedure_fees as f')
            .select('f.submission_id')
            .whereRef('f.municipality_code', '=', 'procedure_submissions.municipality_code')
            .whereRef('f.submission_id', '=', 'procedure_submissions.submission_id')
            .where('f.state', '<>', 'paid'),
        ),
      ),
    )
    .orderBy('submitted_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    municipalityCode: row.municipality_code as LgCode,
    submissionId: row.submission_id,
    receiptNumber: row.receipt_number,
    procedureId: row.procedure_id,
    submittedBy: row.submitted_by,
    submittedAt: new Date(row.submitted_at),
    document: new Uint8Array(row.document),
    signature: row.signature ? new Uint8Array(row.signature) : null,
  }));
}

type FilingKey = Pick<UnsentSubmission, 'municipalityCode' | 'submissionId'>;

/** Marks filings as delivered inward, in one statement (a batch lgwan took whole). */
export async function markSubmissionsForwarded(
  database: Database,
  filings: readonly FilingKey[],
  now: Date,
): Promise<void> {
  // One statement per municipality (a batch has one, mostly), each an index scan on the key:
  // a list of (code, id) pairs was planned as a scan of the whole table.
  const byMunicipality = new Map<LgCode, string[]>();
  for (const { municipalityCode, submissionId } of filings) {
    byMunicipality.set(municipalityCode, [...(byMunicipality.get(municipalityCode) ?? []), submissionId]);
  }
  for (const [municipalityCode, ids] of byMunicipality) {
    await (database.db as SubmissionsDb)
      .updateTable('procedure_submissions')
      .set({ sent_at: now })
      .where('municipality_code', '=', municipalityCode)
      .where('submission_id', '=', sql<string>`any(${ids}::uuid[])`)
      .execute();
  }
}

/** Marks a filing lgwan refused as invalid: it is not sent again, and the refusal is kept. */
export async function markSubmissionRefused(
  database: Database,
  filing: FilingKey,
  refusal: string,
): Promise<void> {
  await (database.db as SubmissionsDb)
    .updateTable('procedure_submissions')
    .set({ forward_error: refusal })
    .where('municipality_code', '=', filing.municipalityCode)
    .where('submission_id', '=', filing.submissionId)
    .execute();
}
