/**
 * Reads the structure of a sequential Huffman-coded JPEG (ITU T.81 Annex B): the frame, its
 * quantization tables, and each scan with the Huffman tables and restart interval in force
 * when it starts. Only what the coefficient transcoder rebuilds is read; anything else
 * (progressive, arithmetic coding, 12-bit samples, 4 components, an Adobe colour transform,
 * tables redefined after the first scan) answers undefined, and the file is rebuilt from
 * its pixels instead. Malformed tables also answer undefined: the pixel path's decoder then
 * decides, as it did before, whether the file is refused.
 */

/** A Huffman table as T.81 B.2.4.2 writes it: codes per length 1–16, symbols in code order. */
export interface HuffmanSpec {
  readonly counts: Uint8Array;
  readonly symbols: Uint8Array;
}

export interface FrameComponent {
  readonly id: number;
  readonly h: number;
  readonly v: number;
  readonly quantId: number;
}

export interface ScanComponent {
  /** Index into the frame's components. */
  readonly index: number;
  readonly dc: HuffmanSpec;
  readonly ac: HuffmanSpec;
}

export interface Scan {
  readonly components: readonly ScanComponent[];
  /** MCUs between restart markers; 0 for none. */
  readonly restartInterval: number;
  /** The entropy-coded bytes as stored: 0xFF00 stuffing and RSTn markers included. */
  readonly data: Uint8Array;
}

export interface BaselineJpeg {
  readonly width: number;
  readonly height: number;
  readonly components: readonly FrameComponent[];
  /** By table id (0–3): 64 values each, in zigzag order, all 1–255. */
  readonly quantTables: readonly (Uint8Array | undefined)[];
  readonly scans: readonly Scan[];
}

/** Blocks in one MCU of an interleaved scan may not exceed 10 (T.81 B.2.3). */
const MAX_BLOCKS_PER_MCU = 10;

function readHuffmanTables(payload: Uint8Array, dc: HuffmanSpec[], ac: HuffmanSpec[]): boolean {
  let at = 0;
  while (at < payload.length) {
    const tc = payload[at]! >> 4;
    const th = payload[at]! & 15;
    if (tc > 1 || th > 3 || at + 17 > payload.length) return false;
    const counts = payload.slice(at + 1, at + 17);
    let total = 0;
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code + counts[length - 1]!) * 2;
      total += counts[length - 1]!;
      // More codes of a length than the code space holds: not a prefix code (T.81 C.2).
      if (code > 2 ** (length + 1)) return false;
    }
    if (total === 0 || total > 256 || at + 17 + total > payload.length) return false;
    const spec = { counts, symbols: payload.slice(at + 17, at + 17 + total) };
    (tc === 0 ? dc : ac)[th] = spec;
    at += 17 + total;
  }
  return true;
}

function readQuantTables(payload: Uint8Array, tables: (Uint8Array | undefined)[]): boolean {
  let at = 0;
  while (at < payload.length) {
    const pq = payload[at]! >> 4;
    const tq = payload[at]! & 15;
    const size = pq === 0 ? 64 : 128;
    if (pq > 1 || tq > 3 || at + 1 + size > payload.length) return false;
    const values = new Uint8Array(64);
    for (let k = 0; k < 64; k++) {
      const value =
        pq === 0 ? payload[at + 1 + k]! : (payload[at + 1 + 2 * k]! << 8) | payload[at + 2 + 2 * k]!;
      // 0 would divide by zero in some decoders; over 255 needs a 16-bit table (not baseline).
      if (value === 0 || value > 255) return false;
      values[k] = value;
    }
    tables[tq] = values;
    at += 1 + size;
  }
  return true;
}

/** Where a scan's entropy-coded data ends: the first marker that is not stuffing or RSTn. */
function scanDataEnd(stream: Uint8Array, from: number): number {
  let p = from;
  for (;;) {
    const q = stream.indexOf(0xff, p);
    if (q < 0 || q + 1 >= stream.length) return -1;
    const next = stream[q + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) p = q + 1;
    else return q;
  }
}

/**
 * `stream` is usually the reduced stream `scanJpeg` makes (SOI, tables, frame, scans, EOI),
 * whose marker structure has been checked already.
 */
export function readBaseline(stream: Uint8Array): BaselineJpeg | undefined {
  const quantTables: (Uint8Array | undefined)[] = [];
  const dcTables: HuffmanSpec[] = [];
  const acTables: HuffmanSpec[] = [];
  const scans: Scan[] = [];
  let frame: { width: number; height: number; components: FrameComponent[] } | undefined;
  let restartInterval = 0;
  let pos = 2;
  for (;;) {
    if (pos + 2 > stream.length || stream[pos] !== 0xff) return undefined;
    while (stream[pos] === 0xff) pos++;
    const marker = stream[pos++]!;
    if (marker === 0xd9) break;
    const length = (stream[pos]! << 8) | stream[pos + 1]!;
    const payload = stream.subarray(pos + 2, pos + length);
    pos += length;
    if (marker === 0xc0 || marker === 0xc1) {
      // Baseline or extended sequential, Huffman-coded, 8-bit samples; 1 (grey) or 3 (YCbCr).
      const count = payload[5]!;
      if (payload[0] !== 8 || (count !== 1 && count !== 3) || payload.length < 6 + 3 * count)
        return undefined;
      const components: FrameComponent[] = [];
      for (let i = 0; i < count; i++) {
        const at = 6 + 3 * i;
        const [id, hv, quantId] = [payload[at]!, payload[at + 1]!, payload[at + 2]!];
        const h = hv >> 4;
        const v = hv & 15;
        if (h < 1 || h > 4 || v < 1 || v > 4 || quantId > 3) return undefined;
        if (components.some((c) => c.id === id)) return undefined;
        components.push({ id, h, v, quantId });
      }
      // Components named R, G, B are stored as RGB (libjpeg's reading); JFIF would say YCbCr.
      if (count === 3 && components.map((c) => String.fromCharCode(c.id)).join('') === 'RGB')
        return undefined;
      if (count === 3 && components.reduce((n, c) => n + c.h * c.v, 0) > MAX_BLOCKS_PER_MCU) return undefined;
      frame = {
        height: (payload[1]! << 8) | payload[2]!,
        width: (payload[3]! << 8) | payload[4]!,
        components,
      };
    } else if (marker === 0xc4) {
      if (!readHuffmanTables(payload, dcTables, acTables)) return undefined;
    } else if (marker === 0xdb) {
      if (scans.length > 0 || !readQuantTables(payload, quantTables)) return undefined;
    } else if (marker === 0xdd) {
      if (payload.length < 2) return undefined;
      restartInterval = (payload[0]! << 8) | payload[1]!;
    } else if (marker === 0xda) {
      if (!frame) return undefined;
      const count = payload[0]!;
      if (count < 1 || count > 4 || payload.length < 4 + 2 * count) return undefined;
      const components: ScanComponent[] = [];
      for (let i = 0; i < count; i++) {
        const index = frame.components.findIndex((c) => c.id === payload[1 + 2 * i]);
        const dc = dcTables[payload[2 + 2 * i]! >> 4];
        const ac = acTables[payload[2 + 2 * i]! & 15];
        if (index < 0 || !dc || !ac || components.some((c) => c.index === index)) return undefined;
        components.push({ index, dc, ac });
      }
      const [ss, se, a] = [payload[1 + 2 * count], payload[2 + 2 * count], payload[3 + 2 * count]];
      if (ss !== 0 || se !== 63 || a !== 0) return undefined;
      const end = scanDataEnd(stream, pos);
      if (end < 0) return undefined;
      scans.push({ components, restartInterval, data: stream.subarray(pos, end) });
      pos = end;
    } else if ((marker >= 0xe0 && marker <= 0xef && marker !== 0xee) || marker === 0xfe) {
      // Metadata and comments (not in a stream `scanJpeg` reduced): not part of the image.
    } else {
      return undefined; // SOF2+ (progressive, lossless, arithmetic), DAC, Adobe APP14
    }
  }
  if (!frame || frame.components.some((c) => quantTables[c.quantId] === undefined)) return undefined;
  // Each component in exactly one scan: a second would redefine its coefficients.
  const scanned = scans.flatMap((scan) => scan.components.map((c) => c.index)).sort();
  if (scanned.join() !== frame.components.map((_, i) => i).join()) return undefined;
  return { ...frame, quantTables, scans };
}
