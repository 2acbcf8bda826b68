/**
 * Zip bombs must be refused quickly and without ever holding their inflated size in memory.
 * Memory is measured as the growth of process.memoryUsage().arrayBuffers (where Uint8Arrays
 * live) across the call; the bombs are 1 GiB or more inflated. (The reader's checks on real
 * inflated bytes against the ratio and the budget are defence in depth: real bytes can never
 * exceed declared ones, which are checked first, except across nesting levels, tested here.)
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, isRefusal, type RefusalReason, type SanitizeLimits } from '../types.ts';
import { openZip, walkArchive } from './index.ts';
import { flatBomb, nestedBomb, overlapBomb } from './test-bombs.ts';

const MiB = 1024 * 1024;

function measure(fn: () => unknown): { reason: RefusalReason; message: string; ms: number; grewMiB: number } {
  const before = process.memoryUsage().arrayBuffers;
  const start = performance.now();
  try {
    fn();
  } catch (error) {
    const ms = performance.now() - start;
    // Garbage from the call is still counted (nothing forces a collection): an upper bound.
    const grewMiB = (process.memoryUsage().arrayBuffers - before) / MiB;
    if (!isRefusal(error)) throw error;
    if (process.env['BOMB_REPORT'])
      console.log(error.reason, Math.round(ms), 'ms', grewMiB.toFixed(1), 'MiB');
    return { reason: error.reason, message: error.message, ms, grewMiB };
  }
  throw new Error('expected a refusal');
}

const readAll = (bytes: Uint8Array, limits: SanitizeLimits = DEFAULT_LIMITS) => {
  const zip = openZip(bytes, limits);
  for (const entry of zip.entries) zip.read(entry);
};

describe('zip bombs', () => {
  it('a flat bomb (1 GiB of zeros, honest sizes) is refused from its declared ratio', () => {
    const bomb = flatBomb(1024);
    expect(bomb.length).toBeLessThan(2 * MiB);
    const r = measure(() => readAll(bomb));
    expect(r.reason).toBe('compression-ratio');
    expect(r.ms).toBeLessThan(2000);
    expect(r.grewMiB).toBeLessThan(64);
  });

  it('a flat bomb that declares small sizes is stopped by its real inflated bytes', () => {
    const bomb = flatBomb(1024, 'zeros.bin', 4 * MiB);
    const r = measure(() => readAll(bomb));
    expect(r.reason).toBe('malformed');
    expect(r.message).toMatch(/more than its declared/);
    expect(r.ms).toBeLessThan(3000);
    expect(r.grewMiB).toBeLessThan(64);
  });

  it('an overlapping-entries bomb (Fifield 2019) is refused before inflating', () => {
    const bomb = overlapBomb(200);
    const r = measure(() => readAll(bomb));
    expect(r.reason).toBe('malformed');
    expect(r.message).toMatch(/overlap/);
    expect(r.ms).toBeLessThan(1000);
  });

  it('a nested bomb (42.zip-style, 16^4 × 1 MiB) is refused at the nesting limit by peeking', () => {
    const bomb = nestedBomb(4, 16);
    expect(bomb.length).toBeLessThan(MiB);
    const r = measure(() => walkArchive(bomb, DEFAULT_LIMITS));
    expect(r.reason).toBe('nesting-too-deep');
    expect(r.ms).toBeLessThan(2000);
    expect(r.grewMiB).toBeLessThan(64);
  });

  it('a nested bomb within the nesting limit is stopped by the budget shared across levels', () => {
    const limits = { ...DEFAULT_LIMITS, maxNesting: 10, maxCompressionRatio: 1e9 };
    const r = measure(() => walkArchive(nestedBomb(3, 16), limits));
    expect(r.reason).toBe('too-large');
    expect(r.ms).toBeLessThan(5000);
  });

  it('walkArchive accepts an honest nested archive within the limits', () => {
    const summary = walkArchive(nestedBomb(2, 2, 1), { ...DEFAULT_LIMITS, maxCompressionRatio: 1e9 });
    expect(summary).toMatchObject({ files: 4, depth: 2, inflatedBytes: expect.any(Number) });
  });
});
