import { describe, expect, it } from 'vitest';
import { MachiError } from '../../core/index.ts';
import { deliverEach } from './deliver-each.ts';

describe('deliverEach', () => {
  it('settles each item as delivered or refused, and stops the round at any other failure', async () => {
    const settled: [string, string | undefined][] = [];
    const settle = async (item: string, refusal?: string) => {
      settled.push([item, refusal]);
    };
    const deliver = async (item: string) => {
      if (item === 'bad') throw new MachiError('gateway-message-invalid', 'lgwan says no');
      if (item === 'down') throw new MachiError('gateway-unreachable');
    };
    await expect(deliverEach(['a', 'bad', 'down', 'never'], deliver, settle)).rejects.toMatchObject({
      code: 'gateway-unreachable',
    });
    // The unreachable one and those after it stay waiting for the next round.
    expect(settled).toEqual([
      ['a', undefined],
      ['bad', 'lgwan says no'],
    ]);
    expect(await deliverEach(['b', 'bad', 'c'], deliver, settle)).toBe(2);
  });
});
