import { describe, expect, it } from 'vitest';
import { onePer } from './one-per.ts';

describe('onePer', () => {
  it('makes one value per key, on first use, with that call’s other arguments', () => {
    const made: string[] = [];
    const labelOf = onePer((key: { name: string }, suffix: string) => {
      made.push(key.name);
      return `${key.name}-${suffix}`;
    });
    const a = { name: 'a' };
    const b = { name: 'b' };
    expect(labelOf(a, '1')).toBe('a-1');
    expect(labelOf(a, '2')).toBe('a-1');
    expect(labelOf(b, '3')).toBe('b-3');
    expect(made).toEqual(['a', 'b']);
  });

  it('keeps a value that is undefined instead of making it again', () => {
    let calls = 0;
    const nothing = onePer((_key: object) => {
      calls += 1;
      return undefined;
    });
    const key = {};
    nothing(key);
    nothing(key);
    expect(calls).toBe(1);
  });
});
