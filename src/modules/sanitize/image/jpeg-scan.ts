/**
 * Walks a JPEG's markers (ITU T.81 Annex B.1–B.2) before any decoder sees it: finds the frame's
 * size (SOFn, B.2.2), counts the scans (SOS, B.2.3), notes the metadata to be dropped, and
 * copies out only the segments a decoder needs. The decoder is then given that reduced stream,
 * so EXIF, ICC, comments and trailing data never reach it (and it cannot auto-rotate from EXIF).
 */
import { Refusal, type SanitizeLimits } from '../types.ts';
import { startsWith } from './bytes.ts';
import { readExifLenient } from './exif.ts';
import type { Tally } from './tally.ts';

/**
 * Each progressive scan makes the decoder pass over the whole coefficient buffer, so a file with
 * thousands of tiny scans is a CPU bomb (libjpeg-turbo's "-maxscans"). Baseline has ≤ 4 scans;
 * libjpeg's standard progressive script has 10 and tuned encoders (mozjpeg) stay well under 100.
 */
export const MAX_SCANS = 100;

export interface JpegFacts {
  readonly width: number;
  readonly height: number;
  readonly progressive: boolean;
  readonly scans: number;
  /** From the first EXIF APP1; 1 when none. */
  readonly orientation: number;
  /** SOI + tables + frame + scans + EOI: what the decoder gets. */
  readonly decodable: Uint8Array;
  /** The parts of the input `decodable` joins, in order (views of the input). */
  readonly kept: readonly Uint8Array[];
}

const malformed = (message: string) => new Refusal('malformed', `JPEG: ${message}`);

/** SOF0–3, 5–7, 9–11, 13–15 (T.81 Table B.1); C4 DHT, C8 JPG and CC DAC are not frames. */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

export function scanJpeg(
  input: Uint8Array,
  limits: SanitizeLimits,
  removed: Tally,
  warnings: string[],
): JpegFacts {
  if (input.length < 4 || input[0] !== 0xff || input[1] !== 0xd8) throw malformed('no SOI marker');
  const keep: Uint8Array[] = [input.subarray(0, 2)];
  let frame: { width: number; height: number; progressive: boolean } | undefined;
  let orientation: number | undefined;
  let scans = 0;
  let pos = 2;
  for (;;) {
    if (pos >= input.length) throw malformed('the file ends before the EOI marker (truncated)');
    if (input[pos] !== 0xff) throw malformed(`expected a marker at byte ${pos}`);
    const markerStart = pos;
    while (input[pos] === 0xff) pos++; // fill bytes (T.81 B.1.1.2)
    const marker = input[pos++];
    if (marker === undefined) throw malformed('the file ends inside a marker (truncated)');
    if (marker === 0xd9) break; // EOI
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // RSTn, TEM: no length
    if (marker === 0xd8) throw malformed('a second SOI marker');
    if (pos + 2 > input.length) throw malformed('the file ends inside a segment (truncated)');
    const length = (input[pos]! << 8) | input[pos + 1]!;
    const end = pos + length;
    if (length < 2 || end > input.length) throw malformed('a segment runs past the end (truncated)');
    const payload = input.subarray(pos + 2, end);
    const segment = input.subarray(markerStart, end);
    pos = end;
    if (isSof(marker)) {
      if (frame !== undefined) throw malformed('more than one frame (SOF) marker');
      if (payload.length < 6) throw malformed('SOF segment too short');
      const height = (payload[1]! << 8) | payload[2]!;
      const width = (payload[3]! << 8) | payload[4]!;
      // Height 0 means "defined later by DNL" (T.81 B.2.5): we need the size before decoding.
      if (width === 0 || height === 0) throw malformed(`frame size ${width}×${height}`);
      if (width * height > limits.maxPixels) {
        throw new Refusal(
          'too-many-pixels',
          `JPEG is ${width}×${height} = ${width * height} pixels; the limit is ${limits.maxPixels}`,
        );
      }
      frame = { width, height, progressive: marker === 0xc2 || marker === 0xc6 || marker === 0xca };
      keep.push(segment);
    } else if (marker === 0xda) {
      if (frame === undefined) throw malformed('a scan (SOS) before the frame (SOF)');
      if (++scans > MAX_SCANS) {
        throw new Refusal('too-many-pixels', `JPEG has more than ${MAX_SCANS} scans (decoding cost bomb)`);
      }
      // Entropy-coded data runs to the next marker other than a stuffed 0xFF00 or RSTn (B.1.1.5).
      let p = end;
      for (;;) {
        const q = input.indexOf(0xff, p);
        if (q < 0 || q + 1 >= input.length) throw malformed('the scan data is truncated');
        const next = input[q + 1]!;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) p = q + 1;
        else {
          p = q;
          break;
        }
      }
      keep.push(input.subarray(markerStart, p));
      pos = p;
    } else if (marker === 0xc4 || marker === 0xdb || marker === 0xdd || marker === 0xcc) {
      keep.push(segment); // DHT, DQT, DRI, DAC: tables the decoder needs
    } else if (marker === 0xee && startsWith(payload, 'Adobe')) {
      // APP14 "Adobe" says whether 3/4-component data is YCbCr/YCCK or RGB/CMYK: colour, not metadata.
      keep.push(segment);
    } else if (marker === 0xe1 && startsWith(payload, 'Exif\0')) {
      removed.add('exif');
      const facts = readExifLenient(payload.subarray(6), warnings);
      if (facts.hasGps) removed.add('gps');
      orientation ??= facts.orientation;
    } else if (marker === 0xe1 && startsWith(payload, 'http://ns.adobe.com/')) {
      removed.add('xmp'); // XMP and Extended XMP (XMP Part 3 §1.1.3)
    } else if (marker === 0xe2 && startsWith(payload, 'ICC_PROFILE\0')) {
      removed.add('icc');
    } else if (marker === 0xed) {
      removed.add('iptc', 'APP13'); // Photoshop IRB / IPTC-IIM
    } else if (marker === 0xfe) {
      removed.add('text-chunk', 'JPEG comment');
    } else if (marker === 0xe0) {
      // APP0 JFIF/JFXX: the encoder writes its own; its optional thumbnail goes with it.
    } else if (marker >= 0xe0 && marker <= 0xef) {
      removed.add('metadata', `APP${marker - 0xe0}`);
    } else if (marker === 0xdc || marker === 0xde || marker === 0xdf) {
      throw malformed('DNL or hierarchical (DHP/EXP) markers are not supported');
    } else {
      warnings.push(`dropped unknown JPEG marker 0x${marker.toString(16)}`);
    }
  }
  if (frame === undefined || scans === 0) throw malformed('no frame or no scan');
  if (pos < input.length) removed.add('trailing-data', `${input.length - pos} bytes after EOI`);
  keep.push(input.subarray(pos - 2, pos)); // EOI
  return { ...frame, scans, orientation: orientation ?? 1, decodable: Buffer.concat(keep), kept: keep };
}
