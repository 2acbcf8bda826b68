import { type HttpApp, tenantScope, type ZoneContext } from '../../core/index.ts';
import { requireResident } from '../../modules/jpki/index.ts';
import {
  expireOrders,
  expirePoints,
  expireReservations,
  type PointsLedgerDb,
  type PointsResident,
  type PremiumDb,
  registerPointsCodeRoutes,
  registerPointsMerchantRoutes,
  registerPointsPages,
  registerPointsPartnerRoutes,
  registerPointsPremiumRoutes,
  registerPointsResidentRoutes,
  type ShopDb,
  settlePremiumPurchases,
} from '../../modules/points/index.ts';
import { testPaymentProvider } from '../../modules/procedures/index.ts';
import type { ZoneGateway } from '../gateway/index.ts';
import { wirePointsAdmin } from './points-admin.ts';
import { FIGURES_INTERVAL_MS, pointsFiguresPush } from './points-figures.ts';
import { wirePointsMerchantsAdmin } from './points-merchants-admin.ts';
import { wirePointsPartnersAdmin } from './points-partners-admin.ts';
import { wirePointsSettlementAdmin } from './points-settlement-admin.ts';
import { registryBirthDate } from './registry-birth-date.ts';

/** How often held points past their timeout are returned. */
const RESERVATIONS_INTERVAL_MS = 30_000;
/** Expired points move once a day in effect; checking hourly catches the day's turn (JST) soon. */
const EXPIRY_INTERVAL_MS = 3_600_000;

/** Municipal points in the internet zone: the residents' and merchants' APIs, and the ledger's jobs. */
export function wirePoints(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  const db = context.database.db as unknown as PointsLedgerDb;
  const shop = context.database.db as unknown as ShopDb;
  const premiumDb = context.database.db as unknown as PremiumDb;
  const routes = {
    db: context.database.db,
    database: context.database,
    deferredFlush: context.config.pointsDeferredFlush,
    audit: context.audit,
    clock: context.clock,
  };
  const resident: PointsResident = async (request) => {
    const signedIn = await requireResident(context, request);
    return {
      scope: tenantScope(signedIn.municipalityCode),
      subjectId: signedIn.subjectId,
      csrfToken: signedIn.csrfToken,
    };
  };
  registerPointsResidentRoutes(app, routes, resident);
  // Premium points bought by card: the built-in test provider until a gateway's adapter is configured.
  const premium = { ...routes, provider: testPaymentProvider(context.database, context.clock) };
  registerPointsPremiumRoutes(app, premium, resident);
  // The residents' pages (/points…) and the shops' tablet pages (/merchant…).
  registerPointsPages(app, premium, resident, {
    secureCookies: context.config.secureCookies,
    birthDateOf: registryBirthDate(context, gateway),
  });
  // Shops' tills and tablets, with their terminal keys.
  registerPointsMerchantRoutes(app, routes);
  // Codes residents show at the till (利用者提示型), charged by the shop's terminal.
  registerPointsCodeRoutes(app, routes, resident);
  // Partner companies converting their points, with calls signed by their keys.
  registerPointsPartnerRoutes(app, routes);
  gateway.every('return expired point reservations', RESERVATIONS_INTERVAL_MS, () =>
    expireReservations(db, context),
  );
  gateway.every('move expired points', EXPIRY_INTERVAL_MS, async () => {
    for (const code of context.served.codes()) await expirePoints(db, context, tenantScope(code));
  });
  gateway.every('end shop orders left too long', RESERVATIONS_INTERVAL_MS, async () => {
    for (const code of context.served.codes()) await expireOrders(shop, context, tenantScope(code));
  });
  wirePointsAdmin(context, gateway);
  wirePointsMerchantsAdmin(context, gateway);
  // Partners, their invoices, the settlement account and runs, asked for by staff in lgwan.
  wirePointsPartnersAdmin(context, gateway);
  wirePointsSettlementAdmin(context, gateway);
  gateway.every('push points figures to lgwan', FIGURES_INTERVAL_MS, pointsFiguresPush(context, gateway));
  // Well inside the ledger's 7-day hold, so a purchase whose money was taken is never returned.
  gateway.every('settle premium purchases', RESERVATIONS_INTERVAL_MS, async () => {
    for (const code of context.served.codes()) {
      await settlePremiumPurchases(premiumDb, premium, tenantScope(code));
    }
  });
}
