import { sql } from 'kysely';
import {
  type AuditEntry,
  type AuditLog,
  type ChainAppend,
  type Database,
  groupWriter,
  onePer,
} from '../../../core/index.ts';

/** One filing's row of procedure_submissions, checked and ready to keep. */
export interface FilingRow {
  readonly municipalityCode: string;
  readonly submissionId: string;
  readonly receiptNumber: string;
  readonly procedureId: string;
  readonly submittedBy: string;
  readonly idempotencyKey: string;
  readonly document: Uint8Array;
  readonly documentSha256: string;
  readonly signature: Uint8Array | null;
  readonly signatureSha256: string | null;
  readonly signerSerial: string | null;
  readonly submittedAt: Date;
}

interface Waiting {
  readonly row: FilingRow;
  readonly entry: AuditEntry;
  readonly resolve: (kept: boolean) => void;
}

/** Most filings one statement carries (each brings its signed document, a few KB). */
const MAX_GROUP = 100;

/**
 * Least time from one group's statement to the next (groupWriter): under load, the filings
 * of these milliseconds share a statement and a commit instead of a transaction of six round
 * trips each.
 */
const MIN_SPACING_MS = 2;

/** Tries of a group whose statement found the chain's head moved. */
const HEAD_ATTEMPTS = 3;

/**
 * A group's filings, their unsent rows and their audit entries as one statement: a plain
 * insert, so that any filing that clashes (an idempotency key or a signature used already, a
 * receipt number drawn twice) refuses the whole statement and nothing is written; so does a
 * chain head moved by another process. The chain's lock comes first, before any write.
 */
function statement(group: readonly Waiting[], append: ChainAppend) {
  const rows = group.map((waiting) => waiting.row);
  return sql<{ filed: number }>`
    with chain_lock as (select ${append.lock}),
    input as (
      select t.* from chain_lock, unnest(
        ${rows.map((r) => r.municipalityCode)}::char(6)[],
        ${rows.map((r) => r.submissionId)}::uuid[],
        ${rows.map((r) => r.receiptNumber)}::text[],
        ${rows.map((r) => r.procedureId)}::text[],
        ${rows.map((r) => r.submittedBy)}::text[],
        ${rows.map((r) => r.idempotencyKey)}::uuid[],
        ${rows.map((r) => r.document)}::bytea[],
        ${rows.map((r) => r.documentSha256)}::char(64)[],
        ${rows.map((r) => r.signature)}::bytea[],
        ${rows.map((r) => r.signatureSha256)}::char(64)[],
        ${rows.map((r) => r.signerSerial)}::text[],
        ${rows.map((r) => r.submittedAt.toISOString())}::timestamptz[])
      as t(municipality_code, submission_id, receipt_number, procedure_id, submitted_by,
        idempotency_key, document, document_sha256, signature, signature_sha256, signer_serial,
        submitted_at)
    ), filed as (
      insert into procedure_submissions (municipality_code, submission_id, receipt_number,
        procedure_id, submitted_by, idempotency_key, document, document_sha256, signature,
        signature_sha256, signer_serial, submitted_at)
      select municipality_code, submission_id, receipt_number, procedure_id, submitted_by,
        idempotency_key, document, document_sha256, signature, signature_sha256, signer_serial,
        submitted_at
      from input
      returning 1
    ), unsent as (
      insert into procedure_submissions_unsent (municipality_code, submission_id, submitted_at)
      select municipality_code, submission_id, submitted_at from input
    ), audited as (${append.insert(sql`true`)})
    select count(*)::int as filed from filed`;
}

type Filer = (waiting: Waiting) => void;

/** One filer per audit log (a zone has one, on its own database). */
const filerFor = onePer((audit: AuditLog, database: Database): Filer => {
  async function write(group: readonly Waiting[]): Promise<void> {
    let kept = false;
    try {
      // Should the chain's head move (a filing with a fee, or one going alone, appending
      // meanwhile), the group goes again on the head read anew. Sending its filings alone
      // instead made each of them move the head under the next group, which then went alone
      // too: at 500/s, a tenth of all filings took the slow way.
      kept = await audit.appendWithin(
        group.map((item) => item.entry),
        async (append) => {
          const [row] = await database.prepared(
            'procedures_file_together',
            statement(group, append).compile(database.db),
          );
          // A plain insert: all of them, or an error.
          return { result: row?.filed === group.length, appended: true };
        },
        { attempts: HEAD_ATTEMPTS },
      );
    } catch {
      // Nothing was written: a filing clashed (a key, a signature or a receipt number used
      // already), the head kept moving, or the statement failed for another reason (a deadlock
      // with a filing going alone, a lost connection). Each then goes alone, where its own
      // outcome is told; one that did commit unseen is found there by its key.
    }
    for (const item of group) item.resolve(kept);
  }

  return groupWriter(write, { maxGroup: MAX_GROUP, spacingMs: MIN_SPACING_MS });
});

/**
 * Keeps a filing (one without a fee) and its audit entry in a statement shared with the
 * filings of the moment, one commit for all. False when its group was refused as a whole
 * (a clash of any one of them, or the chain's head moved): nothing of it was kept, and the
 * caller files it alone, where a clash is told apart.
 */
export function fileTogether(
  database: Database,
  audit: AuditLog,
  row: FilingRow,
  entry: AuditEntry,
): Promise<boolean> {
  return new Promise((resolve) => filerFor(audit, database)({ row, entry, resolve }));
}
