import type { LgCode, ZoneContext } from '../../core/index.ts';
import { tenantScope } from '../../core/index.ts';
import { populationStatistics, type RegistryDb } from '../../modules/registry/index.ts';
import {
  derivedMessageId,
  type PopulationStatisticsPayload,
  populationStatisticsRequestV1,
  populationStatisticsV1,
  type ZoneGateway,
} from '../gateway/index.ts';

/** How often mynumber pulls lgwan's outbox, and pushes fresh statistics unasked. */
export const PULL_INTERVAL_MS = 5_000;
export const STATISTICS_INTERVAL_MS = 60 * 60_000;

/** Asia/Tokyo calendar day (UTC+9, no daylight saving). */
function tokyoDay(now: Date): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** A reply's id derived from the request's, so a redelivered request yields the same reply (deduplicated by lgwan). */
function replyId(requestId: string): string {
  return derivedMessageId(`reply:${populationStatisticsV1.type}:${requestId}`);
}

async function statisticsPayload(
  db: RegistryDb,
  municipalityCode: LgCode,
  now: Date,
  inReplyTo: string | null,
): Promise<PopulationStatisticsPayload> {
  const stats = await populationStatistics(db, tenantScope(municipalityCode), tokyoDay(now));
  return {
    asOf: stats.asOf,
    computedAt: now.toISOString(),
    inReplyTo,
    total: stats.total,
    bySex: { ...stats.bySex },
    byAgeBand: stats.byAgeBand.map((band) => ({ ...band })),
  };
}

/** Pushes the current statistics of every served municipality to lgwan. */
export async function pushPopulationStatistics(context: ZoneContext, gateway: ZoneGateway): Promise<number> {
  let sent = 0;
  for (const municipalityCode of context.served.codes()) {
    const payload = await statisticsPayload(context.database.db, municipalityCode, context.clock.now(), null);
    await gateway.send('lgwan', populationStatisticsV1, { municipalityCode, payload });
    sent += 1;
  }
  return sent;
}

/**
 * mynumber's side: answers a request pulled from lgwan's outbox by pushing the
 * statistics back, and keeps lgwan's copy fresh on a schedule. The answer is
 * sent inside the handler: if it fails, the request is not acknowledged and
 * comes back, and the derived reply id makes a second answer harmless.
 */
export function wirePopulationStatistics(context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(populationStatisticsRequestV1, async (message, trx) => {
    const municipalityCode = context.served.require(message.municipalityCode).code;
    const payload = await statisticsPayload(
      trx as RegistryDb,
      municipalityCode,
      context.clock.now(),
      message.id,
    );
    const receipt = await gateway.send('lgwan', populationStatisticsV1, {
      id: replyId(message.id),
      municipalityCode,
      payload,
    });
    return { replyId: receipt.id };
  });
  gateway.every('pull lgwan outbox', PULL_INTERVAL_MS, () => gateway.pull('lgwan'));
  gateway.every('push population statistics', STATISTICS_INTERVAL_MS, () =>
    pushPopulationStatistics(context, gateway),
  );
}
