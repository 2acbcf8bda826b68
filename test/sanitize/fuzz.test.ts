// Seeded fuzzing of the whole sanitizer: valid files of every accepted type, mutated (bit
// flips, lying lengths, cut, repeated and removed ranges), each sanitized by the worker pool.
// Whatever a case does, it must end as rebuilt or refused within the time limit; a worker may
// be killed for time or memory but never takes the caller down, and never grows past its limit.
// MACHI_FUZZ_CASES / MACHI_FUZZ_SEED replay or widen the run.
import { afterAll, describe, expect, it } from 'vitest';
import { patternJpeg, rgbPng, rgbTiff } from '../../src/modules/sanitize/image/test-corpus.ts';
import { createSanitizer } from '../../src/modules/sanitize/index.ts';
import { minimalDocx, minimalXlsx } from '../../src/modules/sanitize/ooxml/test-corpus.ts';
import { corpus } from '../../src/modules/sanitize/pdf/test-corpus.ts';
import { mutate, seededRandom } from './mutate.ts';

const CASES_PER_TYPE = Number(process.env.MACHI_FUZZ_CASES ?? 40);
const SEED = Number(process.env.MACHI_FUZZ_SEED ?? 20261130);
const TIME_MS = 10_000;
const MEMORY_MB = 768;
const sanitizer = createSanitizer({ workers: 2, limits: { timeMs: TIME_MS, memoryMb: MEMORY_MB } });
afterAll(() => sanitizer.close());

const seeds: Record<string, () => Promise<Uint8Array> | Uint8Array> = {
  pdf: () => corpus.javascript(),
  jpeg: () => patternJpeg(),
  png: () => rgbPng(16, 16, (x, y) => [x * 16, y * 16, 128]),
  tiff: () => rgbTiff([{ width: 8, height: 8, pixel: (x) => [x * 30, 0, 0] }]),
  docx: () => minimalDocx(),
  xlsx: () => minimalXlsx(),
  csv: () => new TextEncoder().encode('氏名,金額\n山田,=1+1\n"佐藤","1,000"\n'),
};

describe(`fuzzing: ${CASES_PER_TYPE} mutations of each type, seed ${SEED}`, () => {
  it.each(Object.keys(seeds))('%s', async (type) => {
    const random = seededRandom(SEED + type.charCodeAt(0) * 1_000 + type.length);
    const original = await seeds[type]!();
    const outcomes: Record<string, number> = {};
    const cases = Array.from({ length: CASES_PER_TYPE }, () => mutate(original, random));
    const results = await Promise.all(
      cases.map(async (bytes, n) => {
        // An internal error would reject here and fail the test: every case must end in a verdict.
        const { report } = await sanitizer.sanitize(bytes).catch((error: Error) => {
          throw new Error(`${type} case ${n} (seed ${SEED}): ${error.message}`);
        });
        return report;
      }),
    );
    for (const report of results) {
      const verdict = report.refusal ? `refused:${report.refusal.reason}` : 'rebuilt';
      outcomes[verdict] = (outcomes[verdict] ?? 0) + 1;
      // Killed at the limit; the exit is seen soon after. Waiting for a worker is not counted.
      expect(report.durationMs).toBeLessThan(TIME_MS + 5_000);
      expect(report.refusal?.reason).not.toBe('worker-crashed');
    }
    // The workers alive now never went past their limit (the dead ones were killed at it).
    expect(sanitizer.workerPeakRssMb()).toBeLessThan(MEMORY_MB + 64);
    console.log(type, JSON.stringify(outcomes));
  });
});
