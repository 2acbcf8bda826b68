import { describe, expect, it } from 'vitest';
import { MachiError } from '../../core/index.ts';
import { type BatchDelivery, deliverInBatches } from './deliver-batches.ts';

function recorder(options: { refuse?: string; down?: string } = {}) {
  const calls: string[] = [];
  const delivered: string[] = [];
  const refused: [string, string][] = [];
  const fail = (item: string) => {
    if (item === options.refuse) throw new MachiError('gateway-message-invalid', `${item} is no good`);
    if (item === options.down) throw new MachiError('gateway-unreachable');
  };
  const delivery: BatchDelivery<string> = {
    async deliverAll(batch) {
      calls.push(batch.join('+'));
      for (const item of batch) fail(item);
    },
    async deliver(item) {
      calls.push(item);
      fail(item);
    },
    async delivered(items) {
      delivered.push(...items);
    },
    async refused(item, refusal) {
      refused.push([item, refusal]);
    },
  };
  return { calls, delivered, refused, delivery };
}

describe('deliverInBatches', () => {
  it('sends each batch in one call and settles it in one write', async () => {
    const { calls, delivered, delivery } = recorder();
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(await deliverInBatches(items, { size: 2, lanes: 2 }, delivery)).toBe(5);
    expect(calls.sort()).toEqual(['a+b', 'c+d', 'e']);
    expect(delivered.sort()).toEqual(items);
  });

  it('bounds a batch by bytes too: a larger item goes alone', async () => {
    const { calls, delivery } = recorder();
    const sizes: Record<string, number> = { a: 4, b: 4, c: 9, d: 2, e: 2, f: 2 };
    const items = Object.keys(sizes);
    const options = { size: 3, lanes: 1, maxBytes: 8, bytesOf: (item: string) => sizes[item]! };
    expect(await deliverInBatches(items, options, delivery)).toBe(6);
    expect(calls).toEqual(['a+b', 'c', 'd+e+f']);
  });

  it('sends a failed batch again item by item: the refused one is settled alone, the rest delivered', async () => {
    const { calls, delivered, refused, delivery } = recorder({ refuse: 'b' });
    expect(await deliverInBatches(['a', 'b', 'c', 'd'], { size: 3, lanes: 1 }, delivery)).toBe(3);
    expect(calls).toEqual(['a+b+c', 'a', 'b', 'c', 'd']);
    expect(delivered).toEqual(['a', 'c', 'd']);
    expect(refused).toEqual([['b', 'b is no good']]);
  });

  it('an unreachable receiver stops its lane and fails the round once every lane has stopped', async () => {
    const { delivered, refused, delivery } = recorder({ down: 'c' });
    await expect(
      deliverInBatches(['a', 'b', 'c', 'd', 'e', 'f'], { size: 2, lanes: 2 }, delivery),
    ).rejects.toMatchObject({ code: 'gateway-unreachable' });
    // Lane one: a+b, then e+f; lane two: c+d fails, c alone fails: d waits for the next round.
    expect(delivered.sort()).toEqual(['a', 'b', 'e', 'f']);
    expect(refused).toEqual([]);
  });
});
