/**
 * Output size and speed on generated documents. The ratios are asserted; the speeds are only
 * printed (machines differ), for comparison with `mutool draw -r 150` on the same files.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../types.ts';
import { sanitizePdf } from './index.ts';
import { scanDocument, textDocument } from './test-corpus.ts';

const rebuild = { limits: DEFAULT_LIMITS, mode: 'rebuild' } as const;

async function measure(label: string, input: Uint8Array, pages: number) {
  await sanitizePdf(input, rebuild); // warm-up: module loading, font parsing
  const started = performance.now();
  const result = await sanitizePdf(input, rebuild);
  const seconds = (performance.now() - started) / 1000;
  const ratio = result.output.length / input.length;
  console.info(
    `${label}: ${pages} pages, ${input.length} → ${result.output.length} bytes (×${ratio.toFixed(2)}), ` +
      `${(pages / seconds).toFixed(1)} pages/s; ${result.actions[0]}`,
  );
  return { result, ratio };
}

describe('rebuild size and speed', () => {
  it('does not grow a scan-like PDF', async () => {
    const { result, ratio } = await measure('scan', await scanDocument(4), 4);
    expect(result.actions[0]).toMatch(/4 as JPEG/);
    expect(ratio).toBeLessThan(1);
  }, 120_000);

  it('keeps a dense text PDF to a lossless grey/palette page image of modest size', async () => {
    const input = await textDocument(4);
    const { result } = await measure('text', input, 4);
    expect(result.actions[0]).toMatch(/0 as JPEG/);
    expect(result.output.length / 4).toBeLessThan(250_000); // bytes per dense A4 page at 150 dpi
  }, 120_000);
});
