import { MachiError, type TenantScope } from '../../../core/index.ts';
import { type Merchant, type MerchantsDb, merchantOf } from '../merchants/merchants.ts';
import { type MerchantQr, parseMerchantQr } from '../qr/emv-qr.ts';

export interface ScannedCode {
  readonly code: MerchantQr;
  readonly merchant: Merchant;
}

/**
 * A shop's code as scanned, checked as a payment needs it: well formed with a good CRC, for
 * the payer's own municipality (points are spent where they were issued), of a merchant that
 * takes points now. What the payer's phone shows before they confirm, and what paying checks.
 */
export async function readMerchantCode(
  db: MerchantsDb,
  scope: TenantScope,
  qr: string,
  // Paying reads the merchant through a cache of a few seconds (merchant-cache.ts).
  lookUp: typeof merchantOf = merchantOf,
): Promise<ScannedCode> {
  const code = parseMerchantQr(qr);
  if (code.municipalityCode !== scope.municipalityCode) {
    throw new MachiError('merchant-unknown', "This shop takes another municipality's points, not yours.");
  }
  const merchant = await lookUp(db, scope, code.merchantId);
  if (!merchant.active)
    throw new MachiError('merchant-unknown', 'This shop does not take points at the moment.');
  return { code, merchant };
}
