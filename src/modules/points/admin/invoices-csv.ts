import { spreadsheetCsv } from '../../../core/index.ts';
import type { AdminInvoice } from './invoices-store.ts';

/** A month's partner invoices for the accounts office: one row a partner, UTF-8 with BOM for Excel. */
export function invoicesCsv(month: string, invoices: readonly AdminInvoice[]): string {
  return spreadsheetCsv(
    ['対象月', '事業者ID', '事業者名', '交換件数', '事業者ポイント', '自治体ポイント', '請求額（円）'],
    invoices.map((invoice) => [
      month,
      invoice.partnerId,
      invoice.name,
      invoice.exchanges,
      invoice.partnerPoints,
      invoice.points,
      invoice.amountYen,
    ]),
  );
}
