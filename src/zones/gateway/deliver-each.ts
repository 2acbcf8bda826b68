import { isMachiError } from '../../core/index.ts';

/**
 * Delivers items waiting in a zone's own tables (uploads, filings), each to be sent once. What
 * happens to one is `settle`d: delivered, or refused by the receiver as invalid — a verdict
 * that a retry would only repeat, so the item is not sent again. Any other failure (the other
 * zone unreachable, a crash) leaves it waiting and stops the round; the next round retries it,
 * and ids derived from the item make the retry the same message.
 */
export async function deliverEach<T>(
  items: readonly T[],
  deliver: (item: T) => Promise<unknown>,
  settle: (item: T, refusal?: string) => Promise<void>,
): Promise<number> {
  let delivered = 0;
  for (const item of items) {
    try {
      await deliver(item);
    } catch (error) {
      if (!isMachiError(error) || error.code !== 'gateway-message-invalid') throw error;
      await settle(item, error.detail);
      continue;
    }
    await settle(item);
    delivered += 1;
  }
  return delivered;
}
