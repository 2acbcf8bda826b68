import { addDays, tenantScope, toIsoDate, type ZoneContext } from '../../core/index.ts';
import { dailyFigures, type PointsLedgerDb } from '../../modules/points/index.ts';
import { pointsFiguresV1, type ZoneGateway } from '../gateway/index.ts';

/** How often the dashboard's figures go to lgwan, and how many days each push recounts. */
export const FIGURES_INTERVAL_MS = 5 * 60_000;
const DAYS_RECOUNTED = 35;

/**
 * Pushes each served municipality's points figures (aggregates of the ledger: days recounted,
 * what residents hold) to lgwan for the staff dashboard. Recounting a few weeks each time
 * means a push that failed is made good by the next.
 */
export async function pushPointsFigures(context: ZoneContext, gateway: ZoneGateway): Promise<number> {
  const db = context.database.db as unknown as PointsLedgerDb;
  const now = context.clock.now();
  const today = toIsoDate(now);
  let sent = 0;
  for (const municipalityCode of context.served.codes()) {
    const figures = await dailyFigures(db, tenantScope(municipalityCode), {
      from: addDays(today, -(DAYS_RECOUNTED - 1)),
      to: today,
    });
    await gateway.send('lgwan', pointsFiguresV1, {
      municipalityCode,
      payload: { computedAt: now.toISOString(), ...figures, days: figures.days.map((day) => ({ ...day })) },
    });
    sent += 1;
  }
  return sent;
}
