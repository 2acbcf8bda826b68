import { type HttpApp, tenantScope, type ZoneContext } from '../../core/index.ts';
import { requireResident } from '../../modules/jpki/index.ts';
import {
  expireOrders,
  expirePoints,
  expireReservations,
  type PointsLedgerDb,
  registerPointsMerchantRoutes,
  registerPointsPartnerRoutes,
  registerPointsResidentRoutes,
  type ShopDb,
} from '../../modules/points/index.ts';
import type { ZoneGateway } from '../gateway/index.ts';

/** How often held points past their timeout are returned. */
const RESERVATIONS_INTERVAL_MS = 30_000;
/** Expired points move once a day in effect; checking hourly catches the day's turn (JST) soon. */
const EXPIRY_INTERVAL_MS = 3_600_000;

/** Municipal points in the internet zone: the residents' and merchants' APIs, and the ledger's jobs. */
export function wirePoints(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  const db = context.database.db as unknown as PointsLedgerDb;
  const shop = context.database.db as unknown as ShopDb;
  const routes = { db: context.database.db, audit: context.audit, clock: context.clock };
  registerPointsResidentRoutes(app, routes, async (request) => {
    const resident = await requireResident(context, request);
    return { scope: tenantScope(resident.municipalityCode), subjectId: resident.subjectId };
  });
  // Shops' tills and tablets, with their terminal keys.
  registerPointsMerchantRoutes(app, routes);
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
}
