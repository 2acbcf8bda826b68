import { describe, expect, it } from 'vitest';
import { removedKinds as kinds, refusalReason as refusal } from '../test-support.ts';
import { DEFAULT_LIMITS } from '../types.ts';
import { contains } from './bytes.ts';
import { sanitizeTiff } from './index.ts';
import { quarterPattern, rgbTiff } from './test-corpus.ts';
import { deflateBombStrip } from './test-corpus-tiff.ts';
import { decodeImage, pngChunks } from './test-inspect.ts';

const green = () => [0, 255, 0] as const;

describe('sanitizeTiff', () => {
  it('re-encodes a page as PNG, dropping text tags, XMP, EXIF and GPS, keeping the pixels', async () => {
    const file = rgbTiff([{ width: 40, height: 20, pixel: quarterPattern(40, 20) }]);
    expect(contains(file, 'artist-secret')).toBe(true);
    const rebuilt = await sanitizeTiff(file, DEFAULT_LIMITS);
    expect(rebuilt.mediaType).toBe('image/png');
    expect(kinds(rebuilt)).toMatchObject({ 'text-chunk': 2, xmp: 1, exif: 1, gps: 1 });
    expect(contains(rebuilt.output, 'secret')).toBe(false);
    for (const type of pngChunks(rebuilt.output).types)
      expect(['IHDR', 'sBIT', 'sRGB', 'IDAT', 'IEND']).toContain(type);
    const image = await decodeImage(rebuilt.output);
    expect([image.width, image.height]).toEqual([40, 20]);
    expect(image.at(3, 3)).toEqual([255, 0, 0, 255]);
    expect(image.at(30, 15)).toEqual([0, 0, 255, 255]);
  });

  it('stacks every page top to bottom and reports the page count', async () => {
    const file = rgbTiff([
      { width: 40, height: 20, pixel: quarterPattern(40, 20) },
      { width: 30, height: 10, pixel: green },
    ]);
    const rebuilt = await sanitizeTiff(file, DEFAULT_LIMITS);
    expect(rebuilt.pages).toBe(2);
    const image = await decodeImage(rebuilt.output);
    expect([image.width, image.height]).toEqual([40, 30]);
    expect(image.at(3, 3)).toEqual([255, 0, 0, 255]);
    expect(image.at(5, 25)).toEqual([0, 255, 0, 255]);
    expect(image.at(35, 25)[3]).toBe(0); // beyond the narrower page: transparent
  });

  it('applies each page’s Orientation tag', async () => {
    const file = rgbTiff([{ width: 40, height: 20, pixel: quarterPattern(40, 20), orientation: 6 }]);
    const image = await decodeImage((await sanitizeTiff(file, DEFAULT_LIMITS)).output);
    expect([image.width, image.height]).toEqual([20, 40]);
    expect(image.at(15, 5)).toEqual([255, 0, 0, 255]);
    expect(image.at(5, 5)).toEqual([0, 0, 255, 255]);
  });

  it('refuses more pages than the limit, and pages whose sum passes maxPixels', async () => {
    const page = { width: 4, height: 4, pixel: green };
    expect(await refusal(sanitizeTiff(rgbTiff([page, page, page]), { ...DEFAULT_LIMITS, maxPages: 2 }))).toBe(
      'too-many-pages',
    );
    expect(await refusal(sanitizeTiff(rgbTiff([page, page]), { ...DEFAULT_LIMITS, maxPixels: 20 }))).toBe(
      'too-many-pixels',
    );
  });

  it('refuses a huge ImageWidth × ImageLength from the IFD, before decoding', async () => {
    const file = rgbTiff([{ width: 4, height: 4, pixel: green }], false);
    const ifd = file.readUInt32LE(4);
    // Entries are sorted: 256 ImageWidth then 257 ImageLength, values inline at +8.
    expect(file.readUInt16LE(ifd + 2)).toBe(256);
    file.writeUInt32LE(100_000, ifd + 2 + 8);
    file.writeUInt32LE(100_000, ifd + 2 + 12 + 8);
    expect(await refusal(sanitizeTiff(file, DEFAULT_LIMITS))).toBe('too-many-pixels');
  });

  it('refuses a Deflate strip that inflates past its rows (strip bomb)', async () => {
    const file = rgbTiff([
      { width: 100, height: 100, pixel: green, deflatedStrip: deflateBombStrip(100 << 20) },
    ]);
    expect(await refusal(sanitizeTiff(file, DEFAULT_LIMITS))).toBe('compression-ratio');
  });

  it('decodes a Deflate strip of the right size', async () => {
    const { deflateSync } = await import('node:zlib');
    const raw = Buffer.alloc(10 * 10 * 3, 0x80);
    const file = rgbTiff([{ width: 10, height: 10, pixel: green, deflatedStrip: deflateSync(raw) }]);
    const image = await decodeImage((await sanitizeTiff(file, DEFAULT_LIMITS)).output);
    expect(image.at(5, 5)).toEqual([128, 128, 128, 255]);
  });

  it('refuses an IFD chain that loops, truncation and garbage as malformed', async () => {
    const file = rgbTiff([{ width: 4, height: 4, pixel: green }], false);
    const ifd = file.readUInt32LE(4);
    const loop = Buffer.from(file);
    loop.writeUInt32LE(ifd, ifd + 2 + loop.readUInt16LE(ifd) * 12);
    expect(await refusal(sanitizeTiff(loop, DEFAULT_LIMITS))).toBe('malformed');
    for (const cut of [6, 20, file.length - 10]) {
      expect(await refusal(sanitizeTiff(file.subarray(0, cut), DEFAULT_LIMITS)), `cut at ${cut}`).toBe(
        'malformed',
      );
    }
    expect(await refusal(sanitizeTiff(Buffer.from('II*\0garbage!'), DEFAULT_LIMITS))).toBe('malformed');
  });
});
