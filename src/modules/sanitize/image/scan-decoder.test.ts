import { describe, expect, it } from 'vitest';
import { scanDecoderModule, writtenScanDecoder } from '../../../../scripts/build-scan-decoder.ts';
import { readBaseline } from './jpeg-baseline.ts';
import { codedAsWeWrite, decodeCoefficients, NotTranscodable } from './jpeg-coefficients.ts';
import { encodingTable } from './jpeg-huffman.ts';
import { transcodeJpeg } from './jpeg-transcode.ts';
import { releaseScanDecoder, scanDecoder } from './scan-decoder.ts';
import { jpegSegment, noisyJpeg } from './test-corpus.ts';
import { decodeImage } from './test-inspect.ts';

/** The same pixels, as the decoder of record makes them. */
async function samePixels(a: Uint8Array, b: Uint8Array): Promise<boolean> {
  const [x, y] = await Promise.all([decodeImage(a), decodeImage(b)]);
  return x.width === y.width && x.height === y.height && Buffer.from(x.data).equals(Buffer.from(y.data));
}

function outcome<T>(run: () => T): T | 'refused' {
  try {
    return run();
  } catch (error) {
    if (error instanceof NotTranscodable) return 'refused';
    throw error;
  }
}

/**
 * A greyscale JPEG of 48 blocks in a row whose scan is made symbol by symbol: random runs and
 * sizes coded with random tables (codes up to 16 bits), ZRLs, blocks that end at position 63
 * without an EOB, and, in some files, a ZRL before an EOB, padding of 0 bits, or a coefficient
 * past position 63. What a decoder should answer is known as it is made.
 */
function randomScan(seed: number): { file: Uint8Array; expected: 'asWritten' | 'notAsWritten' | 'refused' } {
  let state = seed * 7919;
  const random = (below: number) => {
    state = (state * 1103515245 + 12345) >>> 0;
    return (state >>> 8) % below;
  };
  const acFrequencies = new Array<number>(256).fill(0);
  acFrequencies[0x00] = 1 + random(3000);
  acFrequencies[0xf0] = seed % 8 < 4 ? 1 : 1 + random(300); // a rare ZRL has a long code
  for (let run = 0; run < 16; run++) {
    for (let size = 1; size <= 10; size++)
      acFrequencies[(run << 4) | size] = 1 + random(1 + (4000 >> (run + size)));
  }
  const ac = encodingTable(acFrequencies);
  const dc = encodingTable(Array.from({ length: 256 }, (_, category) => (category < 3 ? 1 : 0)));
  const bits: number[] = [];
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >> i) & 1);
  };
  const symbol = (s: number) => put(ac.code[s]!, ac.length[s]!);
  const odd = seed % 4; // 1: a ZRL before an EOB; 2: padding of 0 bits; 3: out of place
  const oddBlock = random(48);
  let expected: 'asWritten' | 'notAsWritten' | 'refused' = 'asWritten';
  for (let block = 0; block < 48; block++) {
    put(dc.code[1]!, dc.length[1]!); // DC: +1 and -1 by turns keep the predictor near 0
    put(block & 1, 1);
    const density = random(4);
    let zrlLast = false;
    for (let k = 1; k < 64; ) {
      const choice = random(40);
      if (block === oddBlock && odd === 1 && !zrlLast && k < 48) {
        symbol(0xf0);
        symbol(0x00);
        expected = 'notAsWritten';
        break;
      }
      if (block === oddBlock && odd === 3) {
        // Three ZRLs to position 49, then a coefficient 15 zeros on: at 64.
        for (let zrl = 0; zrl < 3; zrl++) symbol(0xf0);
        symbol(0xf1);
        put(1, 1);
        expected = 'refused';
        break; // the rest of the scan is never read
      }
      if (choice < density) {
        symbol(0x00);
        if (zrlLast && expected === 'asWritten') expected = 'notAsWritten';
        break;
      }
      if (choice < density + 2 && k + 16 < 64) {
        symbol(0xf0);
        k += 16;
        zrlLast = true;
        continue;
      }
      const run = Math.min(random(choice < 30 ? 2 : 16), 63 - k);
      const size = 1 + random(choice < 20 ? 3 : 10);
      symbol((run << 4) | size);
      put(random(1 << size), size);
      k += run + 1;
      zrlLast = false;
    }
    if (expected === 'refused') break;
  }
  const padding = (8 - (bits.length % 8)) % 8;
  if (odd === 2 && padding > 0) expected = expected === 'asWritten' ? 'notAsWritten' : expected;
  put(odd === 2 ? 0 : (1 << padding) - 1, padding);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const byte = bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0);
    data.push(byte);
    if (byte === 0xff) data.push(0x00);
  }
  const table = (id: number, spec: { counts: Uint8Array; symbols: Uint8Array }) => [
    id,
    ...spec.counts,
    ...spec.symbols,
  ];
  const file = Buffer.concat([
    Buffer.of(0xff, 0xd8),
    jpegSegment(0xdb, Uint8Array.of(0, ...new Array<number>(64).fill(1))),
    jpegSegment(0xc0, Uint8Array.of(8, 0, 8, (48 * 8) >> 8, (48 * 8) & 0xff, 1, 1, 0x11, 0)),
    jpegSegment(0xc4, Uint8Array.of(...table(0x00, dc.spec), ...table(0x10, ac.spec))),
    jpegSegment(0xda, Uint8Array.of(1, 1, 0x00, 0, 63, 0)),
    Uint8Array.from(data),
    Buffer.of(0xff, 0xd9),
  ]);
  return { file, expected };
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

  it('checks a scan, several symbols a lookup, as its symbols say', () => {
    const seen = { refused: 0, asWritten: 0, notAsWritten: 0 };
    for (let seed = 1; seed <= 120; seed++) {
      const { file, expected } = randomScan(seed);
      const jpeg = readBaseline(file)!;
      const checked = outcome(() => (codedAsWeWrite(jpeg) ? 'asWritten' : 'notAsWritten'));
      expect(checked, `seed ${seed}`).toBe(expected);
      // The full decode, one symbol at a time, refuses the same files.
      expect(outcome(() => decodeCoefficients(jpeg)) === 'refused', `seed ${seed}`).toBe(
        expected === 'refused',
      );
      seen[expected]++;
    }
    expect(Math.min(...Object.values(seen))).toBeGreaterThan(15);
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
