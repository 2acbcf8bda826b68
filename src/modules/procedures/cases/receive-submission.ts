import { type LgCode, MachiError } from '../../../core/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import { parseSignedDocument, type SignedDocument } from '../submissions/signed-document.ts';
import type { AnyTransaction } from './case-record.ts';
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
  await receiveSubmissions(trx, catalogue, [{ municipalityCode, incoming }], now);
}

/**
 * `receiveSubmission` for filings that arrive together (a gateway batch): each checked again,
 * then their cases, first versions and `received` events written in one statement each. Any
 * filing that fails its check throws before anything is written.
 */
export async function receiveSubmissions(
  trx: AnyTransaction,
  catalogue: ReadonlyMap<string, Procedure>,
  filings: readonly { readonly municipalityCode: LgCode; readonly incoming: IncomingSubmission }[],
  now: Date,
): Promise<void> {
  const rows = filings.map(({ municipalityCode, incoming }) => {
    const document = checkIncomingDocument(
      catalogue,
      municipalityCode,
      incoming.procedureId,
      incoming.document,
      incoming.signature,
    );
    const procedure = catalogue.get(incoming.procedureId)!;
    const submittedAt = new Date(incoming.submittedAt);
    return {
      municipalityCode,
      incoming,
      submittedAt,
      attachments: JSON.stringify(document.attachments),
      dueOn: dueOn(submittedAt, procedure.definition.standardProcessingDays),
    };
  });
  if (rows.length === 0) return;
  const db = trx as CasesDb;
  const opened = await db
    .insertInto('procedure_cases')
    .values(
      rows.map((row) => ({
        municipality_code: row.municipalityCode,
        submission_id: row.incoming.submissionId,
        receipt_number: row.incoming.receiptNumber,
        procedure_id: row.incoming.procedureId,
        submitted_by: row.incoming.submittedBy,
        submitted_at: row.submittedAt,
        received_at: now,
        due_on: row.dueOn,
        status: 'received' as const,
        document: row.incoming.document,
        signature: row.incoming.signature,
        attachments: row.attachments,
        version: 1,
        updated_at: now,
        update_sequence: 0,
      })),
    )
    .onConflict((conflict) => conflict.doNothing())
    .returning(['municipality_code', 'submission_id'])
    .execute();
  const isNew = new Set(opened.map((row) => `${row.municipality_code}:${row.submission_id}`));
  const fresh = rows.filter((row) => isNew.has(`${row.municipalityCode}:${row.incoming.submissionId}`));
  if (fresh.length === 0) return;
  await db
    .insertInto('procedure_case_versions')
    .values(
      fresh.map((row) => ({
        municipality_code: row.municipalityCode,
        submission_id: row.incoming.submissionId,
        version: 1,
        submitted_at: row.submittedAt,
        received_at: now,
        document: row.incoming.document,
        signature: row.incoming.signature,
        attachments: row.attachments,
      })),
    )
    .execute();
  // A case opened in this statement has no events yet: `received` is its first.
  await db
    .insertInto('procedure_case_events')
    .values(
      fresh.map((row) => ({
        municipality_code: row.municipalityCode,
        submission_id: row.incoming.submissionId,
        event_no: 1,
        at: now,
        actor: row.incoming.submittedBy,
        kind: 'received' as const,
        version: 1,
        message: null,
        details: JSON.stringify({}),
      })),
    )
    .execute();
}
