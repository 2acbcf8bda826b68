import { tenantScope, type ZoneContext } from '../../core/index.ts';
import {
  type MerchantKeysDb,
  type MerchantsDb,
  type PremiumDb,
  revokeMerchantKey,
  saveMerchant,
  savePremiumOffer,
  storeMerchantKey,
} from '../../modules/points/index.ts';
import {
  pointsMerchantKeyRevocationV1,
  pointsMerchantKeyV1,
  pointsMerchantV1,
  pointsPremiumOfferV1,
  type ZoneGateway,
} from '../gateway/index.ts';

/**
 * What points staff keep in lgwan about merchants and premium offers, pulled from its outbox.
 * The inbox drops a message id seen before; each handler is idempotent as well (revisions,
 * key ids, funding ids), since a message may also come again under the same terms.
 */
export function wirePointsMerchantsAdmin(context: ZoneContext, gateway: ZoneGateway): void {
  const scopeOf = (code: string | null) => tenantScope(context.served.require(code).code);
  gateway.handle(pointsMerchantV1, async (message, trx) => {
    const { revision, bank, postalCode, ...merchant } = message.payload;
    const terms = { ...merchant, ...(bank ? { bank } : {}), ...(postalCode ? { postalCode } : {}) };
    const scope = scopeOf(message.municipalityCode);
    const kept = await saveMerchant(trx as MerchantsDb, scope, terms, revision, context.clock.now());
    return { merchantId: merchant.merchantId, revision, kept };
  });
  gateway.handle(pointsMerchantKeyV1, async (message, trx) => {
    const scope = scopeOf(message.municipalityCode);
    await storeMerchantKey(trx as MerchantKeysDb, scope, message.payload, context.clock.now());
    return { keyId: message.payload.keyId };
  });
  gateway.handle(pointsMerchantKeyRevocationV1, async (message, trx) => {
    const scope = scopeOf(message.municipalityCode);
    await revokeMerchantKey(trx as MerchantKeysDb, scope, message.payload, context.clock.now());
    return { revoked: message.payload.keyId };
  });
  gateway.handle(pointsPremiumOfferV1, async (message, trx) => {
    const { revision, funding, salesFrom, salesUntil, ...terms } = message.payload;
    const offer = {
      ...terms,
      salesFrom: salesFrom ? new Date(salesFrom) : null,
      salesUntil: salesUntil ? new Date(salesUntil) : null,
    };
    const scope = scopeOf(message.municipalityCode);
    const saved = { offer, revision, funding };
    const actor = `gateway:${message.from}`;
    const result = await savePremiumOffer(trx as PremiumDb, context, scope, saved, actor);
    return { offerId: offer.offerId, revision, ...result };
  });
}
