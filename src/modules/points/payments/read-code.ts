import { MachiError, type TenantScope } from '../../../core/index.ts';
import { type Merchant, type MerchantsDb, merchantOf } from '../merchants/merchants.ts';
import { type MerchantQr, parseMerchantQr } from '../qr/emv-qr.ts';

export interface ScannedCode {
  readonly code: MerchantQr;
  readonly merchant: Merchant;
}

/** Codes that read well, by their text; emptied when full: a bound, not a tuning knob. */
const MAX_CODES = 1_000;
const codes = new Map<string, MerchantQr>();

/**
 * The code `qr` reads as (parseMerchantQr), read once per text: a shop's printed code is the
 * same for every payer, and reading it (its CRC, its data objects) was 4 % of the internet
 * zone's time under the points benchmark. A code that does not read is read again each time.
 */
function readOnce(qr: string): MerchantQr {
  let code = codes.get(qr);
  if (!code) {
    code = Object.freeze(parseMerchantQr(qr));
    if (codes.size >= MAX_CODES) codes.clear();
    codes.set(qr, code);
  }
  return code;
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
  const code = readOnce(qr);
  if (code.municipalityCode !== scope.municipalityCode) {
    throw new MachiError('merchant-unknown', "This shop takes another municipality's points, not yours.");
  }
  const merchant = await lookUp(db, scope, code.merchantId);
  if (!merchant.active)
    throw new MachiError('merchant-unknown', 'This shop does not take points at the moment.');
  return { code, merchant };
}
