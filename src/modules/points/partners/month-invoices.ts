import type { TenantScope } from '../../../core/index.ts';
import { partnerInvoice } from './exchange-points.ts';
import type { PartnersDb } from './partners.ts';

export type PartnerInvoice = Awaited<ReturnType<typeof partnerInvoice>> & { readonly name: string };

/**
 * Every partner of the municipality with what it converted in `month` (YYYY-MM, Japan time)
 * and is invoiced for, partners without exchanges included (a zero invoice says so plainly).
 */
export async function partnerInvoicesForMonth(
  db: PartnersDb,
  scope: TenantScope,
  month: string,
): Promise<PartnerInvoice[]> {
  const partners = await db
    .selectFrom('points_partners')
    .select(['partner_id', 'name'])
    .where('municipality_code', '=', scope.municipalityCode)
    .orderBy('partner_id')
    .execute();
  const invoices: PartnerInvoice[] = [];
  for (const partner of partners) {
    invoices.push({ ...(await partnerInvoice(db, scope, partner.partner_id, month)), name: partner.name });
  }
  return invoices;
}
