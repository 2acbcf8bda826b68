import { type LgCode, MachiError, tenantScope } from '../../../core/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import { parseSignedDocument, type SignedDocument } from '../submissions/signed-document.ts';
import { type AnyTransaction, addEvent, lockCase } from './case-record.ts';
import type { CasesDb } from './tables.ts';

export interface IncomingSubmission {
  readonly submissionId: string;
  readonly receiptNumber: string;
  readonly procedureId: string;
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly document: Uint8Array;
  readonly signature: Uint8Array | null;
}

function refused(detail: string): MachiError {
  return new MachiError('gateway-message-invalid', `Filing: ${detail}`);
}

/** The day a period of `days` from `at` ends, as a date in Japan. */
function dueOn(at: Date, days: number | null): string | null {
  if (days === null) return null;
  return new Date(at.getTime() + 9 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A signed document that crosses inward is checked again here, against the same catalogue,
 * as all text from the internet must be (無害化 of text): its shape, its procedure and
 * municipality, the form's items and the signature the procedure needs.
 */
export function checkIncomingDocument(
  catalogue: ReadonlyMap<string, Procedure>,
  municipalityCode: LgCode,
  procedureId: string,
  document: Uint8Array,
  signature: Uint8Array | null,
): SignedDocument {
  const procedure = catalogue.get(procedureId);
  if (!procedure) throw refused(`no procedure ${procedureId} here.`);
  let parsed: SignedDocument;
  try {
    parsed = parseSignedDocument(document);
  } catch {
    throw refused('the document is not a filing.');
  }
  if (parsed.procedureId !== procedureId || parsed.municipalityCode !== municipalityCode) {
    throw refused('the document is for another procedure or municipality.');
  }
  if (procedure.validate(parsed.data).length > 0) throw refused('the form data do not pass the procedure.');
  if (procedure.definition.signatureRequired && !signature) throw refused('the signature is missing.');
  return parsed;
}

/**
 * A filing arrives in the back office (lgwan): checked again, then a case is opened with its
 * first version and a `received` event. Received twice (a redelivery), it is one case.
 */
export async function receiveSubmission(
  trx: AnyTransaction,
  municipalityCode: LgCode,
  catalogue: ReadonlyMap<string, Procedure>,
  incoming: IncomingSubmission,
  now: Date,
): Promise<void> {
  const document = checkIncomingDocument(
    catalogue,
    municipalityCode,
    incoming.procedureId,
    incoming.document,
    incoming.signature,
  );
  const procedure = catalogue.get(incoming.procedureId)!;
  const submittedAt = new Date(incoming.submittedAt);
  const attachments = JSON.stringify(document.attachments);
  const db = trx as CasesDb;
  const opened = await db
    .insertInto('procedure_cases')
    .values({
      municipality_code: municipalityCode,
      submission_id: incoming.submissionId,
      receipt_number: incoming.receiptNumber,
      procedure_id: incoming.procedureId,
      submitted_by: incoming.submittedBy,
      submitted_at: submittedAt,
      received_at: now,
      due_on: dueOn(submittedAt, procedure.definition.standardProcessingDays),
      status: 'received',
      document: incoming.document,
      signature: incoming.signature,
      attachments,
      version: 1,
      updated_at: now,
      update_sequence: 0,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('submission_id')
    .executeTakeFirst();
  if (!opened) return;
  await db
    .insertInto('procedure_case_versions')
    .values({
      municipality_code: municipalityCode,
      submission_id: incoming.submissionId,
      version: 1,
      submitted_at: submittedAt,
      received_at: now,
      document: incoming.document,
      signature: incoming.signature,
      attachments,
    })
    .execute();
  const row = await lockCase(trx, tenantScope(municipalityCode), { submissionId: incoming.submissionId });
  await addEvent(trx, row, { at: now, actor: incoming.submittedBy, kind: 'received', version: 1 });
}
