import type { TenantScope } from '../../../core/index.ts';
import { type Merchant, type MerchantsDb, merchantOf } from '../merchants/merchants.ts';

/**
 * How long a merchant read for a payment is used again. Hazard: a shop suspended (status
 * `suspended`) keeps taking payments for up to this long in a zone process that read it just
 * before; a payment credits its points account, which exists as long as the shop does.
 * Short enough for that, long enough that a busy shop's payments skip the read.
 */
export const MERCHANT_TTL_MS = 5_000;
/** Entries one database keeps before starting afresh: a bound, not a tuning knob. */
const MAX_ENTRIES = 10_000;

const caches = new WeakMap<object, Map<string, { merchant: Merchant; until: number }>>();

/**
 * The merchant a payment goes to, from a short-lived cache by municipality and merchant id
 * (one database read per shop every few seconds instead of one per payment). An unknown
 * merchant is not cached: registering it takes effect at once.
 */
export async function merchantForPayment(
  db: MerchantsDb,
  scope: TenantScope,
  merchantId: string,
): Promise<Merchant> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const key = `${scope.municipalityCode}:${merchantId}`;
  const now = performance.now();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.merchant;
  const merchant = await merchantOf(db, scope, merchantId);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, { merchant, until: now + MERCHANT_TTL_MS });
  return merchant;
}
