import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { removedKinds as kinds, refusalReason as refusal } from '../test-support.ts';
import { DEFAULT_LIMITS } from '../types.ts';
import { contains } from './bytes.ts';
import { sanitizeJpeg } from './index.ts';
import { MAX_SCANS } from './jpeg-scan.ts';
import { displayedPoint } from './orientation.ts';
import { exifGpsZipJpeg, jpegSegment, minimalZip, patternJpeg, withSegments } from './test-corpus.ts';
import { decodeImage, jpegMarkers, near } from './test-inspect.ts';

describe('sanitizeJpeg', () => {
  it('builds a real polyglot: the appended ZIP unzips and the JPEG carries EXIF', () => {
    const file = exifGpsZipJpeg();
    expect(unzipSync(minimalZip())['secret.txt']).toBeDefined();
    expect(contains(file, 'PK\x03\x04')).toBe(true);
    expect(contains(file, 'Exif\0\0')).toBe(true);
  });

  it('strips EXIF, GPS, XMP, ICC, IPTC, the comment and the appended ZIP', async () => {
    const rebuilt = await sanitizeJpeg(exifGpsZipJpeg(), DEFAULT_LIMITS);
    expect(rebuilt.mediaType).toBe('image/jpeg');
    expect(kinds(rebuilt)).toMatchObject({
      exif: 1,
      gps: 1,
      xmp: 1,
      icc: 1,
      iptc: 1,
      'text-chunk': 1,
      'trailing-data': 1,
    });
    const out = rebuilt.output;
    for (const leftover of [
      'PK\x03\x04',
      'Exif',
      'http://ns.adobe.com',
      'ICC_PROFILE',
      'Photoshop',
      'secret',
    ]) {
      expect(contains(out, leftover), leftover).toBe(false);
    }
    const { markers, trailing } = jpegMarkers(out);
    expect(markers.filter((m) => m >= 0xe1 && m <= 0xef)).toEqual([]); // only APP0 JFIF may remain
    expect(markers).not.toContain(0xfe);
    expect(trailing).toBe(0);
  });

  it('applies orientation 6: 64×32 stored becomes 32×64 with the red corner at the top right', async () => {
    const rebuilt = await sanitizeJpeg(exifGpsZipJpeg(6), DEFAULT_LIMITS);
    const image = await decodeImage(rebuilt.output);
    expect([image.width, image.height]).toEqual([32, 64]);
    expect(near(image.at(24, 8), [255, 0, 0])).toBe(true);
    expect(near(image.at(8, 8), [0, 0, 255])).toBe(true);
    expect(near(image.at(24, 56), [0, 0, 255])).toBe(true);
    expect(rebuilt.actions.join(' ')).toContain('orientation 6');
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('applies orientation %i to the pixels', async (orientation) => {
    const image = await decodeImage((await sanitizeJpeg(exifGpsZipJpeg(orientation), DEFAULT_LIMITS)).output);
    expect([image.width, image.height]).toEqual(orientation >= 5 ? [32, 64] : [64, 32]);
    // Stored (8, 4) is in the red quarter and (48, 24) in the blue: follow them to the display.
    const red = displayedPoint(orientation, 64, 32, 8.5, 4.5);
    const blue = displayedPoint(orientation, 64, 32, 48.5, 24.5);
    expect(near(image.at(Math.floor(red.x), Math.floor(red.y)), [255, 0, 0])).toBe(true);
    expect(near(image.at(Math.floor(blue.x), Math.floor(blue.y)), [0, 0, 255])).toBe(true);
  });

  it('passes a plain JPEG with nothing reported removed and the pixels kept', async () => {
    const rebuilt = await sanitizeJpeg(patternJpeg(), DEFAULT_LIMITS);
    expect(rebuilt.removed).toEqual([]);
    const image = await decodeImage(rebuilt.output);
    expect([image.width, image.height]).toEqual([64, 32]);
    expect(near(image.at(8, 4), [255, 0, 0])).toBe(true);
    expect(near(image.at(48, 24), [0, 0, 255])).toBe(true);
  });

  it('refuses by the header before decoding when the frame has too many pixels', async () => {
    const file = exifGpsZipJpeg();
    expect(await refusal(sanitizeJpeg(file, { ...DEFAULT_LIMITS, maxPixels: 64 * 32 - 1 }))).toBe(
      'too-many-pixels',
    );
  });

  it('refuses a frame of height 0 (DNL) and a 65535×65535 frame', async () => {
    const file = patternJpeg();
    const sof = file.indexOf(Buffer.of(0xff, 0xc0));
    const zero = Buffer.from(file);
    zero.writeUInt16BE(0, sof + 5);
    expect(await refusal(sanitizeJpeg(zero, DEFAULT_LIMITS))).toBe('malformed');
    const huge = Buffer.from(file);
    huge.writeUInt16BE(65535, sof + 5);
    huge.writeUInt16BE(65535, sof + 7);
    expect(await refusal(sanitizeJpeg(huge, DEFAULT_LIMITS))).toBe('too-many-pixels');
  });

  it(`refuses more than ${MAX_SCANS} scans (a progressive decoding-cost bomb)`, async () => {
    const file = patternJpeg(16, 16);
    const sos = file.indexOf(Buffer.of(0xff, 0xda));
    const scan = file.subarray(sos, file.length - 2);
    const many = Buffer.concat([
      file.subarray(0, sos),
      ...Array(MAX_SCANS + 1).fill(scan),
      Buffer.of(0xff, 0xd9),
    ]);
    expect(await refusal(sanitizeJpeg(many, DEFAULT_LIMITS))).toBe('too-many-pixels');
  });

  it('refuses truncated and non-JPEG input as malformed', async () => {
    const file = exifGpsZipJpeg();
    const eoi = file.lastIndexOf(Buffer.of(0xff, 0xd9));
    for (const cut of [3, 20, 200, Math.floor(eoi / 2), eoi]) {
      expect(await refusal(sanitizeJpeg(file.subarray(0, cut), DEFAULT_LIMITS)), `cut at ${cut}`).toBe(
        'malformed',
      );
    }
    expect(await refusal(sanitizeJpeg(Buffer.from('not a jpeg'), DEFAULT_LIMITS))).toBe('malformed');
  });

  it('drops damaged EXIF with a warning instead of refusing the photo', async () => {
    const base = patternJpeg();
    const file = withSegments(base, jpegSegment(0xe1, 'Exif\0\0II*\0\xff\xff\xff\x7f'));
    const rebuilt = await sanitizeJpeg(file, DEFAULT_LIMITS);
    expect(kinds(rebuilt)).toMatchObject({ exif: 1 });
    expect(rebuilt.warnings.join(' ')).toContain('unreadable EXIF');
  });
});
