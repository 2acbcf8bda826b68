import { setTimeout as sleep } from 'node:timers/promises';
import { MachiError } from '../../../../core/index.ts';
import type { TestProviderEnv } from './rows.ts';
import type { Scenario } from './scenarios.ts';

type Operation = 'create' | 'capture' | 'refund';

/** True the first time this fault is asked for under this key, ever: kept in the table, so a restart does not repeat it. */
async function firstTime(
  env: TestProviderEnv,
  merchant: string,
  key: string,
  fault: string,
): Promise<boolean> {
  const inserted = await env.db
    .insertInto('test_payment_provider_faults')
    .values({ merchant, idempotency_key: key, fault })
    .onConflict((conflict) => conflict.doNothing())
    .returning('fault')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Before the provider acts: a slow answer, or a failure that leaves nothing done. */
export async function beforeActing(
  env: TestProviderEnv,
  scenario: Scenario,
  merchant: string,
  key: string,
  operation: Operation,
): Promise<void> {
  if (scenario === 'slow') await sleep(env.slowMs);
  if (scenario === 'fail-once' && (await firstTime(env, merchant, key, `${operation}:fail-before`))) {
    throw new MachiError('payment-unavailable', 'Test payment provider: a transient failure (test trigger).');
  }
}

/** After the provider acted: the answer lost on the way back, once. */
export async function afterActing(
  env: TestProviderEnv,
  scenario: Scenario,
  merchant: string,
  key: string,
  operation: Operation,
): Promise<void> {
  if (scenario === 'lose-answer-once' && (await firstTime(env, merchant, key, `${operation}:lose-after`))) {
    throw new MachiError('payment-unavailable', 'Test payment provider: no answer in time (test trigger).');
  }
}
