import { type LgCode, MachiError, tenantScope } from '../../../core/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import { type AnyTransaction, addEvent, lockCase, moveCase, type NotifyResident } from './case-record.ts';
import { nextStatus } from './case-status.ts';
import { checkIncomingDocument } from './receive-submission.ts';
import type { CasesDb } from './tables.ts';

export interface IncomingCorrection {
  readonly submissionId: string;
  readonly version: number;
  readonly submittedAt: string;
  readonly document: Uint8Array;
  readonly signature: Uint8Array | null;
}

/**
 * The resident's answer to a request for correction (補正): a whole new signed document,
 * kept as the next version. The case goes back to review; the old versions stay.
 */
export async function receiveCorrection(
  trx: AnyTransaction,
  municipalityCode: LgCode,
  catalogue: ReadonlyMap<string, Procedure>,
  incoming: IncomingCorrection,
  now: Date,
  notify: NotifyResident,
): Promise<void> {
  const scope = tenantScope(municipalityCode);
  const row = await lockCase(trx, scope, { submissionId: incoming.submissionId });
  const document = checkIncomingDocument(
    catalogue,
    municipalityCode,
    row.procedure_id,
    incoming.document,
    incoming.signature,
  );
  if (incoming.version !== row.version + 1) {
    throw new MachiError(
      'gateway-message-invalid',
      `Correction: version ${incoming.version} does not follow version ${row.version}.`,
    );
  }
  const status = nextStatus(row.status, 'correct');
  const attachments = JSON.stringify(document.attachments);
  const submittedAt = new Date(incoming.submittedAt);
  const db = trx as CasesDb;
  await db
    .insertInto('procedure_case_versions')
    .values({
      municipality_code: municipalityCode,
      submission_id: row.submission_id,
      version: incoming.version,
      submitted_at: submittedAt,
      received_at: now,
      document: incoming.document,
      signature: incoming.signature,
      attachments,
    })
    .execute();
  await db
    .updateTable('procedure_cases')
    .set({ document: incoming.document, signature: incoming.signature, attachments })
    .where('municipality_code', '=', municipalityCode)
    .where('submission_id', '=', row.submission_id)
    .execute();
  const sequence = await moveCase(trx, row, { status, at: now, version: incoming.version });
  await addEvent(trx, row, {
    at: now,
    actor: row.submitted_by,
    kind: 'corrected',
    version: incoming.version,
  });
  await notify(trx, scope, {
    submissionId: row.submission_id,
    sequence,
    status,
    version: incoming.version,
    at: now.toISOString(),
    message: null,
    fields: [],
    notice: null,
  });
}

/**
 * The resident withdraws (取下げ). Before a clerk has started it ends the case; after, the
 * refusal is recorded and the resident is told to contact the office. Either way the
 * resident's side hears the outcome.
 */
export async function receiveWithdrawal(
  trx: AnyTransaction,
  municipalityCode: LgCode,
  submissionId: string,
  now: Date,
  notify: NotifyResident,
): Promise<void> {
  const scope = tenantScope(municipalityCode);
  const row = await lockCase(trx, scope, { submissionId });
  const base = { submissionId, version: row.version, at: now.toISOString(), fields: [], notice: null };
  if (row.status === 'withdrawn') return;
  let status: ReturnType<typeof nextStatus>;
  try {
    status = nextStatus(row.status, 'withdraw');
  } catch {
    const sequence = await moveCase(trx, row, { status: row.status, at: now });
    await addEvent(trx, row, {
      at: now,
      actor: row.submitted_by,
      kind: 'withdrawal-refused',
      version: row.version,
    });
    await notify(trx, scope, {
      ...base,
      sequence,
      status: row.status,
      message: '審査が始まっているため、オンラインでは取り下げできません。担当窓口にご連絡ください。',
    });
    return;
  }
  const sequence = await moveCase(trx, row, { status, at: now, decided: true });
  await addEvent(trx, row, { at: now, actor: row.submitted_by, kind: 'withdrawn', version: row.version });
  await notify(trx, scope, { ...base, sequence, status, message: null });
}
