/**
 * The image sanitizer (無害化 for JPEG, PNG, TIFF; HEIF refused until a decoder is available).
 * Each format is walked by our own parser first (sizes checked before any decoding, metadata
 * noted), then decoded and re-encoded so that only pixels cross into the output.
 *
 * JPEG → JPEG, PNG → PNG, TIFF → PNG (all pages stacked). EXIF orientation is applied to the
 * pixels; EXIF, GPS, XMP, IPTC, ICC, text chunks, comments and trailing data are removed.
 */
import { type Rebuilt, Refusal, type SanitizeLimits } from '../types.ts';
import { sanitizeJpeg } from './jpeg.ts';
import { sanitizePng } from './png.ts';
import { sanitizeTiff } from './tiff.ts';

export { sanitizeJpeg } from './jpeg.ts';
export { sanitizePng } from './png.ts';
export { sanitizeTiff } from './tiff.ts';

export type ImageType = 'jpeg' | 'png' | 'tiff' | 'heif';

/**
 * HEIF/HEIC needs an HEVC decoder; Skia as built in @napi-rs/canvas has none, and the free ones
 * (libde265, libheif) are LGPL, which the project does not take. So HEIF is refused for now.
 */
export async function sanitizeHeif(_input: Uint8Array, _limits: SanitizeLimits): Promise<Rebuilt> {
  throw new Refusal(
    'type-not-allowed',
    'HEIF/HEIC images cannot be sanitized: no HEIF decoder is installed. Please send the photo as JPEG.',
  );
}

export async function sanitizeImage(
  input: Uint8Array,
  type: ImageType,
  limits: SanitizeLimits,
): Promise<Rebuilt> {
  if (input.length > limits.maxBytes) {
    throw new Refusal('too-large', `the image is ${input.length} bytes; the limit is ${limits.maxBytes}`);
  }
  switch (type) {
    case 'jpeg':
      return sanitizeJpeg(input, limits);
    case 'png':
      return sanitizePng(input, limits);
    case 'tiff':
      return sanitizeTiff(input, limits);
    case 'heif':
      return sanitizeHeif(input, limits);
  }
}
