import { describe, expect, it } from 'vitest';
import { refusalOf as refusal } from '../test-support.ts';
import { DEFAULT_LIMITS } from '../types.ts';
import { sanitizeImage } from './index.ts';
import { exifGpsZipJpeg, pngWithMetadata, quarterPattern, rgbTiff } from './test-corpus.ts';

describe('sanitizeImage', () => {
  it('dispatches by type to JPEG, PNG and TIFF', async () => {
    expect((await sanitizeImage(exifGpsZipJpeg(), 'jpeg', DEFAULT_LIMITS)).mediaType).toBe('image/jpeg');
    expect((await sanitizeImage(pngWithMetadata(), 'png', DEFAULT_LIMITS)).mediaType).toBe('image/png');
    const tiff = rgbTiff([{ width: 8, height: 8, pixel: quarterPattern(8, 8) }]);
    expect((await sanitizeImage(tiff, 'tiff', DEFAULT_LIMITS)).mediaType).toBe('image/png');
  });

  it('refuses HEIF: no decoder is installed', async () => {
    // An ftyp box for HEIC (ISO/IEC 23008-12 §10): enough to be recognised, never decoded.
    const heic = Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1');
    const refused = await refusal(sanitizeImage(heic, 'heif', DEFAULT_LIMITS));
    expect(refused.reason).toBe('type-not-allowed');
    expect(refused.message).toContain('no HEIF decoder');
  });

  it('refuses input over maxBytes', async () => {
    const refused = await refusal(
      sanitizeImage(exifGpsZipJpeg(), 'jpeg', { ...DEFAULT_LIMITS, maxBytes: 100 }),
    );
    expect(refused.reason).toBe('too-large');
  });

  it('refuses a file that is not the type it was detected as', async () => {
    expect((await refusal(sanitizeImage(pngWithMetadata(), 'jpeg', DEFAULT_LIMITS))).reason).toBe(
      'malformed',
    );
    expect((await refusal(sanitizeImage(exifGpsZipJpeg(), 'png', DEFAULT_LIMITS))).reason).toBe('malformed');
    expect((await refusal(sanitizeImage(exifGpsZipJpeg(), 'tiff', DEFAULT_LIMITS))).reason).toBe('malformed');
  });
});
