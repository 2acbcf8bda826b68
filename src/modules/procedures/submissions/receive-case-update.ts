import type { Kysely } from 'kysely';
import type { LgCode } from '../../../core/index.ts';
import type { CaseStatus } from '../cases/case-status.ts';
import type { SubmissionsDb } from './tables.ts';

export interface ReceivedCaseUpdate {
  readonly submissionId: string;
  readonly sequence: number;
  readonly status: CaseStatus;
  readonly version: number;
  readonly at: string;
  readonly message: string | null;
  readonly fields: readonly string[];
  readonly notice: { readonly noticeId: string; readonly title: string; readonly pdf: Uint8Array } | null;
}

/** Called when the back office closes a filing without granting it: its fee is to be paid back. */
export type OnRefundDue = (
  // biome-ignore lint/suspicious/noExplicitAny: the handler's transaction, of any tables.
  trx: Kysely<any>,
  where: { municipalityCode: LgCode; submissionId: string },
  reason: 'rejected' | 'withdrawn',
) => Promise<unknown>;

/**
 * The portal hears of a change to a filing (procedures.case-update, pulled from lgwan): the
 * filing's status follows the newest update (updates may arrive out of order; an older one
 * changes nothing there), and every update becomes an entry of the resident's inbox, with
 * the signed notice when there is one. A rejection or withdrawal pays the fee back.
 */
export async function receiveCaseUpdate(
  // biome-ignore lint/suspicious/noExplicitAny: the handler's transaction, of any tables.
  trx: Kysely<any>,
  municipalityCode: LgCode,
  update: ReceivedCaseUpdate,
  now: Date,
  onRefundDue: OnRefundDue,
): Promise<{ resident: string; receiptNumber: string; newEntry: boolean }> {
  const db = trx as SubmissionsDb;
  const filing = await db
    .selectFrom('procedure_submissions')
    .select(['submitted_by', 'update_sequence', 'receipt_number'])
    .where('municipality_code', '=', municipalityCode)
    .where('submission_id', '=', update.submissionId)
    .forUpdate()
    .executeTakeFirst();
  // A case lgwan knows but the portal does not cannot happen unless data were lost: say so loudly.
  if (!filing) throw new Error(`A case update names filing ${update.submissionId}, unknown here.`);
  if (update.sequence > filing.update_sequence) {
    await db
      .updateTable('procedure_submissions')
      .set({
        status: update.status,
        version: update.version,
        update_sequence: update.sequence,
        status_message: update.message,
        correction_fields: JSON.stringify(update.fields),
        updated_at: new Date(update.at),
      })
      .where('municipality_code', '=', municipalityCode)
      .where('submission_id', '=', update.submissionId)
      .execute();
  }
  const entry = await db
    .insertInto('procedure_inbox')
    .values({
      municipality_code: municipalityCode,
      submission_id: update.submissionId,
      sequence: update.sequence,
      resident: filing.submitted_by,
      status: update.status,
      message: update.message,
      notice_id: update.notice?.noticeId ?? null,
      notice_title: update.notice?.title ?? null,
      notice_pdf: update.notice?.pdf ?? null,
      created_at: now,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('sequence')
    .executeTakeFirst();
  if (update.status === 'rejected' || update.status === 'withdrawn') {
    await onRefundDue(trx, { municipalityCode, submissionId: update.submissionId }, update.status);
  }
  return {
    resident: filing.submitted_by,
    receiptNumber: filing.receipt_number,
    newEntry: entry !== undefined,
  };
}
