import { describe, expect, it } from 'vitest';
import { removedKinds as kinds, refusalReason as refusal } from '../test-support.ts';
import { DEFAULT_LIMITS } from '../types.ts';
import { contains } from './bytes.ts';
import { sanitizePng } from './index.ts';
import { expectedRawBytes } from './png-scan.ts';
import {
  pngBombHugeHeader,
  pngBombIdat,
  pngManyIdats,
  pngWithMetadata,
  quarterPattern,
  rgbPng,
} from './test-corpus.ts';
import { decodeImage, pngChunks } from './test-inspect.ts';

describe('sanitizePng', () => {
  it('drops text, XMP, ICC, eXIf (with GPS), private chunks and trailing data, without inflating them', async () => {
    const started = performance.now();
    const rebuilt = await sanitizePng(pngWithMetadata(), DEFAULT_LIMITS);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(kinds(rebuilt)).toEqual({
      'text-chunk': 2,
      xmp: 1,
      icc: 1,
      exif: 1,
      gps: 1,
      metadata: 1,
      'trailing-data': 1,
    });
    const { types, trailing } = pngChunks(rebuilt.output);
    expect(types[0]).toBe('IHDR');
    expect(types.at(-1)).toBe('IEND');
    for (const type of types) expect(['IHDR', 'sBIT', 'sRGB', 'IDAT', 'IEND']).toContain(type);
    expect(trailing).toBe(0);
    expect(contains(rebuilt.output, 'secret')).toBe(false);
  });

  it('keeps the pixels exactly', async () => {
    const image = await decodeImage((await sanitizePng(pngWithMetadata(), DEFAULT_LIMITS)).output);
    expect([image.width, image.height]).toEqual([40, 20]);
    const expected = quarterPattern(40, 20);
    for (const [x, y] of [
      [0, 0],
      [19, 9],
      [20, 9],
      [19, 10],
      [39, 19],
    ] as const) {
      expect(image.at(x, y)).toEqual([...expected(x, y), 255]);
    }
  });

  it('applies an eXIf orientation (6) to the pixels', async () => {
    const image = await decodeImage((await sanitizePng(pngWithMetadata(6), DEFAULT_LIMITS)).output);
    expect([image.width, image.height]).toEqual([20, 40]);
    expect(image.at(15, 5)).toEqual([255, 0, 0, 255]); // stored top-left quarter, now top right
    expect(image.at(5, 5)).toEqual([0, 0, 255, 255]);
  });

  it('refuses a 100000×100000 header before decoding, cheaply', async () => {
    const started = performance.now();
    expect(await refusal(sanitizePng(pngBombHugeHeader(), DEFAULT_LIMITS))).toBe('too-many-pixels');
    expect(performance.now() - started).toBeLessThan(2_000); // generous: the CI box is shared
  });

  it('refuses a small header over a 200 MB IDAT stream after inflating only what the header allows', async () => {
    const bomb = pngBombIdat();
    expect(bomb.length).toBeLessThan(400_000);
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    expect(await refusal(sanitizePng(bomb, DEFAULT_LIMITS))).toBe('compression-ratio');
    expect(performance.now() - started).toBeLessThan(2_000); // generous: the CI box is shared
    expect(process.memoryUsage().rss - rss).toBeLessThan(50 * 1024 * 1024);
  });

  it('refuses the same bomb split across thousands of IDAT chunks', async () => {
    const bomb = pngManyIdats();
    expect(pngChunks(bomb).types.filter((t) => t === 'IDAT').length).toBeGreaterThan(50);
    expect(await refusal(sanitizePng(bomb, DEFAULT_LIMITS))).toBe('compression-ratio');
  });

  it('refuses too many pixels by the limits given', async () => {
    const file = rgbPng(40, 20, quarterPattern(40, 20));
    expect(await refusal(sanitizePng(file, { ...DEFAULT_LIMITS, maxPixels: 799 }))).toBe('too-many-pixels');
  });

  it('refuses a bad CRC, truncation and short image data as malformed', async () => {
    const file = rgbPng(40, 20, quarterPattern(40, 20));
    const badCrc = Buffer.from(file);
    badCrc[20] = badCrc[20]! ^ 1; // inside IHDR's data
    expect(await refusal(sanitizePng(badCrc, DEFAULT_LIMITS))).toBe('malformed');
    for (const cut of [4, 30, file.length - 20, file.length - 1]) {
      expect(await refusal(sanitizePng(file.subarray(0, cut), DEFAULT_LIMITS)), `cut at ${cut}`).toBe(
        'malformed',
      );
    }
    // A valid chunk structure whose stream holds 10 rows instead of 20.
    const short = rgbPng(40, 10, quarterPattern(40, 10));
    short.writeUInt32BE(20, 20);
    const { crc32 } = await import('node:zlib');
    short.writeUInt32BE(crc32(short.subarray(12, 29)), 29);
    expect(await refusal(sanitizePng(short, DEFAULT_LIMITS))).toBe('malformed');
  });

  it('computes the exact raw size, Adam7 passes included (PNG spec §8.2)', () => {
    const base = { bitDepth: 8, colourType: 0, interlaced: false };
    expect(expectedRawBytes({ ...base, width: 8, height: 8 })).toBe(72);
    expect(expectedRawBytes({ ...base, width: 8, height: 8, interlaced: true })).toBe(79);
    expect(expectedRawBytes({ ...base, width: 1, height: 1, colourType: 2, interlaced: true })).toBe(4);
    expect(expectedRawBytes({ width: 9, height: 1, bitDepth: 1, colourType: 3, interlaced: false })).toBe(3);
  });
});
