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

const caches = new WeakMap<object, Map<string, { merchant: Promise<Merchant>; until: number }>>();

/**
 * The merchant a payment goes to, from a short-lived cache by municipality and merchant id
 * (one database read per shop every few seconds instead of one per payment). The read itself
 * is shared: payments arriving while it is on its way wait for it rather than each reading
 * again. An unknown merchant is not cached: registering it takes effect at once.
 */
export function merchantForPayment(
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
  const merchant = merchantOf(db, scope, merchantId);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const entry = { merchant, until: now + MERCHANT_TTL_MS };
  cache.set(key, entry);
  // A failed read (unknown merchant, the database) is forgotten: the next payment reads again.
  merchant.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return merchant;
}
