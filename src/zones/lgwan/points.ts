import { type HttpApp, tenantScope, type ZoneContext } from '../../core/index.ts';
import {
  type FiguresDb,
  registerPointsAdminPages,
  registerPointsDashboardPages,
  storePointsFigures,
} from '../../modules/points/index.ts';
import {
  pointsFiguresV1,
  pointsGrantCodesV1,
  pointsProgrammeV1,
  type ZoneGateway,
} from '../gateway/index.ts';
import { wirePointsMerchantPages } from './points-merchants.ts';
import { wirePointsPartners } from './points-partners.ts';
import { wirePointsSettlement } from './points-settlement.ts';

/**
 * lgwan's side of municipal points: the figures the internet zone pushes and the staff
 * dashboard over them, and the programmes and participation codes staff make here.
 */
export function wirePoints(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(pointsFiguresV1, async (message, trx) => {
    // The envelope is checked: pointsFiguresV1 requires a municipality.
    const scope = tenantScope(message.municipalityCode!);
    const kept = await storePointsFigures(trx as FiguresDb, scope, message.payload, context.clock.now());
    return { kept };
  });
  registerPointsDashboardPages(app, { db: context.database.db, clock: context.clock });
  // Programmes and code digests go out by the outbox, which the internet zone pulls.
  registerPointsAdminPages(
    app,
    { db: context.database.db, audit: context.audit, clock: context.clock },
    {
      programme: (trx, scope, programme) =>
        gateway.enqueue(trx, 'internet', pointsProgrammeV1, {
          municipalityCode: scope.municipalityCode,
          payload: {
            programmeId: programme.programmeId,
            name: { ...programme.name },
            points: programme.points,
            capPoints: programme.capPoints,
            capPeriod: programme.capPeriod,
            expiryMonths: programme.expiryMonths,
            minAge: programme.minAge ?? null,
            active: programme.active,
          },
        }),
      codes: (trx, scope, batch) =>
        gateway.enqueue(trx, 'internet', pointsGrantCodesV1, {
          municipalityCode: scope.municipalityCode,
          payload: batch,
        }),
    },
  );
  // Merchants, their terminal keys and premium offers, sent the same way.
  wirePointsMerchantPages(app, context, gateway);
  // Partners and their invoices, and merchant settlement, asked of the internet zone.
  wirePointsPartners(app, context, gateway);
  wirePointsSettlement(app, context, gateway);
}
