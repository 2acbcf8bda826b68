import { describe, expect, it } from 'vitest';
import { groupWriter } from './group-writer.ts';

interface Item {
  readonly value: number;
  readonly done: (group: number) => void;
}

/** A writer that records each group it is given and answers each item with its group's index. */
function recording(options: { maxGroup: number; spacingMs: number; writeMs?: number }) {
  const groups: number[][] = [];
  const push = groupWriter<Item>(async (group) => {
    groups.push(group.map((item) => item.value));
    await new Promise((resolve) => setTimeout(resolve, options.writeMs ?? 0));
    for (const item of group) item.done(groups.length - 1);
  }, options);
  const add = (value: number) => new Promise<number>((done) => push({ value, done }));
  return { groups, add };
}

describe('group writer', () => {
  it('writes the items of one turn of the event loop as one group', async () => {
    const { groups, add } = recording({ maxGroup: 10, spacingMs: 0 });
    expect(await Promise.all([1, 2, 3].map(add))).toEqual([0, 0, 0]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it('gathers what comes during a write into the next group, at most maxGroup each', async () => {
    const { groups, add } = recording({ maxGroup: 2, spacingMs: 0, writeMs: 20 });
    const first = add(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const rest = [2, 3, 4, 5, 6].map(add);
    await Promise.all([first, ...rest]);
    expect(groups).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it('leaves out of a group what its split says must wait', async () => {
    const groups: number[][] = [];
    const push = groupWriter<{ value: number; done: () => void }>(
      async (group) => {
        groups.push(group.map((item) => item.value));
        for (const item of group) item.done();
      },
      {
        maxGroup: 10,
        spacingMs: 0,
        // Odd and even never share a group: the first item's kind goes first.
        split: (waiting) => ({
          group: waiting.filter((item) => item.value % 2 === waiting[0]!.value % 2),
          later: waiting.filter((item) => item.value % 2 !== waiting[0]!.value % 2),
        }),
      },
    );
    await Promise.all([1, 2, 3, 4].map((value) => new Promise<void>((done) => push({ value, done }))));
    expect(groups).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });
});
