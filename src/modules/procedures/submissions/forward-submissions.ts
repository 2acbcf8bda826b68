import { type Kysely, sql } from 'kysely';
import { type Database, fixedQuery, type LgCode } from '../../../core/index.ts';
import type { ProcedureFeesTable } from '../fees/tables.ts';
import type { ProcedureSubmissionsTable, ProcedureSubmissionsUnsentTable, SubmissionsDb } from './tables.ts';

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

type ForwardingDb = Kysely<{
  procedure_submissions: ProcedureSubmissionsTable;
  procedure_submissions_unsent: ProcedureSubmissionsUnsentTable;
  procedure_fees: ProcedureFeesTable;
}>;

// Read by every forwarding round (several a second under load): planned once per connection.
const oldestUnsent = fixedQuery('procedures_oldest_unsent', (db: ForwardingDb, limit: number) =>
  db
    .selectFrom('procedure_submissions_unsent as u')
    .innerJoin('procedure_submissions as s', (join) =>
      join
        .onRef('s.municipality_code', '=', 'u.municipality_code')
        .onRef('s.submission_id', '=', 'u.submission_id'),
    )
    .select([
      's.municipality_code',
      's.submission_id',
      's.receipt_number',
      's.procedure_id',
      's.submitted_by',
      's.submitted_at',
      's.document',
      's.signature',
    ])
    // A filing that owes a fee goes to the back office once paid (a withdrawn one never).
    .where('s.withdrawal_requested_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('procedure_fees as f')
            .select('f.submission_id')
            .whereRef('f.municipality_code', '=', 's.municipality_code')
            .whereRef('f.submission_id', '=', 's.submission_id')
            .where('f.state', '<>', 'paid'),
        ),
      ),
    )
    .orderBy('u.submitted_at')
    .limit(limit),
);

/** Filings not yet delivered inward, oldest first. */
export async function unsentSubmissions(database: Database, limit = 50): Promise<UnsentSubmission[]> {
  const rows = await oldestUnsent(database, limit);
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
): Promise<void> {
  // One statement per municipality (a batch has one, mostly), each an index scan on the key:
  // a list of (code, id) pairs was planned as a scan of the whole table.
  const byMunicipality = new Map<LgCode, string[]>();
  for (const { municipalityCode, submissionId } of filings) {
    byMunicipality.set(municipalityCode, [...(byMunicipality.get(municipalityCode) ?? []), submissionId]);
  }
  for (const [municipalityCode, ids] of byMunicipality) {
    await (database.db as SubmissionsDb)
      .deleteFrom('procedure_submissions_unsent')
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
  const { municipalityCode, submissionId } = filing;
  await sql`
    with sent_no_more as (
      delete from procedure_submissions_unsent
      where municipality_code = ${municipalityCode} and submission_id = ${submissionId}
    )
    update procedure_submissions set forward_error = ${refusal}
    where municipality_code = ${municipalityCode} and submission_id = ${submissionId}`.execute(database.db);
}
