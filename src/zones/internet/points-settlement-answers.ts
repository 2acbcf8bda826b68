import type { ColumnType, Kysely } from 'kysely';
import { type LgCode, parseLgCode, type ZoneContext } from '../../core/index.ts';
import {
  deliverEach,
  type PointsSettlementPayload,
  pointsSettlementV1,
  type ZoneGateway,
} from '../gateway/index.ts';
import { settlementAnswerId } from './points-settlement-answer.ts';

/** How often answers lgwan did not take yet (unreachable, a crash before the push) are pushed again. */
export const ANSWERS_INTERVAL_MS = 30_000;

interface SettlementAnswersTables {
  points_settlement_answers: {
    municipality_code: string;
    request_id: string;
    /** Written as JSON text; read back parsed or as text, depending on the driver. */
    parts: ColumnType<PointsSettlementPayload[] | string, string, never>;
    created_at: Date;
    sent_at: Date | null;
    refusal: string | null;
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the gateway handler's transaction.
type AnyTransaction = Kysely<any>;

/**
 * Keeps the answer to a run request, inside the handler's transaction: it exists only if the run
 * committed, and it is pushed by sendSettlementAnswers. A request handled again (the inbox should
 * prevent it) keeps the first answer.
 */
export async function recordSettlementAnswer(
  trx: AnyTransaction,
  municipalityCode: LgCode,
  parts: readonly PointsSettlementPayload[],
  now: Date,
): Promise<void> {
  const db = trx as Kysely<SettlementAnswersTables>;
  await db
    .insertInto('points_settlement_answers')
    .values({
      municipality_code: municipalityCode,
      request_id: parts[0]!.requestId,
      parts: JSON.stringify(parts),
      created_at: now,
      sent_at: null,
      refusal: null,
    })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'request_id']).doNothing())
    .execute();
}

/**
 * Pushes the committed answers lgwan has not taken yet, oldest first, and returns how many it
 * took. Each part goes with the id derived from the request, so a part pushed again (a round
 * that failed half-way, two rounds at once) is the same message and lgwan keeps it once. An
 * answer is marked sent only once every part's receipt came back; lgwan unreachable leaves it
 * for the next round (deliverEach), and an answer lgwan refuses as invalid is not pushed again
 * — staff asking again for the same run id get the run's answer anew.
 */
export async function sendSettlementAnswers(context: ZoneContext, gateway: ZoneGateway): Promise<number> {
  const db = context.database.db as unknown as Kysely<SettlementAnswersTables>;
  const waiting = await db
    .selectFrom('points_settlement_answers')
    .select(['municipality_code', 'request_id', 'parts'])
    .where('sent_at', 'is', null)
    .orderBy('created_at')
    .orderBy('request_id')
    .execute();
  return deliverEach(
    waiting,
    async (answer) => {
      const parts: PointsSettlementPayload[] =
        typeof answer.parts === 'string' ? JSON.parse(answer.parts) : answer.parts;
      for (const part of parts) {
        await gateway.send('lgwan', pointsSettlementV1, {
          id: settlementAnswerId(answer.request_id, part.part),
          municipalityCode: parseLgCode(answer.municipality_code),
          payload: part,
        });
      }
    },
    async (answer, refusal) => {
      await db
        .updateTable('points_settlement_answers')
        .set({ sent_at: context.clock.now(), refusal: refusal?.slice(0, 500) ?? null })
        .where('municipality_code', '=', answer.municipality_code)
        .where('request_id', '=', answer.request_id)
        .where('sent_at', 'is', null)
        .execute();
    },
  );
}
