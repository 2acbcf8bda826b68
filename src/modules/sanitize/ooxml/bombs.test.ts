/** Zip bombs and limits reached through the OOXML sanitizer: refused fast, with little memory. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, isRefusal } from '../types.ts';
import { sanitizeOoxml } from './index.ts';
import { docxWithBombPart, nestedBomb, overlapBomb } from './test-corpus.ts';

const MiB = 1024 * 1024;
/**
 * Most the buffers in use may grow while a 1 GiB bomb is refused. Inflated chunks that are
 * garbage but not yet collected count too (how many depends on when V8 collects: 65 MiB was
 * seen once in CI), so the bound is loose; it still tells stopping near the few MiB read
 * from stopping at the bomb's 1 GiB.
 */
const MAX_GROWTH_MiB = 128;

async function refusedQuickly(input: Uint8Array, limits = DEFAULT_LIMITS) {
  const before = process.memoryUsage().arrayBuffers;
  const start = performance.now();
  try {
    await sanitizeOoxml(input, limits);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const ms = performance.now() - start;
    const grewMiB = (process.memoryUsage().arrayBuffers - before) / MiB;
    return { reason: error.reason, message: error.message, ms, grewMiB };
  }
  throw new Error('expected a refusal');
}

describe('sanitizeOoxml refuses bombs', () => {
  it('a DOCX whose document.xml is 1 GiB of zeros (honest sizes)', async () => {
    const r = await refusedQuickly(docxWithBombPart(1024));
    expect(r.reason).toBe('compression-ratio');
    expect(r.ms).toBeLessThan(2000);
    expect(r.grewMiB).toBeLessThan(MAX_GROWTH_MiB);
  });

  it('the same, declaring a 10 MiB document.xml', async () => {
    const r = await refusedQuickly(docxWithBombPart(1024, 10 * MiB));
    expect(r.reason).toBe('malformed');
    expect(r.message).toMatch(/more than its declared/);
    expect(r.ms).toBeLessThan(3000);
    expect(r.grewMiB).toBeLessThan(MAX_GROWTH_MiB);
  });

  it('an overlapping-entries bomb', async () => {
    const r = await refusedQuickly(overlapBomb(100));
    expect(r.reason).toBe('malformed');
    expect(r.message).toMatch(/overlap/);
    expect(r.ms).toBeLessThan(1000);
  });

  it('a nested bomb (not an Office package) without inflating it', async () => {
    const r = await refusedQuickly(nestedBomb(4, 16));
    expect(r.reason).toBe('type-not-allowed');
    expect(r.ms).toBeLessThan(1000);
    expect(r.grewMiB).toBeLessThan(16);
  });

  it('too many entries', async () => {
    const r = await refusedQuickly(overlapBomb(100), { ...DEFAULT_LIMITS, maxEntries: 50 });
    expect(r.reason).toBe('too-many-entries');
  });
});
