import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import { type CaseStatus, finalStatuses } from './case-status.ts';
import type { CasesDb } from './tables.ts';

export interface QueueFilter {
  readonly procedureId?: string | undefined;
  /** A status, or `open` for every case still to be decided. */
  readonly status?: CaseStatus | 'open' | undefined;
  readonly assignedTo?: string | undefined;
  readonly limit: number;
  readonly offset: number;
}

export interface QueueEntry {
  readonly receiptNumber: string;
  readonly submissionId: string;
  readonly procedureId: string;
  readonly procedureName: { readonly ja: string; readonly en: string };
  readonly status: CaseStatus;
  readonly version: number;
  readonly submittedAt: Date;
  readonly dueOn: string | null;
  /** Days until the standard processing period ends (negative: overdue); null without one or once decided. */
  readonly daysLeft: number | null;
  readonly assignedTo: string | null;
}

/** Today's date in Japan (YYYY-MM-DD): periods end on Japanese calendar days. */
export function japanDate(now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * A queue of cases: open ones first by the day their period ends (the most urgent on
 * top), those without a period after, then by filing time.
 */
export async function listCases(
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  db: Kysely<any>,
  scope: TenantScope,
  catalogue: ReadonlyMap<string, Procedure>,
  filter: QueueFilter,
  now: Date,
): Promise<{ cases: QueueEntry[]; total: number }> {
  let query = (db as CasesDb)
    .selectFrom('procedure_cases')
    .where('municipality_code', '=', scope.municipalityCode);
  if (filter.procedureId) query = query.where('procedure_id', '=', filter.procedureId);
  if (filter.status === 'open') query = query.where('status', 'not in', finalStatuses);
  else if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.assignedTo) query = query.where('assigned_to', '=', filter.assignedTo);
  const [rows, count] = await Promise.all([
    query
      .select([
        'receipt_number',
        'submission_id',
        'procedure_id',
        'status',
        'version',
        'submitted_at',
        'due_on',
        'assigned_to',
      ])
      .orderBy('due_on', (order) => order.asc().nullsLast())
      .orderBy('submitted_at')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const today = japanDate(now);
  return {
    total: Number(count.total),
    cases: rows.map((row) => ({
      receiptNumber: row.receipt_number,
      submissionId: row.submission_id,
      procedureId: row.procedure_id,
      procedureName: catalogue.get(row.procedure_id)?.definition.name ?? {
        ja: row.procedure_id,
        en: row.procedure_id,
      },
      status: row.status,
      version: row.version,
      submittedAt: new Date(row.submitted_at),
      dueOn: row.due_on,
      daysLeft: row.due_on && !finalStatuses.includes(row.status) ? daysBetween(today, row.due_on) : null,
      assignedTo: row.assigned_to,
    })),
  };
}
