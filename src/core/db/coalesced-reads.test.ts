import { describe, expect, it } from 'vitest';
import { coalescedReads } from './coalesced-reads.ts';

/** A read that records each statement's keys and answers the squares of the even ones. */
function squares() {
  const statements: number[][] = [];
  let release: (() => void) | undefined;
  let held = false;
  const read = coalescedReads<number, number>({
    idOf: String,
    maxKeys: 3,
    read: async (keys) => {
      statements.push([...keys]);
      if (held) await new Promise<void>((resolve) => (release = resolve));
      if (keys.includes(13)) throw new Error('the server went away');
      return new Map(keys.filter((key) => key % 2 === 0).map((key) => [String(key), key * key]));
    },
  });
  return {
    read,
    statements,
    hold: () => {
      held = true;
    },
    release: () => {
      held = false;
      release?.();
    },
  };
}

describe('coalescedReads', () => {
  it('reads the keys asked for in one tick in one statement, each caller getting its own row', async () => {
    const { read, statements } = squares();
    expect(await Promise.all([read(2), read(3), read(4)])).toEqual([4, undefined, 16]);
    expect(statements).toEqual([[2, 3, 4]]);
  });

  it('makes the keys asked for while a statement is in flight wait for the next, up to maxKeys each', async () => {
    const { read, statements, hold, release } = squares();
    hold();
    const first = read(2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = [4, 6, 8, 10].map((key) => read(key));
    expect(statements).toEqual([[2]]);
    release();
    expect(await first).toBe(4);
    expect(await Promise.all(later)).toEqual([16, 36, 64, 100]);
    expect(statements).toEqual([[2], [4, 6, 8], [10]]);
  });

  it("gives a failed statement's error to its own callers only, and goes on", async () => {
    const { read, statements } = squares();
    const outcomes = await Promise.allSettled([read(12), read(13), read(14), read(16)]);
    expect(outcomes.map((one) => one.status)).toEqual(['rejected', 'rejected', 'rejected', 'fulfilled']);
    expect(statements).toEqual([[12, 13, 14], [16]]);
    expect(await read(18)).toBe(324);
  });
});
