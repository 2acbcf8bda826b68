import { hash } from 'node:crypto';
import type { LgCode } from '../../../core/index.ts';
import { isUniqueViolation, MachiError } from '../../../core/index.ts';
import { checkFiling } from './check-filing.ts';
import { sentOf } from './sent.ts';
import type { SubmissionContext } from './submission-context.ts';
import type { SubmissionsDb } from './tables.ts';

export interface Correction {
  readonly submissionId: string;
  readonly resident: { readonly id: string; readonly municipalityCode: LgCode };
  readonly idempotencyKey: string;
  readonly document: Uint8Array;
  readonly signature: Uint8Array | undefined;
}

const sha256 = (bytes: Uint8Array) => hash('sha256', bytes);

/**
 * The resident answers a request for correction (補正) with the whole filing signed again:
 * checked by the same rules as the first filing, kept as the next version and sent inward.
 * Only while a correction is asked for; the same answer sent twice (same key) is one.
 */
export async function submitCorrection(
  context: SubmissionContext,
  correction: Correction,
): Promise<{ version: number; repeated: boolean }> {
  const db = context.database.db as SubmissionsDb;
  const filing = await db
    .selectFrom('procedure_submissions')
    .select(['procedure_id', 'status', 'version'])
    .where('municipality_code', '=', correction.resident.municipalityCode)
    .where('submission_id', '=', correction.submissionId)
    .where('submitted_by', '=', correction.resident.id)
    .executeTakeFirst();
  if (!filing) throw new MachiError('not-found', 'No such filing of yours.');
  const earlier = await db
    .selectFrom('procedure_submission_versions')
    .select(['version', 'document_sha256'])
    .where('municipality_code', '=', correction.resident.municipalityCode)
    .where('submission_id', '=', correction.submissionId)
    .where('idempotency_key', '=', correction.idempotencyKey)
    .executeTakeFirst();
  if (earlier) {
    if (earlier.document_sha256 !== sha256(correction.document)) {
      throw new MachiError('conflict', 'This idempotency key was used for another correction.');
    }
    return { version: earlier.version, repeated: true };
  }
  if (filing.status !== 'correction-requested') {
    throw new MachiError('conflict', 'No correction is asked for this filing now.', {
      status: filing.status,
    });
  }
  const procedure = context.catalogue.get(filing.procedure_id);
  if (!procedure) throw new MachiError('not-found', 'The procedure is no longer in the catalogue.');
  await checkFiling(context, procedure, { ...correction, procedureId: filing.procedure_id });
  const version = filing.version + 1;
  const now = context.clock.now();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('procedure_submission_versions')
        .values({
          municipality_code: correction.resident.municipalityCode,
          submission_id: correction.submissionId,
          version,
          idempotency_key: correction.idempotencyKey,
          document: correction.document,
          document_sha256: sha256(correction.document),
          signature: correction.signature ?? null,
          signature_sha256: correction.signature ? sha256(correction.signature) : null,
          submitted_at: now,
        })
        .execute();
      await context.audit.append(trx, {
        municipalityCode: correction.resident.municipalityCode,
        actor: correction.resident.id,
        action: 'procedures.correct',
        target: correction.submissionId,
        outcome: 'success',
        details: { procedure: filing.procedure_id, version },
      });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // The same version twice (a second tab) or a signature used before (a replay).
    throw new MachiError('conflict', 'This correction was submitted already.');
  }
  return { version, repeated: false };
}

/**
 * 取下げ: the resident asks to withdraw a filing. Sent inward, where it ends the case if no
 * clerk has started yet; the answer comes back as a case update.
 */
export async function requestWithdrawal(
  context: SubmissionContext,
  resident: { readonly id: string; readonly municipalityCode: LgCode },
  submissionId: string,
): Promise<{ withdrawnHere: boolean }> {
  const now = context.clock.now();
  return context.database.db.transaction().execute(async (trx) => {
    const db = trx as unknown as SubmissionsDb;
    const filing = await db
      .selectFrom('procedure_submissions as s')
      .select(['s.status', 's.withdrawal_requested_at', sentOf('s').as('sent')])
      .where('s.municipality_code', '=', resident.municipalityCode)
      .where('s.submission_id', '=', submissionId)
      .where('s.submitted_by', '=', resident.id)
      .forUpdate()
      .executeTakeFirst();
    if (!filing) throw new MachiError('not-found', 'No such filing of yours.');
    if (filing.withdrawal_requested_at)
      return { withdrawnHere: filing.status === 'withdrawn' && !filing.sent };
    if (filing.status !== null && filing.status !== 'received') {
      throw new MachiError('conflict', 'The review has started: ask the office to withdraw it.', {
        status: filing.status,
      });
    }
    // Not yet sent inward (e.g. its fee unpaid): the back office never hears of it.
    const withdrawnHere = !filing.sent;
    await db
      .updateTable('procedure_submissions')
      .set(
        withdrawnHere
          ? { withdrawal_requested_at: now, withdrawal_sent_at: now, status: 'withdrawn', updated_at: now }
          : { withdrawal_requested_at: now },
      )
      .where('municipality_code', '=', resident.municipalityCode)
      .where('submission_id', '=', submissionId)
      .execute();
    await context.audit.append(trx, {
      municipalityCode: resident.municipalityCode,
      actor: resident.id,
      action: 'procedures.withdraw',
      target: submissionId,
      outcome: 'success',
      details: { withdrawnHere },
    });
    return { withdrawnHere };
  });
}
