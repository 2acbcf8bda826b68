import type { HttpApp, ZoneContext } from '../../core/index.ts';
import { registerPointsMerchantPages, registerPointsPremiumPages } from '../../modules/points/index.ts';
import {
  pointsMerchantKeyRevocationV1,
  pointsMerchantKeyV1,
  pointsMerchantV1,
  pointsPremiumOfferV1,
  type ZoneGateway,
} from '../gateway/index.ts';

/**
 * The merchants, their terminal keys and the premium points offers staff keep in lgwan: each
 * change goes out by the outbox, which the internet zone pulls, in the transaction that keeps it.
 */
export function wirePointsMerchantPages(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  const pages = { db: context.database.db, audit: context.audit, clock: context.clock };
  registerPointsMerchantPages(app, pages, {
    merchant: (trx, scope, merchant, revision) =>
      gateway.enqueue(trx, 'internet', pointsMerchantV1, {
        municipalityCode: scope.municipalityCode,
        payload: {
          merchantId: merchant.merchantId,
          name: merchant.name,
          nameLatin: merchant.nameLatin,
          cityLatin: merchant.cityLatin,
          categoryCode: merchant.categoryCode,
          postalCode: merchant.postalCode ?? null,
          feeBasisPoints: merchant.feeBasisPoints,
          bank: merchant.bank ? { ...merchant.bank } : null,
          active: merchant.active,
          revision,
        },
      }),
    key: (trx, scope, key) =>
      gateway.enqueue(trx, 'internet', pointsMerchantKeyV1, {
        municipalityCode: scope.municipalityCode,
        payload: key,
      }),
    revocation: (trx, scope, key) =>
      gateway.enqueue(trx, 'internet', pointsMerchantKeyRevocationV1, {
        municipalityCode: scope.municipalityCode,
        payload: key,
      }),
  });
  registerPointsPremiumPages(app, pages, {
    offer: (trx, scope, offer, revision, funding) =>
      gateway.enqueue(trx, 'internet', pointsPremiumOfferV1, {
        municipalityCode: scope.municipalityCode,
        payload: {
          offerId: offer.offerId,
          name: { ...offer.name },
          priceYen: offer.priceYen,
          points: offer.points,
          maxUnitsPerPerson: offer.maxUnitsPerPerson,
          pointsExpireOn: offer.pointsExpireOn,
          salesFrom: offer.salesFrom?.toISOString() ?? null,
          salesUntil: offer.salesUntil?.toISOString() ?? null,
          active: offer.active,
          revision,
          funding: funding ? { ...funding } : null,
        },
      }),
  });
}
