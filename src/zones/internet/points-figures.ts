import { addDays, tenantScope, toIsoDate, type ZoneContext } from '../../core/index.ts';
import { dailyFigures, type PointsLedgerDb } from '../../modules/points/index.ts';
import { pointsFiguresV1, type ZoneGateway } from '../gateway/index.ts';

/** How often the dashboard's figures go to lgwan. */
export const FIGURES_INTERVAL_MS = 5 * 60_000;
/** The days a full recount covers: the dashboard's 30 and a few more. */
const DAYS_RECOUNTED = 35;
/**
 * The days every other push recounts: today and yesterday. A transfer counts on the day it
 * posted, which is the day it was written; yesterday for one whose commit crossed midnight.
 */
const DAYS_STILL_CHANGING = 2;

/**
 * Pushes each served municipality's points figures (aggregates of the ledger: days recounted,
 * what residents hold) to lgwan for the staff dashboard. A municipality's first push of each
 * Japan day, and its first after the zone starts, recounts 35 days: a push that failed, or
 * one lost with a process, is made good by then. The others recount only the days that can
 * still change, so that a push reads a town's last two days of transfers, not five weeks of
 * them, every five minutes. Answers how many municipalities were pushed.
 */
export function pointsFiguresPush(context: ZoneContext, gateway: ZoneGateway): () => Promise<number> {
  const db = context.database.db as unknown as PointsLedgerDb;
  /** Municipality → the Japan day of its last full recount that lgwan received. */
  const recounted = new Map<string, string>();
  return async () => {
    const now = context.clock.now();
    const today = toIsoDate(now);
    let sent = 0;
    for (const municipalityCode of context.served.codes()) {
      const full = recounted.get(municipalityCode) !== today;
      const days = full ? DAYS_RECOUNTED : DAYS_STILL_CHANGING;
      const figures = await dailyFigures(db, tenantScope(municipalityCode), {
        from: addDays(today, -(days - 1)),
        to: today,
      });
      await gateway.send('lgwan', pointsFiguresV1, {
        municipalityCode,
        payload: { computedAt: now.toISOString(), ...figures, days: figures.days.map((day) => ({ ...day })) },
      });
      if (full) recounted.set(municipalityCode, today);
      sent += 1;
    }
    return sent;
  };
}
