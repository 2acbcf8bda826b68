import type { AuditLog, Clock, Database, FileStore, TenantScope } from '../../../core/index.ts';
import { type LgCode, MachiError, tenantScope } from '../../../core/index.ts';
import { type IdentityDb, listStaff, type StaffPrincipal } from '../../identity/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import {
  type AnyTransaction,
  addEvent,
  type CaseRow,
  lockCase,
  moveCase,
  type NotifyResident,
} from './case-record.ts';
import { type CaseStatus, isOpen, nextStatus } from './case-status.ts';
import type { CasesDb } from './tables.ts';

/** What the disposition notice (処分通知) is made from. */
export interface NoticeInput {
  readonly scope: TenantScope;
  readonly receiptNumber: string;
  readonly procedure: Procedure;
  readonly outcome: 'approved' | 'rejected';
  readonly reasons: string;
  readonly decidedAt: Date;
  readonly filedAt: Date;
  /** The current version as the resident signed it: the notice is addressed to its signer. */
  readonly document: Uint8Array;
  readonly signature: Uint8Array | null;
}

export interface MadeNotice {
  readonly noticeId: string;
  readonly title: string;
  /** The PDF, signed by the municipality. */
  readonly pdf: Uint8Array;
}

export interface CaseContext {
  readonly database: Database;
  /** The zone's files: received attachments' parts. */
  readonly files: FileStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly catalogue: ReadonlyMap<string, Procedure>;
  readonly notifyResident: NotifyResident;
  readonly makeNotice: (input: NoticeInput) => Promise<MadeNotice>;
}

type Step = (trx: AnyTransaction, row: CaseRow, now: Date) => Promise<Record<string, string | number>>;

/**
 * One clerk's step on one case: the case locked, the step, its event and its audit entry in
 * one transaction, so a step is all there or not at all.
 */
async function onCase(
  context: CaseContext,
  staff: StaffPrincipal,
  receiptNumber: string,
  action: string,
  step: Step,
): Promise<void> {
  const scope = tenantScope(staff.municipalityCode);
  await context.database.db.transaction().execute(async (trx) => {
    const row = await lockCase(trx, scope, { receiptNumber });
    const details = await step(trx, row, context.clock.now());
    await context.audit.append(trx, {
      municipalityCode: staff.municipalityCode,
      actor: `staff:${staff.staffId}`,
      action: `procedures.case.${action}`,
      target: receiptNumber,
      outcome: 'success',
      details: { procedureId: row.procedure_id, version: row.version, ...details },
    });
  });
}

function requireOpen(row: CaseRow): void {
  if (!isOpen(row.status)) {
    throw new MachiError('conflict', `The case is ${row.status}: it is closed.`, { status: row.status });
  }
}

const actor = (staff: StaffPrincipal) => `staff:${staff.staffId}`;

/** Assigns the case to a case worker of the same municipality (or to nobody: null). */
export async function assignCase(
  context: CaseContext,
  staff: StaffPrincipal,
  receiptNumber: string,
  assignee: string | null,
): Promise<void> {
  if (assignee) {
    const scope = tenantScope(staff.municipalityCode);
    const member = (await listStaff(context.database.db as IdentityDb, scope)).find(
      (s) => s.staffId === assignee,
    );
    if (!member || member.disabled || !member.roles.includes('case-worker')) {
      throw new MachiError('validation-failed', 'The assignee is not a case worker of this municipality.', {
        errors: [{ path: '/staffId', problem: 'not a case worker here' }],
      });
    }
  }
  await onCase(context, staff, receiptNumber, 'assign', async (trx, row, now) => {
    requireOpen(row);
    await (trx as CasesDb)
      .updateTable('procedure_cases')
      .set({ assigned_to: assignee, updated_at: now })
      .where('municipality_code', '=', row.municipality_code)
      .where('submission_id', '=', row.submission_id)
      .execute();
    await addEvent(trx, row, {
      at: now,
      actor: actor(staff),
      kind: 'assigned',
      version: row.version,
      details: { assignee },
    });
    return { assignee: assignee ?? 'nobody' };
  });
}

/** A note for colleagues; never shown to the resident. */
export async function commentOnCase(
  context: CaseContext,
  staff: StaffPrincipal,
  receiptNumber: string,
  text: string,
): Promise<void> {
  await onCase(context, staff, receiptNumber, 'comment', async (trx, row, now) => {
    await addEvent(trx, row, {
      at: now,
      actor: actor(staff),
      kind: 'comment',
      version: row.version,
      message: text,
    });
    return {};
  });
}

async function moveAndTell(
  context: CaseContext,
  trx: AnyTransaction,
  row: CaseRow,
  change: { status: CaseStatus; at: Date; message: string | null; fields?: readonly string[] },
  notice: MadeNotice | null = null,
): Promise<void> {
  const decided = !isOpen(change.status);
  const sequence = await moveCase(trx, row, { status: change.status, at: change.at, decided });
  await context.notifyResident(trx, tenantScope(row.municipality_code as LgCode), {
    submissionId: row.submission_id,
    sequence,
    status: change.status,
    version: row.version,
    at: change.at.toISOString(),
    message: change.message,
    fields: change.fields ?? [],
    notice,
  });
}

/** A clerk starts the review: from now on the resident can no longer withdraw online. */
export async function startReview(context: CaseContext, staff: StaffPrincipal, receiptNumber: string) {
  await onCase(context, staff, receiptNumber, 'start-review', async (trx, row, now) => {
    const status = nextStatus(row.status, 'start-review');
    await addEvent(trx, row, { at: now, actor: actor(staff), kind: 'review-started', version: row.version });
    await moveAndTell(context, trx, row, { status, at: now, message: null });
    return {};
  });
}

/** 補正: the resident is asked to correct named items and sign again. */
export async function requestCorrection(
  context: CaseContext,
  staff: StaffPrincipal,
  receiptNumber: string,
  request: { message: string; fields: readonly string[] },
): Promise<void> {
  await onCase(context, staff, receiptNumber, 'request-correction', async (trx, row, now) => {
    const status = nextStatus(row.status, 'request-correction');
    const schema = context.catalogue.get(row.procedure_id)?.definition.schema;
    const known = (schema?.properties ?? {}) as Record<string, unknown>;
    const unknown = request.fields.filter((field) => !Object.hasOwn(known, field));
    if (unknown.length > 0) {
      throw new MachiError('validation-failed', 'The procedure has no such item.', {
        errors: unknown.map((field) => ({ path: '/fields', problem: `no item ${field}` })),
      });
    }
    await addEvent(trx, row, {
      at: now,
      actor: actor(staff),
      kind: 'correction-requested',
      version: row.version,
      message: request.message,
      details: { fields: request.fields },
    });
    await moveAndTell(context, trx, row, {
      status,
      at: now,
      message: request.message,
      fields: request.fields,
    });
    return { fields: request.fields.length };
  });
}

/**
 * The decision (処分): approved or rejected with reasons, the notice made and signed by the
 * municipality, kept here and sent to the resident's inbox with the status, all at once.
 */
export async function decideCase(
  context: CaseContext,
  staff: StaffPrincipal,
  receiptNumber: string,
  decision: { outcome: 'approved' | 'rejected'; reasons: string },
): Promise<MadeNotice> {
  let made: MadeNotice | undefined;
  await onCase(
    context,
    staff,
    receiptNumber,
    decision.outcome === 'approved' ? 'approve' : 'reject',
    async (trx, row, now) => {
      const status = nextStatus(row.status, decision.outcome === 'approved' ? 'approve' : 'reject');
      const procedure = context.catalogue.get(row.procedure_id);
      if (!procedure) throw new MachiError('not-found', 'The procedure is no longer in the catalogue.');
      const current = await (trx as CasesDb)
        .selectFrom('procedure_cases')
        .select(['document', 'signature', 'submitted_at'])
        .where('municipality_code', '=', row.municipality_code)
        .where('submission_id', '=', row.submission_id)
        .executeTakeFirstOrThrow();
      made = await context.makeNotice({
        scope: tenantScope(row.municipality_code as LgCode),
        receiptNumber,
        procedure,
        outcome: decision.outcome,
        reasons: decision.reasons,
        decidedAt: now,
        filedAt: new Date(current.submitted_at),
        document: new Uint8Array(current.document),
        signature: current.signature ? new Uint8Array(current.signature) : null,
      });
      await (trx as CasesDb)
        .insertInto('procedure_notices')
        .values({
          municipality_code: row.municipality_code,
          notice_id: made.noticeId,
          submission_id: row.submission_id,
          title: made.title,
          pdf: made.pdf,
          issued_at: now,
        })
        .execute();
      await addEvent(trx, row, {
        at: now,
        actor: actor(staff),
        kind: decision.outcome,
        version: row.version,
        message: decision.reasons,
        details: { noticeId: made.noticeId },
      });
      await moveAndTell(context, trx, row, { status, at: now, message: decision.reasons }, made);
      return { noticeId: made.noticeId };
    },
  );
  return made!;
}
