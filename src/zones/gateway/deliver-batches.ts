import { deliverEach } from './deliver-each.ts';

/** How `deliverInBatches` sends and settles items. */
export interface BatchDelivery<T> {
  /** One call for a whole batch (gateway.sendAll): the receiver keeps all of it or none. */
  deliverAll(batch: readonly T[]): Promise<unknown>;
  /** One call for one item: how a failed batch is sent again, item by item. */
  deliver(item: T): Promise<unknown>;
  /** Marks items as delivered (a batch's in one write). */
  delivered(items: readonly T[]): Promise<void>;
  /** Marks an item as refused by the receiver: it is not sent again. */
  refused(item: T, refusal: string): Promise<void>;
}

/**
 * Delivers items waiting in a zone's own tables in batches of at most `size`, on `lanes`
 * batches at once. A batch costs the receiver one transaction and the sender one call and one
 * write, where items sent one by one cost one of each apiece (under load, forwarding filings
 * one at a time fell behind filing them). A batch that fails for any reason — one item the
 * receiver refuses, or the receiver out of reach — is sent again item by item (`deliverEach`),
 * which settles the refused item alone and stops its lane at an unreachable receiver. Items
 * are independent (ids derived from each, the receiver keeps each once), so their order does
 * not matter; the round fails, once every lane has stopped, if any lane failed.
 */
export async function deliverInBatches<T>(
  items: readonly T[],
  options: {
    readonly size: number;
    readonly lanes: number;
    /** With `bytesOf`: the most a batch carries (an item larger alone goes alone). */
    readonly maxBytes?: number;
    readonly bytesOf?: (item: T) => number;
  },
  delivery: BatchDelivery<T>,
): Promise<number> {
  const batches: T[][] = [];
  let bytes = 0;
  for (const item of items) {
    const more = options.bytesOf?.(item) ?? 0;
    const last = batches.at(-1);
    if (
      last &&
      last.length < options.size &&
      bytes + more <= (options.maxBytes ?? Number.POSITIVE_INFINITY)
    ) {
      last.push(item);
      bytes += more;
    } else {
      batches.push([item]);
      bytes = more;
    }
  }
  const lanes = Array.from({ length: options.lanes }, (_, lane) =>
    batches.filter((_, index) => index % options.lanes === lane),
  );
  const settle = (item: T, refusal?: string) =>
    refusal === undefined ? delivery.delivered([item]) : delivery.refused(item, refusal);
  const results = await Promise.allSettled(
    lanes.map(async (lane) => {
      let delivered = 0;
      for (const batch of lane) {
        let whole = true;
        try {
          await delivery.deliverAll(batch);
        } catch {
          whole = false;
        }
        if (whole) {
          await delivery.delivered(batch);
          delivered += batch.length;
        } else {
          delivered += await deliverEach(batch, delivery.deliver, settle);
        }
      }
      return delivered;
    }),
  );
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.reduce((sum, result) => sum + (result.status === 'fulfilled' ? result.value : 0), 0);
}
