import { setTimeout as sleep } from 'node:timers/promises';
import { isMachiError, MachiError } from '../../../core/index.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './fee-context.ts';
import type { CreatePaymentRequest, PaymentProvider, ProviderPayment } from './payment-provider.ts';

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

/**
 * The payment made under `request`'s idempotency key, made now if need be. Resuming, ask first
 * whether an earlier call acted (its answer may have been lost, or the process died before
 * writing it down). A conflict on create means another request under this key got there first
 * with a different card token (tokens are one-time: a retried page brings a new one); that
 * payment is this one's. Used by the fees and by the points' premium purchases.
 */
export async function createOrFindPayment(
  context: { readonly provider: PaymentProvider; readonly retry?: RetryPolicy | undefined },
  request: CreatePaymentRequest,
  resumed: boolean,
): Promise<ProviderPayment> {
  const find = () =>
    callProvider(context, () => context.provider.findPayment(request.merchant, request.idempotencyKey));
  if (resumed) {
    const earlier = await find();
    if (earlier) return earlier;
  }
  try {
    return await callProvider(context, () => context.provider.createPayment(request));
  } catch (error) {
    if (isMachiError(error) && error.code === 'conflict') {
      const other = await find();
      if (other) return other;
    }
    throw error;
  }
}
