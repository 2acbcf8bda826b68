/**
 * Walks a TIFF's IFD chain (TIFF 6.0 Part 1 §2) with our own strict reader, never the decoder's:
 * UTIF.decode follows every count and sub-IFD it finds (2^32 values, pointer cycles), so we read
 * only the tags a page needs, check each page's size against the limits, report the metadata
 * tags, and hand UTIF.decodeImage a clean tag object built from what we read.
 */
import { Refusal, type SanitizeLimits } from '../types.ts';
import { hasGpsIfd, orientationOf } from './exif.ts';
import type { Tally } from './tally.ts';
import { type Ifd, TiffStructure, TiffStructureError } from './tiff-structure.ts';

/** One page to decode: UTIF's tag object ("t" + tag number → values) and where it faces. */
export interface TiffPage {
  readonly width: number;
  readonly height: number;
  readonly orientation: number;
  readonly compression: number;
  readonly tags: Record<string, number[] | Uint8Array>;
  /** Each strip's bytes, for the deflate bomb check. */
  readonly strips: Uint8Array[];
  readonly rowsPerStrip: number;
  readonly rowBytes: number;
}

/** Compressions UTIF decodes that we accept: none, CCITT G3/G4 (faxes), LZW, JPEG, Deflate, PackBits. */
const COMPRESSIONS = new Set([1, 2, 3, 4, 5, 7, 8, 32946, 32773]);

/** Tags copied to the decoder, with the most values each may have (beyond the strip arrays). */
const DECODE_TAGS: Record<number, number> = {
  256: 1,
  257: 1,
  258: 8,
  259: 1,
  262: 1,
  266: 1,
  277: 1,
  278: 1,
  284: 1,
  292: 1,
  293: 1,
  317: 1,
  320: 3 * 65536,
  338: 8,
  339: 8,
  530: 2,
};

/** Metadata tags we report by kind (TIFF 6.0 §8 baseline text fields; EXIF 2.32 §4.6.3). */
const TEXT_TAGS = new Set([0x010d, 0x010e, 0x010f, 0x0110, 0x011d, 0x0131, 0x0132, 0x013b, 0x013c, 0x8298]);
const KIND_TAGS: Record<number, string> = { 34665: 'exif', 700: 'xmp', 33723: 'iptc', 34675: 'icc' };

const malformed = (message: string) => new Refusal('malformed', `TIFF: ${message}`);
const unsupported = (message: string) => new Refusal('type-not-allowed', `TIFF: ${message} is not supported`);

export function scanTiff(input: Uint8Array, limits: SanitizeLimits, removed: Tally): TiffPage[] {
  try {
    return walk(new TiffStructure(input), limits, removed);
  } catch (error) {
    if (error instanceof TiffStructureError) throw malformed(error.message);
    throw error;
  }
}

function walk(structure: TiffStructure, limits: SanitizeLimits, removed: Tally): TiffPage[] {
  const pages: TiffPage[] = [];
  const seen = new Set<number>();
  let pixels = 0;
  for (let offset = structure.firstIfd; offset !== 0; ) {
    if (seen.has(offset)) throw malformed('the IFD chain loops');
    seen.add(offset);
    // Thumbnails are in the chain too; twice the page limit bounds the walk whatever they are.
    if (seen.size > limits.maxPages * 2)
      throw new Refusal('too-many-pages', `TIFF has over ${limits.maxPages} pages`);
    const ifd = structure.readIfd(offset);
    offset = ifd.next;
    const width = structure.number(ifd, 256) ?? 0;
    const height = structure.number(ifd, 257) ?? 0;
    if (width === 0 || height === 0) throw malformed(`an image of ${width}×${height}`);
    if (width * height > limits.maxPixels) {
      throw new Refusal(
        'too-many-pixels',
        `TIFF page is ${width}×${height}; the limit is ${limits.maxPixels} pixels`,
      );
    }
    reportMetadata(structure, ifd, removed);
    // NewSubfileType bit 0: a reduced-resolution copy of another page (TIFF 6.0 §8).
    if (((structure.number(ifd, 254) ?? 0) & 1) === 1) {
      removed.add('metadata', 'reduced-resolution image');
      continue;
    }
    pixels += width * height;
    if (pixels > limits.maxPixels) {
      throw new Refusal('too-many-pixels', `TIFF pages together exceed ${limits.maxPixels} pixels`);
    }
    pages.push(readPage(structure, ifd, width, height));
    if (pages.length > limits.maxPages)
      throw new Refusal('too-many-pages', `TIFF has over ${limits.maxPages} pages`);
  }
  if (pages.length === 0) throw malformed('no full-resolution image');
  return pages;
}

function reportMetadata(structure: TiffStructure, ifd: Ifd, removed: Tally): void {
  for (const tag of ifd.entries.keys()) {
    const kind = KIND_TAGS[tag];
    if (kind !== undefined) removed.add(kind);
    else if (TEXT_TAGS.has(tag)) removed.add('text-chunk', 'TIFF text tags');
    else if (tag === 0x8825 && hasGpsIfd(structure, ifd)) removed.add('gps');
    else if (tag === 0x014a) removed.add('metadata', 'SubIFDs');
    else if (tag >= 0x8000 && tag !== 0x8825) removed.add('metadata', 'private tags');
  }
}

function readPage(structure: TiffStructure, ifd: Ifd, width: number, height: number): TiffPage {
  if (ifd.entries.has(322) || ifd.entries.has(324)) throw unsupported('a tiled image');
  const compression = structure.number(ifd, 259) ?? 1;
  if (!COMPRESSIONS.has(compression)) throw unsupported(`compression ${compression}`);
  const photometric = structure.number(ifd, 262);
  if (photometric === undefined || photometric > 3) {
    if (!(photometric === 6 && compression === 7))
      throw unsupported(`photometric interpretation ${photometric}`);
  }
  const samples = structure.number(ifd, 277) ?? 1;
  if (samples > 1 && (structure.number(ifd, 284) ?? 1) !== 1) throw unsupported('planar configuration 2');
  const bits = structure.number(ifd, 258) ?? 1;
  const rowsPerStrip = Math.min(structure.number(ifd, 278) ?? height, height);
  if (rowsPerStrip === 0) throw malformed('RowsPerStrip is 0');
  const stripCount = Math.ceil(height / rowsPerStrip);
  const offsets = entryNumbers(structure, ifd, 273, stripCount);
  const counts = entryNumbers(structure, ifd, 279, stripCount);
  if (offsets.length !== stripCount || counts.length !== stripCount) {
    throw malformed(`${offsets.length} strip offsets and ${counts.length} counts for ${stripCount} strips`);
  }
  const strips = offsets.map((offset, i) => {
    const end = offset + counts[i]!;
    if (end > structure.bytes.length) throw malformed('a strip lies past the end of the file (truncated)');
    return structure.bytes.subarray(offset, end);
  });
  const tags: Record<string, number[] | Uint8Array> = { t273: offsets, t279: counts };
  for (const [tag, max] of Object.entries(DECODE_TAGS)) {
    const entry = ifd.entries.get(Number(tag));
    if (entry !== undefined) tags[`t${tag}`] = structure.numbers(entry, max);
  }
  const tables = ifd.entries.get(347); // JPEGTables (TIFF Technical Note 2), raw bytes
  if (tables !== undefined) tags.t347 = structure.raw(tables);
  return {
    width,
    height,
    orientation: orientationOf(structure, ifd),
    compression,
    tags,
    strips,
    rowsPerStrip,
    rowBytes: Math.ceil((width * samples * bits) / 8),
  };
}

function entryNumbers(structure: TiffStructure, ifd: Ifd, tag: number, max: number): number[] {
  const entry = ifd.entries.get(tag);
  return entry === undefined ? [] : structure.numbers(entry, max);
}
