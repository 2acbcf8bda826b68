import { type HttpApp, tenantScope, type ZoneContext } from '../../core/index.ts';
import {
  type FiguresDb,
  registerPointsDashboardPages,
  storePointsFigures,
} from '../../modules/points/index.ts';
import { pointsFiguresV1, type ZoneGateway } from '../gateway/index.ts';

/** lgwan's side of municipal points: the figures the internet zone pushes, and the staff dashboard over them. */
export function wirePoints(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(pointsFiguresV1, async (message, trx) => {
    // The envelope is checked: pointsFiguresV1 requires a municipality.
    const scope = tenantScope(message.municipalityCode!);
    const kept = await storePointsFigures(trx as FiguresDb, scope, message.payload, context.clock.now());
    return { kept };
  });
  registerPointsDashboardPages(app, { db: context.database.db, clock: context.clock });
}
