import { setTimeout as sleep } from 'node:timers/promises';
import { isMachiError, MachiError } from '../../../core/index.ts';
import { DEFAULT_RETRY, type PaymentProvider, type RetryPolicy } from '../../procedures/index.ts';
import type { LedgerContext } from '../ledger/post-transfer.ts';

/** What a premium purchase needs: the ledger's audit and clock, and the payment provider (決済代行). */
export interface PremiumContext extends LedgerContext {
  readonly provider: PaymentProvider;
  readonly retry?: RetryPolicy;
}

function withTimeout<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MachiError('payment-unavailable', 'The payment service did not answer in time.')),
      ms,
    );
  });
  // The call goes on after a timeout and may still act; its late failure must not go unhandled.
  call.catch(() => {});
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Calls the provider, asking again with backoff while it is unavailable, as the fees do.
 * Safe only because every call carries an idempotency key fixed before the first try: a
 * retry of a call that did act gets that call's result instead of a second charge.
 */
export async function askProvider<T>(context: PremiumContext, call: () => Promise<T>): Promise<T> {
  const policy = context.retry ?? DEFAULT_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTimeout(call(), policy.timeoutMs);
    } catch (error) {
      const transient = isMachiError(error) && error.code === 'payment-unavailable';
      if (!transient || attempt >= policy.attempts) throw error;
      await sleep(policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
