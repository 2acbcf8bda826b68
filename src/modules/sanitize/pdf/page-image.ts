/**
 * Turns a rendered page (RGBA pixels) into the smallest image XObject that still reads well:
 *
 * - "flat" pages (most pixels exactly one colour: text, forms, bilevel fax-like scans) are stored
 *   losslessly with Flate, as 4-bit grey when the page is grey (16 levels keep anti-aliased kanji
 *   and light table shading; 8 bits would double the size for nothing) or as an indexed palette
 *   built from 4-bit-per-channel colours when it has few colours (red seals, coloured headings);
 * - everything else (photographs, colour or noisy scans) is JPEG, which is what scans were already.
 *
 * The pixel pass is one loop over the buffer with a 4096-bin histogram: no per-pixel allocation.
 */
import { promisify } from 'node:util';
import { deflate as deflateCb } from 'node:zlib';

const deflate = promisify(deflateCb);

/** A page image ready to become an image XObject. */
export interface PageImage {
  readonly width: number;
  readonly height: number;
  readonly kind: 'jpeg' | 'grey' | 'palette';
  readonly filter: 'DCTDecode' | 'FlateDecode';
  readonly bitsPerComponent: 4 | 8;
  /** For 'palette': RGB triplets, 3 bytes an entry. */
  readonly palette?: Uint8Array;
  readonly data: Uint8Array;
}

/** What the pixel pass found. */
export interface PixelStats {
  readonly grey: boolean;
  /** Share of pixels exactly white or exactly the top-left pixel's colour: the "paper". */
  readonly paperShare: number;
  /** Distinct colours at 4 bits per channel. */
  readonly colours: number;
  readonly histogram: Uint32Array;
}

const GREY_TOLERANCE = 6;
export const JPEG_QUALITY = 80;

export function pixelStats(rgba: Uint8Array): PixelStats {
  const histogram = new Uint32Array(4096);
  const n = rgba.length >> 2;
  const paper = ((rgba[0] ?? 0) << 16) | ((rgba[1] ?? 0) << 8) | (rgba[2] ?? 0);
  let grey = true;
  let white = 0;
  let onPaper = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const r = rgba[i]!;
    const g = rgba[i + 1]!;
    const b = rgba[i + 2]!;
    if (grey && (Math.abs(r - g) > GREY_TOLERANCE || Math.abs(g - b) > GREY_TOLERANCE)) grey = false;
    const rgb = (r << 16) | (g << 8) | b;
    if (rgb === 0xffffff) white++;
    if (rgb === paper) onPaper++;
    histogram[((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4)]!++;
  }
  let colours = 0;
  for (const c of histogram) if (c) colours++;
  return { grey, paperShare: Math.max(white, onPaper) / n, colours, histogram };
}

/** Which encoding a page's pixels call for (exported for tests and benchmarks). */
export function chooseKind(stats: PixelStats): PageImage['kind'] {
  if (stats.paperShare < 0.5) return 'jpeg';
  if (stats.grey) return 'grey';
  return stats.colours <= 256 ? 'palette' : 'jpeg';
}

/**
 * Encodes the pixels. `jpeg` is called only for photographic pages; it is the canvas's own encoder,
 * which runs off the main thread, as does Flate here.
 */
export async function encodePage(
  rgba: Uint8Array,
  width: number,
  height: number,
  jpeg: () => Promise<Uint8Array>,
): Promise<PageImage> {
  const stats = pixelStats(rgba);
  const kind = chooseKind(stats);
  if (kind === 'jpeg') {
    return { width, height, kind, filter: 'DCTDecode', bitsPerComponent: 8, data: await jpeg() };
  }
  if (kind === 'grey') {
    const data = await deflate(packGrey4(rgba, width, height));
    return { width, height, kind, filter: 'FlateDecode', bitsPerComponent: 4, data };
  }
  const { palette, indices, bits } = toPalette(rgba, width, height, stats.histogram);
  const data = await deflate(indices);
  return { width, height, kind, filter: 'FlateDecode', bitsPerComponent: bits, palette, data };
}

/** Green channel (the page is grey) rounded to 16 levels, two pixels a byte, rows byte-aligned. */
function packGrey4(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const rowBytes = (width + 1) >> 1;
  const out = new Uint8Array(rowBytes * height);
  let p = 1; // green of the first pixel
  for (let y = 0; y < height; y++) {
    let o = y * rowBytes;
    for (let x = 0; x < width; x += 2) {
      const hi = (rgba[p]! * 15 + 127) / 255;
      const lo = x + 1 < width ? (rgba[p + 4]! * 15 + 127) / 255 : 0;
      out[o++] = ((hi & 15) << 4) | (lo & 15);
      p += 8;
    }
    if (width & 1) p -= 4; // the odd row end consumed one pixel, not two
  }
  return out;
}

/** Maps each pixel to its 4-bit-per-channel colour's palette index (4 bits if ≤ 16 colours). */
function toPalette(
  rgba: Uint8Array,
  width: number,
  height: number,
  histogram: Uint32Array,
): { palette: Uint8Array; indices: Uint8Array; bits: 4 | 8 } {
  const indexOf = new Uint8Array(4096);
  const entries: number[] = [];
  histogram.forEach((count, bin) => {
    if (count === 0) return;
    indexOf[bin] = entries.length;
    entries.push(bin);
  });
  const palette = new Uint8Array(entries.length * 3);
  entries.forEach((bin, i) => {
    palette[i * 3] = (bin >> 8) * 17;
    palette[i * 3 + 1] = ((bin >> 4) & 15) * 17;
    palette[i * 3 + 2] = (bin & 15) * 17;
  });
  const bits = entries.length <= 16 ? 4 : 8;
  const rowBytes = bits === 4 ? (width + 1) >> 1 : width;
  const indices = new Uint8Array(rowBytes * height);
  let p = 0;
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    for (let x = 0; x < width; x++, p += 4) {
      const idx = indexOf[((rgba[p]! >> 4) << 8) | ((rgba[p + 1]! >> 4) << 4) | (rgba[p + 2]! >> 4)]!;
      if (bits === 8) indices[row + x] = idx;
      else indices[row + (x >> 1)]! |= x & 1 ? idx : idx << 4;
    }
  }
  return { palette, indices, bits };
}
