import { describe, expect, it } from 'vitest';
import { scanDecoderModule, writtenScanDecoder } from '../../../../scripts/build-scan-decoder.ts';
import { readBaseline } from './jpeg-baseline.ts';
import { codedAsWeWrite, decodeCoefficients, NotTranscodable } from './jpeg-coefficients.ts';
import { transcodeJpeg } from './jpeg-transcode.ts';
import { releaseScanDecoder, scanDecoder } from './scan-decoder.ts';
import { noisyJpeg } from './test-corpus.ts';
import { decodeImage } from './test-inspect.ts';

/** The same pixels, as the decoder of record makes them. */
async function samePixels(a: Uint8Array, b: Uint8Array): Promise<boolean> {
  const [x, y] = await Promise.all([decodeImage(a), decodeImage(b)]);
  return x.width === y.width && x.height === y.height && Buffer.from(x.data).equals(Buffer.from(y.data));
}

describe('the WebAssembly scan decoder', () => {
  it('is what scan-decoder.as.ts compiles to (regenerate with `npx tsx scripts/build-scan-decoder.ts`)', async () => {
    expect(await scanDecoderModule()).toBe(writtenScanDecoder());
  });

  it('answers each fault of a scan as not transcodable, never with a trap', () => {
    const input = noisyJpeg(64, 32, 90);
    const jpeg = readBaseline(input)!;
    const scan = jpeg.scans[0]!;
    const withData = (data: Uint8Array) => ({ ...jpeg, scans: [{ ...scan, data }] });
    const faults = {
      'cut short': scan.data.subarray(0, scan.data.length >> 1),
      'data after the last block': Buffer.concat([scan.data, Buffer.alloc(64, 0x55)]),
      'codes no table has': Buffer.alloc(scan.data.length, 0xfe),
      'nothing at all': new Uint8Array(0),
    };
    for (const [name, data] of Object.entries(faults)) {
      expect(() => decodeCoefficients(withData(data)), name).toThrow(NotTranscodable);
      expect(() => codedAsWeWrite(withData(data)), name).toThrow(NotTranscodable);
    }
  });

  it('takes a damaged scan only where it decodes to an image the decoder of record agrees with', async () => {
    const input = noisyJpeg(64, 32, 90);
    const scanStart = input.indexOf(Buffer.of(0xff, 0xda));
    const dataStart = scanStart + 2 + input.readUInt16BE(scanStart + 2);
    let state = 7;
    const random = (below: number) => {
      state = (state * 1103515245 + 12345) >>> 0;
      return (state >>> 8) % below;
    };
    let taken = 0;
    for (let round = 0; round < 150; round++) {
      const damaged = Buffer.from(input);
      // One to three bytes of the scan changed (0xFF left out: it would make a marker).
      for (let n = 1 + random(3); n > 0; n--) {
        damaged[dataStart + random(input.length - 2 - dataStart)] = random(255);
      }
      const rebuilt = transcodeJpeg(damaged);
      if (!rebuilt) continue;
      taken++;
      expect(await samePixels(damaged, rebuilt.output), `round ${round}`).toBe(true);
    }
    // Some damage still decodes (a value's bits changed): those were compared.
    expect(taken).toBeGreaterThan(0);
  });

  it('gives back memory one large file needed', () => {
    const grown = scanDecoder(80 * 1024 * 1024);
    expect(grown.memory.buffer.byteLength).toBeGreaterThanOrEqual(80 * 1024 * 1024);
    releaseScanDecoder();
    const next = scanDecoder(1024);
    expect(next).not.toBe(grown);
    expect(next.memory.buffer.byteLength).toBeLessThan(1024 * 1024);
    // Small files keep theirs.
    releaseScanDecoder();
    expect(scanDecoder(1024)).toBe(next);
  });
});
