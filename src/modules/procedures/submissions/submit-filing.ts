import { hash, randomInt, randomUUID } from 'node:crypto';
import type { AuditEntry, LgCode } from '../../../core/index.ts';
import { isUniqueViolation, MachiError } from '../../../core/index.ts';
import { recordFeeDue } from '../fees/record-fee-due.ts';
import { notOffered } from '../settings/settings.ts';
import { beforeFiling, type EarlierFiling } from './before-filing.ts';
import { checkFiling } from './check-filing.ts';
import { type FilingRow, fileTogether } from './file-together.ts';
import type { SubmissionContext } from './submission-context.ts';
import type { SubmissionsDb } from './tables.ts';

export interface Filing {
  readonly procedureId: string;
  readonly resident: { readonly id: string; readonly municipalityCode: LgCode };
  readonly idempotencyKey: string;
  readonly document: Uint8Array;
  readonly signature: Uint8Array | undefined;
}

export interface Receipt {
  readonly submissionId: string;
  readonly receiptNumber: string;
  readonly submittedAt: Date;
  /** True when this was the same filing sent again (a double click, a retry): nothing new was made. */
  readonly repeated: boolean;
}

const sha256 = (bytes: Uint8Array) => hash('sha256', bytes);
// No 0/O, 1/I/L: read out over the phone to the counter.
const RECEIPT_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** The unique constraint PostgreSQL names for receipt_number (migrations.ts). */
const RECEIPT_NUMBER_KEY = 'procedure_submissions_receipt_number_key';

function receiptNumber(municipalityCode: string, now: Date): string {
  const jst = new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  const code = Array.from({ length: 6 }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join('');
  return `${municipalityCode}-${jst}-${code}`;
}

/** The same filing sent before, by this resident under this key: its receipt. */
function repeatOf(filing: Filing, row: EarlierFiling | undefined): Receipt | undefined {
  if (!row) return undefined;
  if (row.document_sha256 !== sha256(filing.document)) {
    throw new MachiError('conflict', 'This idempotency key was used for another filing.');
  }
  return {
    submissionId: row.submission_id,
    receiptNumber: row.receipt_number,
    submittedAt: new Date(row.submitted_at),
    repeated: true,
  };
}

const readBefore = (context: SubmissionContext, filing: Filing) =>
  beforeFiling(context.database, {
    submittedBy: filing.resident.id,
    idempotencyKey: filing.idempotencyKey,
    municipalityCode: filing.resident.municipalityCode,
    procedureId: filing.procedureId,
  });

/**
 * Files one application: the signed document checked (shape, procedure, municipality, the
 * form's items, attachments that are this resident's sanitized uploads, the card's signature
 * over exactly these bytes), then kept with a receipt number in one transaction with its
 * audit entry (shared with the filings of the moment when it has no fee: fileTogether).
 * The same filing sent again under the same key gets the same receipt; a signature already
 * used is refused (a replay).
 */
export async function submitFiling(context: SubmissionContext, filing: Filing): Promise<Receipt> {
  const procedure = context.catalogue.get(filing.procedureId);
  if (!procedure) throw new MachiError('not-found', 'No such procedure in the catalogue.');
  const before = await readBefore(context, filing);
  // A filing sent again gets its receipt, even if the procedure was turned off since.
  const again = repeatOf(filing, before.earlier);
  if (again) return again;
  if (!before.offered) throw notOffered(filing.procedureId);
  const { document, signature } = await checkFiling(context, procedure, filing);
  const now = context.clock.now();
  const fee = procedure.definition.fee;
  const documentSha256 = sha256(filing.document);
  const signatureSha256 = filing.signature ? sha256(filing.signature) : null;
  for (let attempt = 1; ; attempt++) {
    const receipt = {
      submissionId: randomUUID(),
      receiptNumber: receiptNumber(filing.resident.municipalityCode, now),
      submittedAt: now,
      repeated: false,
    };
    const row: FilingRow = {
      municipalityCode: filing.resident.municipalityCode,
      submissionId: receipt.submissionId,
      receiptNumber: receipt.receiptNumber,
      procedureId: filing.procedureId,
      submittedBy: filing.resident.id,
      idempotencyKey: filing.idempotencyKey,
      document: filing.document,
      documentSha256,
      signature: filing.signature ?? null,
      signatureSha256,
      signerSerial: signature?.serialNumber ?? null,
      submittedAt: now,
    };
    const entry: AuditEntry = {
      municipalityCode: filing.resident.municipalityCode,
      actor: filing.resident.id,
      action: 'procedures.submit',
      target: receipt.submissionId,
      outcome: 'success',
      details: {
        procedure: filing.procedureId,
        attachments: document.attachments.length,
        signed: signature !== undefined,
      },
    };
    // First with the filings of the moment, in one statement; a fee (a second table) or a
    // group refused as a whole sends it the careful way, alone.
    if (attempt === 1 && !fee && (await fileTogether(context.database, context.audit, row, entry))) {
      return receipt;
    }
    try {
      await context.database.db.transaction().execute(async (trx) => {
        await (trx as unknown as SubmissionsDb)
          .insertInto('procedure_submissions')
          .values({
            municipality_code: row.municipalityCode,
            submission_id: row.submissionId,
            receipt_number: row.receiptNumber,
            procedure_id: row.procedureId,
            submitted_by: row.submittedBy,
            idempotency_key: row.idempotencyKey,
            document: row.document,
            document_sha256: row.documentSha256,
            signature: row.signature,
            signature_sha256: row.signatureSha256,
            signer_serial: row.signerSerial,
            submitted_at: row.submittedAt,
          })
          .execute();
        await (trx as unknown as SubmissionsDb)
          .insertInto('procedure_submissions_unsent')
          .values({
            municipality_code: row.municipalityCode,
            submission_id: row.submissionId,
            submitted_at: row.submittedAt,
          })
          .execute();
        if (fee) {
          // Owed with the filing, in its transaction: it crosses inward only once paid.
          const due = {
            municipalityCode: filing.resident.municipalityCode,
            submissionId: receipt.submissionId,
            procedureId: filing.procedureId,
            payer: filing.resident.id,
            amountYen: fee.amountYen,
          };
          await recordFeeDue(trx, due, now);
        }
        await context.audit.append(trx, entry);
      });
      return receipt;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // The receipt number drawn was taken: 6 characters of 31 (~8.9 × 10^8) per municipality
      // and day, so at 30,000 filings in a day two draw the same one with a chance of ~40 %
      // (the birthday bound; `npm run bench submit` met it twice in 30,000). Draw again.
      if ((error as { constraint?: unknown }).constraint === RECEIPT_NUMBER_KEY && attempt < 3) continue;
      // Two requests with the same key at once: the other one won; answer with its receipt.
      const other = repeatOf(filing, (await readBefore(context, filing)).earlier);
      if (other) return other;
      throw new MachiError('conflict', 'This signed filing was submitted already.');
    }
  }
}
