import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';

/** One partner's invoice for a month as the internet zone computed it (1 point = 1 yen). */
export interface AdminInvoice {
  readonly partnerId: string;
  readonly name: string;
  readonly exchanges: number;
  readonly partnerPoints: number;
  readonly points: number;
  readonly amountYen: number;
}

interface InvoiceRequestsTable {
  municipality_code: string;
  request_id: string;
  month: string;
  requested_at: Date;
  requested_by: string;
  computed_at: Date | null;
  answered_at: Date | null;
  invoices: AdminInvoice[] | string | null;
}

export type InvoicesAdminDb = Kysely<{ points_admin_invoice_requests: InvoiceRequestsTable }>;

/** Where a month's invoices stand: asked and not answered yet, and the latest answer kept. */
export interface MonthInvoices {
  readonly month: string;
  /** The latest request for the month is still waiting for the internet zone. */
  readonly waitingSince: Date | null;
  readonly answer: { readonly computedAt: Date; readonly invoices: readonly AdminInvoice[] } | null;
}

export async function recordInvoiceRequest(
  db: InvoicesAdminDb,
  scope: TenantScope,
  request: { requestId: string; month: string },
  staffId: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('points_admin_invoice_requests')
    .values({
      municipality_code: scope.municipalityCode,
      request_id: request.requestId,
      month: request.month,
      requested_at: now,
      requested_by: staffId,
      computed_at: null,
      answered_at: null,
      invoices: null,
    })
    .execute();
}

/**
 * Keeps the internet zone's answer to a request made here (the same month), once: an answer
 * to a request this zone never made, or a second one, changes nothing. Returns whether it was kept.
 */
export async function storeInvoiceAnswer(
  db: InvoicesAdminDb,
  scope: TenantScope,
  answer: { requestId: string; month: string; computedAt: string; invoices: readonly AdminInvoice[] },
  now: Date,
): Promise<boolean> {
  const kept = await db
    .updateTable('points_admin_invoice_requests')
    .set({
      computed_at: new Date(answer.computedAt),
      answered_at: now,
      invoices: JSON.stringify(answer.invoices),
    })
    .where('municipality_code', '=', scope.municipalityCode)
    .where('request_id', '=', answer.requestId)
    .where('month', '=', answer.month)
    .where('answered_at', 'is', null)
    .returning('request_id')
    .executeTakeFirst();
  return kept !== undefined;
}

export async function monthInvoices(
  db: InvoicesAdminDb,
  scope: TenantScope,
  month: string,
): Promise<MonthInvoices> {
  const rows = await db
    .selectFrom('points_admin_invoice_requests')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('month', '=', month)
    .orderBy('requested_at', 'desc')
    .limit(20)
    .execute();
  const latest = rows[0];
  const answered = rows.find((row) => row.answered_at !== null);
  return {
    month,
    waitingSince: latest && latest.answered_at === null ? latest.requested_at : null,
    answer:
      answered?.computed_at && answered.invoices !== null
        ? {
            computedAt: answered.computed_at,
            invoices:
              typeof answered.invoices === 'string' ? JSON.parse(answered.invoices) : answered.invoices,
          }
        : null,
  };
}
