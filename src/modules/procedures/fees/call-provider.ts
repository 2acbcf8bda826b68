import { setTimeout as sleep } from 'node:timers/promises';
import { isMachiError, MachiError } from '../../../core/index.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './fee-context.ts';

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
 * Calls the provider, asking again with backoff while it is unavailable. Safe only because every
 * call carries an idempotency key fixed before the first try: a retry of a call that did act
 * gets that call's result instead of a second charge. Other errors are not retried. Used by
 * the fees and by the points' premium purchases alike.
 */
export async function callProvider<T>(
  context: { readonly retry?: RetryPolicy | undefined },
  call: () => Promise<T>,
): Promise<T> {
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
