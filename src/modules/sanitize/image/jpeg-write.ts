/**
 * Writes quantized DCT coefficients as a new baseline JPEG (ITU T.81 Annex B, F.1.2): JFIF
 * header, the quantization tables, a frame, Huffman tables (made for these coefficients, K.2,
 * or the file's own where they code them as read), and one interleaved scan. Every byte of
 * structure is ours and every bit is coded afresh; only the numbers cross over.
 */
import type { BaselineJpeg } from './jpeg-baseline.ts';
import type { ComponentBlocks } from './jpeg-coefficients.ts';
import { mcuGrid } from './jpeg-coefficients.ts';
import { type EncodingTable, encodingTable, encodingTableOf } from './jpeg-huffman.ts';

/**
 * Bits needed for |value| (T.81 F.1.2.1.1's SSSS): 0 for 0, up to 11 for baseline DC. Written
 * without a branch, as is `valueBits`: a photo's signs are random, and a mispredicted branch
 * per coefficient was nearly half of the writer's time (67 → 37 ms for a 1 MB photo).
 */
function category(value: number): number {
  const sign = value >> 31;
  return 32 - Math.clz32((value ^ sign) - sign);
}

/** The value's bits as written after its category: negative values as value − 1 (F.1.2.1.1). */
function valueBits(value: number, size: number): number {
  return (value + (value >> 31)) & ((1 << size) - 1);
}

/**
 * How the coefficients are laid out in the file: production writes one interleaved scan and no
 * restart markers; tests also write a scan per component and restart intervals, the other
 * shapes of a sequential JPEG the reader must take.
 */
export interface Layout {
  /** Components (by index) of each scan, in order. */
  readonly scans: readonly (readonly number[])[];
  /** MCUs between restart markers; 0 for none. */
  readonly restartInterval: number;
}

export const ONE_SCAN = (jpeg: BaselineJpeg): Layout => ({
  scans: [jpeg.components.map((_, index) => index)],
  restartInterval: 0,
});

/** A restart marker in a block order: the pair's component is this, its block the marker's number (0–7). */
const RESTART = -1;

/**
 * The blocks of one scan in the order they are coded (T.81 A.2), as pairs of component index
 * and block index, with restart markers between intervals.
 */
function blockOrder(
  jpeg: BaselineJpeg,
  blocks: readonly ComponentBlocks[],
  scan: readonly number[],
  restartInterval: number,
): Int32Array {
  const single = scan.length === 1 ? blocks[scan[0]!]! : undefined;
  const { mcusPerLine, mcusPerColumn } = mcuGrid(jpeg);
  // A scan of one component covers just its blocks, one per MCU (T.81 A.2.2).
  const perLine = single ? single.usedPerLine : mcusPerLine;
  const mcus = single ? single.usedPerLine * single.usedPerColumn : mcusPerLine * mcusPerColumn;
  const perMcu = single
    ? 1
    : scan.reduce((n, index) => n + jpeg.components[index]!.h * jpeg.components[index]!.v, 0);
  const restarts = restartInterval > 0 ? Math.ceil(mcus / restartInterval) - 1 : 0;
  const order = new Int32Array(2 * (mcus * perMcu + restarts));
  let n = 0;
  for (let mcu = 0; mcu < mcus; mcu++) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      order[n++] = RESTART;
      order[n++] = (mcu / restartInterval - 1) & 7;
    }
    const mcuRow = Math.floor(mcu / perLine);
    const mcuColumn = mcu - mcuRow * perLine;
    for (const index of scan) {
      const { h, v } = single ? { h: 1, v: 1 } : jpeg.components[index]!;
      const { blocksPerLine } = blocks[index]!;
      for (let y = 0; y < v; y++) {
        for (let x = 0; x < h; x++) {
          order[n++] = index;
          order[n++] = (mcuRow * v + y) * blocksPerLine + mcuColumn * h + x;
        }
      }
    }
  }
  return order;
}

/** Luminance (component 0) codes with tables 0, chrominance with tables 1. */
const tableOf = (component: number) => (component === 0 ? 0 : 1);

/** Adds to `dc` and `ac` (one array per table) how often each symbol occurs in `order`. */
function countSymbols(
  order: Int32Array,
  blocks: readonly ComponentBlocks[],
  dc: readonly Float64Array[],
  ac: readonly Float64Array[],
): void {
  const predictors = new Int32Array(blocks.length);
  for (let i = 0; i < order.length; i += 2) {
    const component = order[i]!;
    if (component === RESTART) {
      predictors.fill(0);
      continue;
    }
    const block = order[i + 1]!;
    const { dc: dcValues, first, last, position, value: values } = blocks[component]!;
    const table = tableOf(component);
    dc[table]![category(dcValues[block]! - predictors[component]!)]! += 1;
    predictors[component] = dcValues[block]!;
    const frequencies = ac[table]!;
    let k = 0;
    for (let j = first[block]!; j < last[block]!; j++) {
      let run = position[j]! - k - 1;
      while (run > 15) {
        frequencies[0xf0]! += 1;
        run -= 16;
      }
      frequencies[(run << 4) | category(values[j]!)]! += 1;
      k = position[j]!;
    }
    if (k < 63) frequencies[0x00]! += 1;
  }
}

/** Most bytes one block can take: 64 codes of ≤ 16 bits and values of ≤ 11, every byte stuffed. */
const MAX_BLOCK_BYTES = 2 * Math.ceil((64 * 27) / 8) + 8;

/** A growing byte buffer for the file being written. */
class Output {
  bytes: Uint8Array;
  length = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }

  raw(values: ArrayLike<number>): void {
    this.room(values.length);
    this.bytes.set(values, this.length);
    this.length += values.length;
  }

  segment(marker: number, payload: ArrayLike<number>): void {
    this.raw([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
    this.raw(payload);
  }
}

/**
 * Entropy-coded bits, gathered in 32-bit words, then copied out with each 0xFF stuffed with
 * 0x00 (T.81 F.1.2.3). Bits go out a word at a time, not a byte at a time: whether a code
 * completes a byte is random, and that branch per coefficient cost more than the coding.
 */
class BitWriter {
  words: Uint8Array;
  view: DataView;
  at = 0;
  /** Bits of the word not yet full, right-aligned, and the room left in it. */
  acc = 0;
  free = 32;

  /** `size`: about the coded size (the input's), so that the words rarely need more room. */
  constructor(size: number) {
    this.words = new Uint8Array(size);
    this.view = new DataView(this.words.buffer);
  }

  room(n: number): void {
    if (this.at + n <= this.words.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.words.length, this.at + n));
    bigger.set(this.words.subarray(0, this.at));
    this.words = bigger;
    this.view = new DataView(bigger.buffer);
  }

  /** `n` (≤ 24) bits of `bits`: a word that fills goes out whole, the rest stays. */
  put(n: number, bits: number): void {
    if (n < this.free) {
      this.acc = (this.acc << n) | bits;
      this.free -= n;
    } else {
      this.view.setUint32(this.at, (this.acc << this.free) | (bits >>> (n - this.free)));
      this.at += 4;
      this.acc = bits;
      this.free += 32 - n;
    }
  }

  /**
   * Ends a run of coded bits (a restart interval, or the scan): what is left, padded with 1
   * bits to a whole byte, then all of it, stuffed, into `out`.
   */
  finish(out: Output): void {
    const free = this.free;
    let bits = 32 - free;
    const padded = bits === 0 ? 0 : ((this.acc << (free % 8)) | ((1 << (free % 8)) - 1)) >>> 0;
    bits += free % 8;
    for (; bits > 0; bits -= 8) this.words[this.at++] = (padded >>> (bits - 8)) & 0xff;
    out.room(this.at + (this.at >> 6) + 16);
    let from = 0;
    for (;;) {
      const ff = this.words.indexOf(0xff, from);
      if (ff < 0 || ff >= this.at) break;
      out.raw(this.words.subarray(from, ff + 1));
      out.raw([0]);
      from = ff + 1;
    }
    out.raw(this.words.subarray(from, this.at));
    this.at = 0;
    this.acc = 0;
    this.free = 32;
  }
}

/**
 * Codes the blocks of one scan (T.81 F.1.2): a code and its value bits go out together where
 * they fit in 24 bits; restarts and the end are padded with 1 bits.
 */
function encodeScan(
  out: Output,
  order: Int32Array,
  blocks: readonly ComponentBlocks[],
  dcTables: readonly EncodingTable[],
  acTables: readonly EncodingTable[],
): void {
  const predictors = new Int32Array(blocks.length);
  const writer = new BitWriter(out.bytes.length);
  for (let i = 0; i < order.length; i += 2) {
    writer.room(MAX_BLOCK_BYTES);
    const component = order[i]!;
    if (component === RESTART) {
      writer.finish(out);
      out.raw([0xff, 0xd0 + order[i + 1]!]);
      predictors.fill(0);
      continue;
    }
    const block = order[i + 1]!;
    const { dc: dcValues, first, last, position, value: values } = blocks[component]!;
    const dc = dcTables[tableOf(component)]!;
    const ac = acTables[tableOf(component)]!;
    const diff = dcValues[block]! - predictors[component]!;
    predictors[component] = dcValues[block]!;
    const dcSize = category(diff);
    // A DC code of ≤ 16 bits and its ≤ 11 value bits: one after the other.
    writer.put(dc.length[dcSize]!, dc.code[dcSize]!);
    writer.put(dcSize, valueBits(diff, dcSize));
    let k = 0;
    for (let j = first[block]!; j < last[block]!; j++) {
      let run = position[j]! - k - 1;
      k = position[j]!;
      for (; run > 15; run -= 16) writer.put(ac.length[0xf0]!, ac.code[0xf0]!);
      const value = values[j]!;
      const size = category(value);
      const symbol = (run << 4) | size;
      const codeLength = ac.length[symbol]!;
      if (codeLength + size <= 24) {
        writer.put(codeLength + size, (ac.code[symbol]! << size) | valueBits(value, size));
      } else {
        // Only a code of 15–16 bits with a value of 9–10: the code goes first, alone.
        writer.put(codeLength, ac.code[symbol]!);
        writer.put(size, valueBits(value, size));
      }
    }
    if (k < 63) writer.put(ac.length[0]!, ac.code[0]!); // EOB
  }
  writer.finish(out);
}

/** The Huffman tables a file is written with: [luminance, chrominance] (one of each for grey). */
export interface Tables {
  readonly dc: readonly EncodingTable[];
  readonly ac: readonly EncodingTable[];
}

/** Tables made for the symbols the blocks will be coded with (T.81 K.2): a first pass counts them. */
function tablesFor(
  jpeg: BaselineJpeg,
  orders: readonly Int32Array[],
  blocks: readonly ComponentBlocks[],
): Tables {
  const classes = jpeg.components.length === 1 ? 1 : 2;
  const dc = Array.from({ length: classes }, () => new Float64Array(256));
  const ac = Array.from({ length: classes }, () => new Float64Array(256));
  for (const order of orders) countSymbols(order, blocks, dc, ac);
  return { dc: dc.map(encodingTable), ac: ac.map(encodingTable) };
}

/**
 * The file's own tables, when writing its blocks as they are (no turn) in ONE_SCAN codes the
 * very symbols they were read with: one scan of every component in frame order, no restart
 * markers (they restart the DC differences), the chrominance components on one pair of
 * tables, and an EOB code (a block may have been ended by ZRLs alone). The counting pass is
 * then saved, a third of the writing; otherwise, or if a table may not be written again as it
 * is, undefined.
 */
export function tablesAsRead(jpeg: BaselineJpeg): Tables | undefined {
  const [scan, ...more] = jpeg.scans;
  if (!scan || more.length > 0 || scan.restartInterval !== 0) return undefined;
  const { components } = scan;
  if (components.length !== jpeg.components.length || components.some((c, i) => c.index !== i))
    return undefined;
  const chroma = components.slice(1);
  if (chroma.some((c) => c.dc !== chroma[0]!.dc || c.ac !== chroma[0]!.ac)) return undefined;
  const classes = components.slice(0, 2);
  const dc = classes.map((c) => encodingTableOf(c.dc, 'dc'));
  const ac = classes.map((c) => encodingTableOf(c.ac, 'ac'));
  if (dc.some((t) => !t) || ac.some((t) => !t?.length[0x00])) return undefined;
  return { dc: dc as EncodingTable[], ac: ac as EncodingTable[] };
}

function huffmanSegment(tables: readonly { kind: number; id: number; table: EncodingTable }[]): number[] {
  return tables.flatMap(({ kind, id, table }) => [
    (kind << 4) | id,
    ...table.spec.counts,
    ...table.spec.symbols,
  ]);
}

/** SOI and the headers before the first scan: JFIF, quantization, frame, Huffman, restarts. */
function writeHeaders(out: Output, jpeg: BaselineJpeg, tables: Tables, restartInterval: number): void {
  out.raw([0xff, 0xd8]);
  // JFIF 1.01, no units, square pixels, no thumbnail: YCbCr (or grey) as JFIF defines it.
  out.segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const quantIds = [...new Set(jpeg.components.map((c) => c.quantId))];
  out.segment(
    0xdb,
    quantIds.flatMap((id) => [id, ...jpeg.quantTables[id]!]),
  );
  const single = jpeg.components.length === 1;
  out.segment(0xc0, [
    8,
    jpeg.height >> 8,
    jpeg.height & 0xff,
    jpeg.width >> 8,
    jpeg.width & 0xff,
    jpeg.components.length,
    ...jpeg.components.flatMap((c) => [c.id, single ? 0x11 : (c.h << 4) | c.v, c.quantId]),
  ]);
  out.segment(
    0xc4,
    huffmanSegment([
      ...tables.dc.map((table, id) => ({ kind: 0, id, table })),
      ...tables.ac.map((table, id) => ({ kind: 1, id, table })),
    ]),
  );
  if (restartInterval > 0) out.segment(0xdd, [restartInterval >> 8, restartInterval & 0xff]);
}

/** The SOS header of a scan of these components (by index), each on its class's tables. */
function scanHeader(out: Output, jpeg: BaselineJpeg, scan: readonly number[]): void {
  out.segment(0xda, [
    scan.length,
    ...scan.flatMap((index) => [jpeg.components[index]!.id, tableOf(index) * 0x11]),
    0,
    63,
    0,
  ]);
}

/** The JPEG for `blocks`, laid out as `jpeg`'s frame (same components, sampling and tables). */
export function writeBaseline(
  jpeg: BaselineJpeg,
  blocks: readonly ComponentBlocks[],
  sizeHint: number,
  layout: Layout = ONE_SCAN(jpeg),
  tables: Tables | undefined = undefined,
): Uint8Array {
  const orders = layout.scans.map((scan) => blockOrder(jpeg, blocks, scan, layout.restartInterval));
  const chosen = tables ?? tablesFor(jpeg, orders, blocks);
  const out = new Output(sizeHint + 4096);
  writeHeaders(out, jpeg, chosen, layout.restartInterval);
  layout.scans.forEach((scan, n) => {
    scanHeader(out, jpeg, scan);
    encodeScan(out, orders[n]!, blocks, chosen.dc, chosen.ac);
  });
  out.raw([0xff, 0xd9]);
  return out.bytes.subarray(0, out.length);
}

/**
 * What `writeBaseline(jpeg, blocks, …, ONE_SCAN(jpeg), tablesAsRead(jpeg))` writes, for a
 * file whose scan `codedAsWeWrite`: the same headers, and the scan's bytes as stored, which
 * are the bytes coding its coefficients again would give; and where in the output they begin.
 */
export function writeAsCoded(jpeg: BaselineJpeg, tables: Tables): { output: Uint8Array; scanAt: number } {
  const [scan] = jpeg.scans;
  const layout = ONE_SCAN(jpeg);
  const out = new Output(scan!.data.length + 4096);
  writeHeaders(out, jpeg, tables, layout.restartInterval);
  scanHeader(out, jpeg, layout.scans[0]!);
  const scanAt = out.length;
  out.raw(scan!.data);
  out.raw([0xff, 0xd9]);
  return { output: out.bytes.subarray(0, out.length), scanAt };
}
