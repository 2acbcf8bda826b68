import { sql } from 'kysely';
import { isMachiError, tenantScope, type ZoneContext } from '../../core/index.ts';
import {
  type SettlementDb,
  setSettlementAccountRevision,
  settleMerchants,
  settlementData,
} from '../../modules/points/index.ts';
import {
  type PointsSettlementPayload,
  pointsSettlementAccountV1,
  pointsSettlementRequestV1,
  type ZoneGateway,
} from '../gateway/index.ts';
import { settlementAnswer } from './points-settlement-answer.ts';
import {
  ANSWERS_INTERVAL_MS,
  recordSettlementAnswer,
  sendSettlementAnswers,
} from './points-settlement-answers.ts';

/**
 * Merchant settlement asked from lgwan, pulled from its outbox: the account staff saved there
 * (a newer revision only), and runs. A run is settleMerchants in the handler's transaction, so
 * it commits with the request's inbox row: a request delivered again is answered from the inbox
 * and pays nothing, and the same settlement id asked again answers the first run (repeated).
 * The answer goes back as data, never as the files (files entering lgwan must be disarmed;
 * data checked field by field against the message's schema needs nothing more): settlementData
 * reads the stored Zengin file and report into it, checking that they can be made again from it
 * byte for byte, and lgwan makes them from it. A refusal (no account here yet, …) is undone to
 * a savepoint and answered as such, so the request is not tried again forever.
 *
 * The answer is not pushed from the handler: lgwan builds the bank's transfer file from it, and
 * the transaction may still fail to commit after the push (a crash, a lost connection) — the
 * merchants would keep their points and the next run would pay them again. It is kept in the
 * same transaction instead (recordSettlementAnswer), so it exists exactly when the run does, and
 * pushed once committed: woken by the commit, and every half minute for an answer lgwan did not
 * take (sendSettlementAnswers), with the request's derived ids, so lgwan keeps it once.
 */
export function wirePointsSettlementAdmin(context: ZoneContext, gateway: ZoneGateway): void {
  const sendAnswersSoon = gateway.every('push settlement answers to lgwan', ANSWERS_INTERVAL_MS, () =>
    sendSettlementAnswers(context, gateway),
  );
  gateway.handle(pointsSettlementAccountV1, async (message, trx) => {
    const scope = tenantScope(context.served.require(message.municipalityCode).code);
    const { revision, ...account } = message.payload;
    const kept = await setSettlementAccountRevision(trx as SettlementDb, scope, account, revision);
    return { revision, kept };
  });
  gateway.handle(pointsSettlementRequestV1, async (message, trx, afterCommit) => {
    const municipalityCode = context.served.require(message.municipalityCode).code;
    const request = message.payload;
    let answer: PointsSettlementPayload[];
    await sql`savepoint settlement_run`.execute(trx);
    try {
      const settlement = await settleMerchants(
        trx as SettlementDb,
        { audit: context.audit, clock: context.clock },
        tenantScope(municipalityCode),
        { settlementId: request.settlementId, transferDate: request.transferDate },
        `staff:${request.requestedBy}`,
      );
      answer = settlementAnswer(request, { data: settlementData(settlement) });
    } catch (error) {
      if (!isMachiError(error) || error.code === 'internal') throw error;
      await sql`rollback to savepoint settlement_run`.execute(trx);
      answer = settlementAnswer(request, {
        refusal: { code: error.code, detail: error.detail.slice(0, 500) },
      });
    }
    await recordSettlementAnswer(trx, municipalityCode, answer, context.clock.now());
    afterCommit(sendAnswersSoon);
    // Kept in the inbox as the request's result: counts, not the run.
    return { outcome: answer[0]!.outcome, parts: answer.length };
  });
}
