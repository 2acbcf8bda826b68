import { describe, expect, it } from 'vitest';
import { HeldFiles } from './held-files.ts';

describe('files held for the forwarder', () => {
  it('gives a file once, then no longer holds it', () => {
    const held = new HeldFiles(100);
    held.keep('a', new Uint8Array(40));
    expect(held.take('a')).toHaveLength(40);
    expect(held.take('a')).toBeUndefined();
    expect(held.heldBytes).toBe(0);
  });

  it('stays within its bound: the oldest go first, and a file larger than the bound is not held', () => {
    const held = new HeldFiles(100);
    held.keep('a', new Uint8Array(40));
    held.keep('b', new Uint8Array(40));
    held.keep('c', new Uint8Array(40));
    expect(held.heldBytes).toBe(80);
    expect(held.take('a')).toBeUndefined();
    expect(held.take('b')).toHaveLength(40);
    held.keep('d', new Uint8Array(101));
    expect(held.take('d')).toBeUndefined();
    expect(held.take('c')).toHaveLength(40);
  });
});
