import { loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../types.ts';
import { sanitizeJpeg } from './index.ts';
import { type BaselineJpeg, readBaseline } from './jpeg-baseline.ts';
import { type ComponentBlocks, codedAsWeWrite, decodeCoefficients } from './jpeg-coefficients.ts';
import { encodingTableOf } from './jpeg-huffman.ts';
import { transcodeJpeg as transcode } from './jpeg-transcode.ts';
import { type Layout, ONE_SCAN, tablesAsRead, writeAsCoded, writeBaseline } from './jpeg-write.ts';
import { drawUpright } from './render.ts';
import { exifGpsZipJpeg, exifTiff, jpegSegment, noisyJpeg, withSegments } from './test-corpus.ts';
import { decodeImage, jpegMarkers } from './test-inspect.ts';

/** The rebuilt file alone. */
const transcodeJpeg = (input: Uint8Array, orientation?: number) => transcode(input, orientation)?.output;

/**
 * A greyscale 8×8 JPEG of one block, its scan coded by hand: a DC table of one code (0: category
 * 0), an AC table of EOB (00), ZRL (01) and run 0 size 1 (10), with 11 kept free.
 */
function oneBlockJpeg(scan: number[]): Uint8Array {
  const segment = (marker: number, payload: number[]) => [
    0xff,
    marker,
    (payload.length + 2) >> 8,
    (payload.length + 2) & 0xff,
    ...payload,
  ];
  const counts = (perLength: number[]) => Array.from({ length: 16 }, (_, i) => perLength[i] ?? 0);
  return Uint8Array.from([
    0xff,
    0xd8,
    ...segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...counts([1]), 0, 0x10, ...counts([0, 3]), 0x00, 0xf0, 0x01]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...scan,
    0xff,
    0xd9,
  ]);
}

function withExif(jpeg: Uint8Array, orientation: number): Buffer {
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff({ orientation, gps: false })]);
  return withSegments(jpeg, jpegSegment(0xe1, exif));
}

/** The same image: a decoder makes the very same pixels of both. */
async function expectSamePixels(a: Uint8Array, b: Uint8Array): Promise<void> {
  const [x, y] = await Promise.all([decodeImage(a), decodeImage(b)]);
  expect([y.width, y.height]).toEqual([x.width, x.height]);
  expect(Buffer.from(y.data).equals(Buffer.from(x.data))).toBe(true);
}

function parts(file: Uint8Array): { jpeg: BaselineJpeg; blocks: ComponentBlocks[] } {
  const jpeg = readBaseline(file);
  if (!jpeg) throw new Error('not a baseline JPEG');
  return { jpeg, blocks: decodeCoefficients(jpeg) };
}

/** The file written again in another sequential shape: scans per component, restart markers. */
function reshaped(file: Uint8Array, layout: (jpeg: BaselineJpeg) => Layout): Uint8Array {
  const { jpeg, blocks } = parts(file);
  return writeBaseline(jpeg, blocks, file.length, layout(jpeg));
}

/** Only the luminance: a greyscale JPEG of one component. */
function grey(file: Uint8Array): Uint8Array {
  const { jpeg, blocks } = parts(file);
  const [y] = jpeg.components;
  return writeBaseline({ ...jpeg, components: [y!] }, [blocks[0]!], file.length);
}

const sizes = [
  [64, 32],
  [67, 35],
  [1, 1],
  [17, 250],
  [320, 240],
] as const;

describe('lossless JPEG transcoding', () => {
  it.each(sizes)('rebuilds a %i×%i JPEG with the very same pixels and only its own headers', async (w, h) => {
    const input = noisyJpeg(w, h, 90);
    const output = transcodeJpeg(input)!;
    expect(output).toBeDefined();
    await expectSamePixels(input, output);
    const { markers, trailing } = jpegMarkers(output);
    expect(markers).toEqual([0xe0, 0xdb, 0xc0, 0xc4, 0xda]);
    expect(trailing).toBe(0);
  });

  it.each(sizes)(
    "keeps the scan of a %i×%i JPEG coded as it would be coded again with the file's own tables",
    (w, h) => {
      const input = noisyJpeg(w, h, 90);
      const { jpeg, blocks } = parts(new Uint8Array(input));
      const tables = tablesAsRead(jpeg)!;
      expect(codedAsWeWrite(jpeg)).toBe(true);
      // Coding every coefficient again gives the very file kept: the check stands in for it.
      const recoded = writeBaseline(jpeg, blocks, input.length, ONE_SCAN(jpeg), tables);
      expect(Buffer.from(writeAsCoded(jpeg, tables).output).equals(Buffer.from(recoded))).toBe(true);
      const rebuilt = transcode(input)!;
      expect(rebuilt.keptScan !== undefined).toBe(true);
      expect(Buffer.from(rebuilt.output).equals(Buffer.from(recoded))).toBe(true);
    },
  );

  it.each([
    ['a ZRL before the EOB', [0b00100111], [0b00011111]],
    ['padding of 0 bits', [0b00000000], [0b00011111]],
    ['ZRLs past the end of the block', [0b00101010, 0xff, 0x00], [0b00011111]],
    ['nothing odd: a ZRL before a coefficient, no padding', [0b00110100], [0b00110100]],
  ])('codes again a scan with %s, as our writer codes it', async (_, scan, expected) => {
    const input = oneBlockJpeg(scan);
    const rebuilt = transcode(input)!;
    expect(rebuilt.keptScan !== undefined).toBe(Buffer.from(scan).equals(Buffer.from(expected)));
    const written = readBaseline(rebuilt.output)!;
    expect([...written.scans[0]!.data]).toEqual(expected);
    await expectSamePixels(input, rebuilt.output);
  });

  it('writes Huffman tables made for the image when its blocks move: smaller than the standard ones', () => {
    const input = noisyJpeg(320, 240, 90);
    const turned = transcodeJpeg(input, 5)!;
    expect(readBaseline(turned)!.scans[0]!.components[0]!.ac).not.toEqual(
      readBaseline(input)!.scans[0]!.components[0]!.ac,
    );
    expect(turned.length).toBeLessThan(input.length);
  });

  it("takes a file's own table only if it may be written again as it is", () => {
    const spec = (counts: number[], symbols: number[]) => ({
      counts: Uint8Array.from({ length: 16 }, (_, i) => counts[i] ?? 0),
      symbols: Uint8Array.from(symbols),
    });
    // Codes 00, 01, 100, 101, 110: the all-ones code of 3 bits stays free.
    const table = encodingTableOf(spec([0, 2, 3], [1, 2, 3, 0, 4]), 'ac')!;
    expect([...table.code.subarray(0, 5)]).toEqual([0b101, 0b00, 0b01, 0b100, 0b110]);
    expect([...table.length.subarray(0, 5)]).toEqual([3, 2, 2, 3, 3]);
    expect(encodingTableOf(spec([0, 2, 4], [1, 2, 3, 0, 4, 5]), 'ac')).toBeUndefined(); // 111 used
    expect(encodingTableOf(spec([0, 2, 2], [1, 2, 3, 1]), 'ac')).toBeUndefined(); // a symbol twice
    expect(encodingTableOf(spec([0, 2], [0, 12]), 'dc')).toBeUndefined(); // DC category 12
    expect(encodingTableOf(spec([0, 2], [0, 0x1b]), 'ac')).toBeUndefined(); // AC size 11
    expect(encodingTableOf(spec([0, 2], [0, 11]), 'dc')).toBeDefined();
  });

  it.each([
    [
      'a scan per component',
      (jpeg: BaselineJpeg) => ({ scans: jpeg.components.map((_, i) => [i]), restartInterval: 0 }),
    ],
    ['restart markers every MCU', () => ({ scans: [[0, 1, 2]], restartInterval: 1 })],
    ['restart markers every 7 MCUs', () => ({ scans: [[0, 1, 2]], restartInterval: 7 })],
    ['scans of (Y) and (Cb, Cr), restarts every 3', () => ({ scans: [[0], [1, 2]], restartInterval: 3 })],
  ])('reads %s', async (_, layout) => {
    const input = noisyJpeg(67, 35, 85);
    const shaped = reshaped(input, layout);
    // The shape is what the decoder of record reads as the same image, and so is the rebuild.
    await expectSamePixels(input, shaped);
    const output = transcodeJpeg(shaped)!;
    await expectSamePixels(input, output);
    expect(jpegMarkers(output).markers).toEqual([0xe0, 0xdb, 0xc0, 0xc4, 0xda]);
  });

  it('decodes each file on its own, though one array holds the unstuffed bytes of each in turn', () => {
    // Files of different sizes, one after another and again: no bytes of one reach another. The
    // first two keep their scans (checked by decoding); the third, with restarts, is coded again.
    const files = [
      noisyJpeg(64, 48, 90),
      noisyJpeg(24, 16, 60),
      reshaped(noisyJpeg(67, 35, 85), () => ({ scans: [[0, 1, 2]], restartInterval: 2 })),
    ];
    const alone = files.map((file) => Buffer.from(transcodeJpeg(file)!));
    for (const [index, file] of [...files, ...files].entries())
      expect(Buffer.from(transcodeJpeg(file)!).equals(alone[index % files.length]!)).toBe(true);
  });

  it('reads a greyscale JPEG', async () => {
    const input = grey(noisyJpeg(67, 35, 85));
    expect((await decodeImage(input)).at(3, 3)[0]).toBe((await decodeImage(input)).at(3, 3)[2]);
    await expectSamePixels(input, transcodeJpeg(input)!);
  });

  it('leaves to the pixel path what it does not rebuild', () => {
    const input = noisyJpeg(64, 32, 90);
    const sof = input.indexOf(Buffer.of(0xff, 0xc0));
    const sos = input.indexOf(Buffer.of(0xff, 0xda));
    const progressive = Buffer.from(input);
    progressive[sof + 1] = 0xc2;
    const twelveBit = Buffer.from(input);
    twelveBit[sof + 4] = 12;
    const zeroQuant = Buffer.from(input);
    zeroQuant[input.indexOf(Buffer.of(0xff, 0xdb)) + 5 + 10] = 0;
    const cut = Buffer.concat([input.subarray(0, sos + 40), Buffer.of(0xff, 0xd9)]);
    const garbled = Buffer.from(input);
    garbled.fill(0xfe, sos + 20, sos + 60);
    // A restart marker in a scan that declares no restart interval: one interval too many.
    const sosLength = input.readUInt16BE(sos + 2);
    const restart = sos + 2 + sosLength + 40;
    const extraRestart = Buffer.concat([
      input.subarray(0, restart),
      Buffer.of(0xff, 0xd0),
      input.subarray(restart),
    ]);
    const files = { progressive, twelveBit, zeroQuant, cut, garbled, extraRestart };
    for (const [name, file] of Object.entries(files)) {
      expect(transcodeJpeg(file), name).toBeUndefined();
    }
  });

  it.each([2, 3, 4, 5, 6, 7, 8])(
    'turns the coefficients as EXIF orientation %i says, as turning the pixels would',
    async (orientation) => {
      // 48×32 fills whole 16×16 MCUs: every turn is exact.
      const input = noisyJpeg(48, 32, 90);
      const turned = await decodeImage(transcodeJpeg(input, orientation)!);
      const stored = await loadImage(input);
      const upright = drawUpright(stored, 48, 32, orientation);
      const expected = upright.getContext('2d').getImageData(0, 0, upright.width, upright.height).data;
      expect([turned.width, turned.height]).toEqual([upright.width, upright.height]);
      // Not to the bit: the decoder's rounding and chroma upsampling run in another direction.
      let worst = 0;
      for (let i = 0; i < expected.length; i++)
        worst = Math.max(worst, Math.abs(expected[i]! - turned.data[i]!));
      expect(worst).toBeLessThanOrEqual(4);
    },
  );

  it('leaves a turn to the pixels when a mirror would not be exact', () => {
    const input = noisyJpeg(67, 35, 90);
    for (const orientation of [2, 3, 4, 6, 7, 8])
      expect(transcodeJpeg(input, orientation), `${orientation}`).toBeUndefined();
    // A transpose alone moves the padding from the right to the bottom: exact.
    expect(transcodeJpeg(input, 5)).toBeDefined();
  });

  it('is what sanitizeJpeg does, turned by EXIF or not; an inexact turn is redrawn', async () => {
    const plain = await sanitizeJpeg(noisyJpeg(64, 32, 90), DEFAULT_LIMITS);
    expect(plain.actions.join(' ')).toContain('lossless');
    const turned = await sanitizeJpeg(exifGpsZipJpeg(6), DEFAULT_LIMITS);
    expect(turned.actions.join(' ')).toContain('orientation 6 to the coefficients');
    const inexact = await sanitizeJpeg(withExif(noisyJpeg(67, 35, 90), 6), DEFAULT_LIMITS);
    expect(inexact.actions.join(' ')).toContain('orientation 6 to the pixels');
  });
});
