/**
 * Walks a PNG's chunks (PNG spec, 3rd ed., §5.3 chunk layout, §5.6 ordering) before decoding:
 * checks every CRC, reads IHDR (§11.2.1), notes the metadata chunks to be dropped, and rebuilds a
 * minimal PNG of IHDR, PLTE, tRNS, IDAT and IEND for the decoder. Compressed metadata (zTXt,
 * iTXt, iCCP) is never inflated: it is only dropped, so it cannot be a decompression bomb.
 */
import { crc32 } from 'node:zlib';
import { Refusal, type SanitizeLimits } from '../types.ts';
import { startsWith } from './bytes.ts';
import { readExifLenient } from './exif.ts';
import type { Tally } from './tally.ts';

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export interface PngFacts {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colourType: number;
  readonly interlaced: boolean;
  /** From an eXIf chunk; 1 when none. */
  readonly orientation: number;
  /** The IDAT payloads, in order: one zlib stream (§10.2). */
  readonly idat: Uint8Array[];
  /** Signature + IHDR + PLTE + tRNS + IDAT… + IEND, copied from the input with their CRCs. */
  readonly decodable: Uint8Array;
}

/** Channels per colour type (§11.2.1 Table 11.1) and the bit depths each allows. */
const CHANNELS: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

/** Ancillary chunks that describe how to show the pixels, not who made them: dropped quietly. */
const PRESENTATION = new Set([
  'gAMA',
  'cHRM',
  'sRGB',
  'cICP',
  'mDCV',
  'cLLI',
  'sBIT',
  'bKGD',
  'hIST',
  'pHYs',
  'sPLT',
  'oFFs',
  'pCAL',
  'sCAL',
  'sTER',
]);

const malformed = (message: string) => new Refusal('malformed', `PNG: ${message}`);

export function scanPng(
  input: Uint8Array,
  limits: SanitizeLimits,
  removed: Tally,
  warnings: string[],
): PngFacts {
  for (let i = 0; i < 8; i++) if (input[i] !== PNG_SIGNATURE[i]) throw malformed('no PNG signature');
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const keep: Uint8Array[] = [PNG_SIGNATURE];
  const idat: Uint8Array[] = [];
  let header: Omit<PngFacts, 'idat' | 'decodable' | 'orientation'> | undefined;
  let orientation: number | undefined;
  let idatState: 'before' | 'in' | 'after' = 'before';
  let animated = false;
  let pos = 8;
  for (;;) {
    if (pos + 12 > input.length) throw malformed('the file ends before IEND (truncated)');
    const length = view.getUint32(pos);
    if (length > 0x7fffffff) throw malformed('chunk length over 2^31−1 (§5.3)');
    const end = pos + 12 + length;
    if (end > input.length) throw malformed('a chunk runs past the end (truncated)');
    const type = String.fromCharCode(...input.subarray(pos + 4, pos + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw malformed('a chunk type is not four letters');
    if (crc32(input.subarray(pos + 4, pos + 8 + length)) !== view.getUint32(pos + 8 + length)) {
      throw malformed(`bad CRC in a ${type} chunk`);
    }
    const data = input.subarray(pos + 8, pos + 8 + length);
    const chunk = input.subarray(pos, end);
    pos = end;
    if (header === undefined && type !== 'IHDR') throw malformed('the first chunk is not IHDR');
    if (idatState === 'in' && type !== 'IDAT') idatState = 'after';
    switch (type) {
      case 'IHDR':
        if (header !== undefined) throw malformed('a second IHDR');
        header = readHeader(data, limits);
        keep.push(chunk);
        break;
      case 'PLTE':
      case 'tRNS':
        keep.push(chunk);
        break;
      case 'IDAT':
        if (idatState === 'after') throw malformed('IDAT chunks are not consecutive (§5.6)');
        idatState = 'in';
        idat.push(data);
        keep.push(chunk);
        break;
      case 'IEND':
        break;
      case 'tEXt':
      case 'zTXt':
        removed.add('text-chunk', type);
        break;
      case 'iTXt':
        // XMP is stored as iTXt with the keyword "XML:com.adobe.xmp" (XMP Part 3 §1.1.5).
        if (startsWith(data, 'XML:com.adobe.xmp\0')) removed.add('xmp');
        else removed.add('text-chunk', type);
        break;
      case 'iCCP':
        removed.add('icc');
        break;
      case 'eXIf': {
        removed.add('exif');
        const facts = readExifLenient(data, warnings);
        if (facts.hasGps) removed.add('gps');
        orientation ??= facts.orientation;
        break;
      }
      case 'acTL':
      case 'fcTL':
      case 'fdAT':
        animated = true; // APNG (§11.3.6): frames other than the default image are not kept
        break;
      default:
        // Bit 5 of the first byte clear = critical (§5.4): a decoder must not guess at one it lacks.
        if ((type.charCodeAt(0) & 0x20) === 0) throw malformed(`unknown critical chunk ${type}`);
        if (type === 'tIME') break;
        if (!PRESENTATION.has(type)) removed.add('metadata', type);
    }
    if (type === 'IEND') break;
  }
  if (header === undefined || idat.length === 0) throw malformed('no image data (IDAT)');
  if (animated) warnings.push('animated PNG: only the default image is kept');
  if (pos < input.length) removed.add('trailing-data', `${input.length - pos} bytes after IEND`);
  keep.push(input.subarray(pos - 12, pos)); // IEND
  return { ...header, orientation: orientation ?? 1, idat, decodable: Buffer.concat(keep) };
}

function readHeader(data: Uint8Array, limits: SanitizeLimits) {
  if (data.length !== 13) throw malformed('IHDR is not 13 bytes');
  const view = new DataView(data.buffer, data.byteOffset, 13);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const bitDepth = data[8]!;
  const colourType = data[9]!;
  const [compression, filter, interlace] = [data[10], data[11], data[12]];
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    throw malformed(`image size ${width}×${height}`);
  }
  if (width * height > limits.maxPixels) {
    throw new Refusal(
      'too-many-pixels',
      `PNG is ${width}×${height} = ${width * height} pixels; the limit is ${limits.maxPixels}`,
    );
  }
  const kind = CHANNELS[colourType];
  if (kind === undefined || !kind.depths.includes(bitDepth)) {
    throw malformed(`colour type ${colourType} with bit depth ${bitDepth}`);
  }
  if (compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) {
    throw malformed('unknown compression, filter or interlace method');
  }
  return { width, height, bitDepth, colourType, interlaced: interlace === 1 };
}

/**
 * The exact size of the filtered, uncompressed image data (§7.2 scanlines with a filter-type
 * byte each; §8.2 Adam7 passes when interlaced). IDAT must inflate to exactly this.
 */
export function expectedRawBytes(
  facts: Pick<PngFacts, 'width' | 'height' | 'bitDepth' | 'colourType' | 'interlaced'>,
) {
  const bits = CHANNELS[facts.colourType]!.channels * facts.bitDepth;
  const rows = (w: number, h: number) => (w === 0 || h === 0 ? 0 : h * (1 + Math.ceil((w * bits) / 8)));
  if (!facts.interlaced) return rows(facts.width, facts.height);
  // Adam7 passes: x start, y start, x step, y step (§8.2).
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ] as const;
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    total += rows(
      Math.ceil(Math.max(0, facts.width - x0) / dx),
      Math.ceil(Math.max(0, facts.height - y0) / dy),
    );
  }
  return total;
}
