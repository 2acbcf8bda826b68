import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import type { CaseStatus } from './case-status.ts';
import type { CaseEventKind, CasesDb, ProcedureCasesTable } from './tables.ts';

// biome-ignore lint/suspicious/noExplicitAny: the zone's transaction, of any tables.
export type AnyTransaction = Kysely<any>;

export type CaseRow = Pick<
  ProcedureCasesTable,
  | 'municipality_code'
  | 'submission_id'
  | 'receipt_number'
  | 'procedure_id'
  | 'submitted_by'
  | 'status'
  | 'version'
  | 'assigned_to'
  | 'update_sequence'
>;

const columns = [
  'municipality_code',
  'submission_id',
  'receipt_number',
  'procedure_id',
  'submitted_by',
  'status',
  'version',
  'assigned_to',
  'update_sequence',
] as const;

/**
 * The case, locked until `trx` ends: two clerks acting on one case at once (or a clerk and
 * the resident's withdrawal) take turns, and the second sees what the first did.
 */
export async function lockCase(
  trx: AnyTransaction,
  scope: TenantScope,
  by: { receiptNumber: string } | { submissionId: string },
): Promise<CaseRow> {
  const db = trx as CasesDb;
  let query = db
    .selectFrom('procedure_cases')
    .select(columns)
    .where('municipality_code', '=', scope.municipalityCode);
  query =
    'receiptNumber' in by
      ? query.where('receipt_number', '=', by.receiptNumber)
      : query.where('submission_id', '=', by.submissionId);
  const row = await query.forUpdate().executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'No such case in this municipality.');
  return row as CaseRow;
}

export interface CaseEvent {
  readonly at: Date;
  readonly actor: string;
  readonly kind: CaseEventKind;
  readonly version: number;
  readonly message?: string | null;
  readonly details?: Record<string, string | number | boolean | null | readonly string[]>;
}

/** Appends to the case's history (the case is locked, so numbers never collide). */
export async function addEvent(trx: AnyTransaction, row: CaseRow, event: CaseEvent): Promise<void> {
  await (trx as CasesDb)
    .insertInto('procedure_case_events')
    .values({
      municipality_code: row.municipality_code,
      submission_id: row.submission_id,
      event_no: sql<number>`(select coalesce(max(event_no), 0) + 1 from procedure_case_events
        where municipality_code = ${row.municipality_code} and submission_id = ${row.submission_id})`,
      at: event.at,
      actor: event.actor,
      kind: event.kind,
      version: event.version,
      message: event.message ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

/** What the resident's side is told of a change (see the gateway's procedures.case-update). */
export interface CaseUpdate {
  readonly submissionId: string;
  readonly sequence: number;
  readonly status: CaseStatus;
  readonly version: number;
  readonly at: string;
  readonly message: string | null;
  readonly fields: readonly string[];
  readonly notice: { readonly noticeId: string; readonly title: string; readonly pdf: Uint8Array } | null;
}

/** Sends an update to the resident's side, inside the transaction that made the change. */
export type NotifyResident = (trx: AnyTransaction, scope: TenantScope, update: CaseUpdate) => Promise<void>;

/** Moves the case and numbers the update the resident will see. */
export async function moveCase(
  trx: AnyTransaction,
  row: CaseRow,
  change: { status: CaseStatus; at: Date; version?: number; decided?: boolean },
): Promise<number> {
  const sequence = row.update_sequence + 1;
  await (trx as CasesDb)
    .updateTable('procedure_cases')
    .set({
      status: change.status,
      updated_at: change.at,
      update_sequence: sequence,
      ...(change.version ? { version: change.version } : {}),
      ...(change.decided ? { decided_at: change.at } : {}),
    })
    .where('municipality_code', '=', row.municipality_code)
    .where('submission_id', '=', row.submission_id)
    .execute();
  return sequence;
}
