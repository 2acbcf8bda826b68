/**
 * Huffman-decodes a sequential JPEG's scans into its quantized DCT coefficients (ITU T.81
 * F.2.2), without the inverse DCT: the coefficients are what the transcoder writes again.
 * Anything out of the standard (a code no table has, a category past 8-bit's range, data that
 * runs out, a restart marker out of place) throws; the caller then rebuilds from pixels.
 */
import type { BaselineJpeg, Scan } from './jpeg-baseline.ts';
import { type DecodingTable, decodingTable, LOOKAHEAD } from './jpeg-huffman.ts';

/**
 * One component's blocks on the grid of whole MCUs. Each block's DC value, and its non-zero AC
 * coefficients as (zigzag position, value) in order: a photo's blocks are mostly zeros, and
 * the encoder then goes from one non-zero coefficient to the next instead of testing all 63.
 */
export interface ComponentBlocks {
  readonly blocksPerLine: number;
  readonly blocksPerColumn: number;
  /** The blocks that hold the image (the rest pad the last MCUs): what a scan of it alone covers. */
  readonly usedPerLine: number;
  readonly usedPerColumn: number;
  readonly dc: Int16Array;
  /** Block b's AC coefficients are entries first[b] to last[b] - 1 of `position` and `value`. */
  readonly first: Int32Array;
  readonly last: Int32Array;
  position: Uint8Array;
  value: Int16Array;
}

/** Room for `more` entries after `used` in a component's coefficient lists. */
function reserve(blocks: ComponentBlocks, used: number, more: number): void {
  if (used + more <= blocks.position.length) return;
  const size = Math.max(2 * blocks.position.length, used + more);
  const position = new Uint8Array(size);
  position.set(blocks.position.subarray(0, used));
  const value = new Int16Array(size);
  value.set(blocks.value.subarray(0, used));
  blocks.position = position;
  blocks.value = value;
}

/** 8-bit samples give DC values in −1024…1016 (T.81 F.1.1.3); kept within 11 bits, any two
 * differ by at most 2047, so the encoder's DC categories stay within baseline's 11. */
const DC_MIN = -1024;
const DC_MAX = 1023;

/** The scan is not what the standard says: the file is rebuilt from its pixels instead. */
export class NotTranscodable extends Error {}

export function mcuGrid(jpeg: BaselineJpeg) {
  const hMax = Math.max(...jpeg.components.map((c) => c.h));
  const vMax = Math.max(...jpeg.components.map((c) => c.v));
  return {
    hMax,
    vMax,
    mcusPerLine: Math.ceil(jpeg.width / (8 * hMax)),
    mcusPerColumn: Math.ceil(jpeg.height / (8 * vMax)),
  };
}

/**
 * A first guess of how many non-zero AC coefficients a file holds: photos take about 4 bits
 * a coefficient; the lists grow if the guess falls short.
 */
const COEFFICIENTS_PER_BYTE = 3;

/**
 * `keep`: room for every coefficient (a guess, grown as needed); otherwise room for one MCU's,
 * written over at each, for a pass that only checks the scan.
 */
function allocateBlocks(jpeg: BaselineJpeg, keep: boolean): ComponentBlocks[] {
  const { hMax, vMax, mcusPerLine, mcusPerColumn } = mcuGrid(jpeg);
  const dataBytes = jpeg.scans.reduce((n, scan) => n + scan.data.length, 0);
  const blocksPerMcu = jpeg.components.reduce((n, c) => n + c.h * c.v, 0);
  return jpeg.components.map((c) => {
    const blocksPerLine = mcusPerLine * c.h;
    const blocksPerColumn = mcusPerColumn * c.v;
    const share = (c.h * c.v) / blocksPerMcu;
    const capacity = keep
      ? Math.min(
          blocksPerLine * blocksPerColumn * 63,
          Math.ceil(dataBytes * COEFFICIENTS_PER_BYTE * share) + 64,
        )
      : 63 * c.h * c.v;
    return {
      blocksPerLine,
      blocksPerColumn,
      usedPerLine: Math.ceil(Math.ceil((jpeg.width * c.h) / hMax) / 8),
      usedPerColumn: Math.ceil(Math.ceil((jpeg.height * c.v) / vMax) / 8),
      dc: new Int16Array(blocksPerLine * blocksPerColumn),
      first: new Int32Array(blocksPerLine * blocksPerColumn),
      last: new Int32Array(blocksPerLine * blocksPerColumn),
      position: new Uint8Array(capacity),
      value: new Int16Array(capacity),
    };
  });
}

/** Decodes every scan; throws (any error) when a scan is not what it should be. */
export function decodeCoefficients(jpeg: BaselineJpeg): ComponentBlocks[] {
  const blocks = allocateBlocks(jpeg, true);
  for (const scan of jpeg.scans) decodeScan(jpeg, scan, blocks, true);
  return blocks;
}

/**
 * Whether the file's one scan is coded as our writer would code its coefficients with the
 * same tables (see `tablesAsRead`): no ZRL but before a non-zero coefficient, padding of 1
 * bits only. Every other choice of a coder is fixed by the coefficients and the tables
 * (a symbol's code, a value's bits, the stuffing), so the stored bytes are then the very
 * bytes a rebuild would write, and may be kept instead. Throws as `decodeCoefficients` does.
 */
export function codedAsWeWrite(jpeg: BaselineJpeg): boolean {
  const blocks = allocateBlocks(jpeg, false);
  return jpeg.scans.every((scan) => decodeScan(jpeg, scan, blocks, false));
}

/** Scans up to this size are unstuffed into one array kept from scan to scan; larger ones get their own. */
const KEPT_UNSTUFFED_BYTES = 16 * 1024 * 1024;
let unstuffedRoom = new Uint8Array(0);

/**
 * Room for `size` bytes of unstuffed data. A worker checks one photo after another, and a fresh
 * megabyte for each counted towards V8's external memory: a full collection every ~16 photos.
 * Decoding is synchronous, and nothing keeps the bytes once a scan is decoded.
 */
function unstuffedArray(size: number): Uint8Array {
  if (size > KEPT_UNSTUFFED_BYTES) return new Uint8Array(size);
  if (unstuffedRoom.length < size) unstuffedRoom = new Uint8Array(Math.min(KEPT_UNSTUFFED_BYTES, size * 2));
  return unstuffedRoom;
}

/**
 * A scan's entropy-coded bytes without their stuffing, one array per restart interval
 * (T.81 B.1.1.5, F.1.2.3): the decoder's inner loop then reads plain bytes. Each interval is
 * followed by 4 zero bytes, so reading ahead never leaves the array; `lengths` says where
 * each interval's data truly ends. Restart markers must come in order, RST0 to RST7 and round,
 * and no more than `expected` intervals come. The arrays are views of one (`unstuffedArray`),
 * valid until the next scan is unstuffed.
 */
function unstuff(data: Uint8Array, expected: number): { intervals: Uint8Array[]; lengths: number[] } {
  // Unstuffing only shortens, and each of the `expected` intervals adds its 4 bytes of zeros.
  const all = unstuffedArray(data.length + 4 * expected);
  const intervals: Uint8Array[] = [];
  const lengths: number[] = [];
  let start = 0;
  let at = 0;
  const close = () => {
    all.fill(0, at, at + 4);
    intervals.push(all.subarray(start, at + 4));
    lengths.push(at - start);
    at += 4;
    start = at;
  };
  let from = 0;
  for (;;) {
    const ff = data.indexOf(0xff, from);
    if (ff < 0) break;
    const next = data[ff + 1];
    all.set(data.subarray(from, ff + 1), at);
    at += ff + 1 - from;
    from = ff + 2;
    if (next === 0x00) continue;
    at -= 1;
    if (next !== 0xd0 + (intervals.length & 7)) throw new NotTranscodable('restart marker out of order');
    if (intervals.length + 1 >= expected) throw new NotTranscodable('restart markers miscounted');
    close();
  }
  all.set(data.subarray(from), at);
  at += data.length - from;
  close();
  return { intervals, lengths };
}

/**
 * The value `size` bits stand for (T.81 F.2.2.1, EXTEND): a leading 0 bit means negative. No
 * branch: a photo's signs are random, and a mispredicted branch per coefficient made the
 * decoding of a 1 MB photo a third slower (38 against 28 ms).
 */
function extend(bits: number, size: number): number {
  return bits - (((bits >> (size - 1)) - 1) & ((1 << size) - 1));
}

/** AC codes and their value that fit in this many bits are decoded by one lookup. */
const AC_LOOKAHEAD = 10;

/**
 * For the next AC_LOOKAHEAD bits: (value << 16) | (run << 8) | bits used, when a whole
 * coefficient (its run/size code and its value bits) is within them; otherwise 0.
 */
function acLookup(table: DecodingTable): Int32Array {
  const lookup = new Int32Array(1 << AC_LOOKAHEAD);
  for (let bits = 0; bits < 1 << AC_LOOKAHEAD; bits++) {
    const entry = table.fast[bits >> (AC_LOOKAHEAD - LOOKAHEAD)]!;
    const length = entry >> 8;
    const size = entry & 15;
    if (entry === 0 || size === 0 || length + size > AC_LOOKAHEAD) continue;
    const value = extend((bits >> (AC_LOOKAHEAD - length - size)) & ((1 << size) - 1), size);
    lookup[bits] = (value << 16) | ((entry & 0xf0) << 4) | (length + size);
  }
  return lookup;
}

/** The symbol at the head of `acc` (with `count` bits) as (length << 8) | symbol; 0 if none. */
function slowSymbol(table: DecodingTable, acc: number, count: number): number {
  for (let length = LOOKAHEAD + 1; length <= 16; length++) {
    const code = (acc >>> (count - length)) & ((1 << length) - 1);
    if (code <= table.maxCode[length]!) return (length << 8) | table.symbols[table.offset[length]! + code]!;
  }
  return 0;
}

interface Unit {
  readonly out: ComponentBlocks;
  readonly h: number;
  readonly v: number;
  readonly dc: DecodingTable;
  readonly ac: DecodingTable;
  readonly acFast: Int32Array;
  /** Entries of its component's coefficient lists used so far. */
  used: number;
}

/**
 * Decodes one scan into `blocks` (only checks it, unless `keep`); answers whether it is coded
 * as our writer codes (see `codedAsWeWrite`).
 */
function decodeScan(jpeg: BaselineJpeg, scan: Scan, blocks: ComponentBlocks[], keep: boolean): boolean {
  const units: Unit[] = scan.components.map((sc) => {
    const component = jpeg.components[sc.index]!;
    const ac = decodingTable(sc.ac);
    return {
      out: blocks[sc.index]!,
      h: scan.components.length === 1 ? 1 : component.h,
      v: scan.components.length === 1 ? 1 : component.v,
      dc: decodingTable(sc.dc),
      ac,
      acFast: acLookup(ac),
      used: 0,
    };
  });
  const predictors = new Int32Array(units.length);
  const single = units.length === 1 ? units[0]! : undefined;
  const { mcusPerLine, mcusPerColumn } = mcuGrid(jpeg);
  const perLine = single ? single.out.usedPerLine : mcusPerLine;
  const total = single ? single.out.usedPerLine * single.out.usedPerColumn : mcusPerLine * mcusPerColumn;
  const perInterval = scan.restartInterval > 0 ? scan.restartInterval : total;
  const expected = Math.ceil(total / perInterval);
  const { intervals, lengths } = unstuff(scan.data, expected);
  if (intervals.length !== expected) throw new NotTranscodable('restart markers miscounted');
  // A ZRL stands for 16 zeros before a non-zero coefficient; one with none after it in its
  // block (where the block's coefficients were at the last ZRL) ends the block the long way.
  let zrlAt = -1;
  let asWritten = true;

  for (let interval = 0; interval < intervals.length; interval++) {
    const data = intervals[interval]!;
    const length = lengths[interval]!;
    // Bits not yet used, right-aligned in `acc` (the bits above them are stale).
    let pos = 0;
    let acc = 0;
    let count = 0;
    predictors.fill(0);
    const last = Math.min(total, (interval + 1) * perInterval);
    for (let mcu = interval * perInterval; mcu < last; mcu++) {
      const mcuRow = Math.floor(mcu / perLine);
      const mcuColumn = mcu - mcuRow * perLine;
      for (let u = 0; u < units.length; u++) {
        const unit = units[u]!;
        const { out, dc, ac, acFast } = unit;
        let n = unit.used;
        if (n + 63 * unit.h * unit.v > out.position.length) reserve(out, n, 63 * unit.h * unit.v);
        const { position, value: values } = out;
        for (let y = 0; y < unit.v; y++) {
          for (let x = 0; x < unit.h; x++) {
            const block = (mcuRow * unit.v + y) * out.blocksPerLine + mcuColumn * unit.h + x;
            // DC: the category's code, then its bits (T.81 F.2.2.1).
            if (count < 16) {
              acc = (acc << 16) | (data[pos]! << 8) | data[pos + 1]!;
              pos += 2;
              count += 16;
            }
            let entry = dc.fast[(acc >>> (count - LOOKAHEAD)) & ((1 << LOOKAHEAD) - 1)]!;
            if (entry === 0) entry = slowSymbol(dc, acc, count);
            if (entry === 0 || (entry & 0xff) > 11) throw new NotTranscodable('DC code');
            count -= entry >> 8;
            const category = entry & 0xff;
            let value = 0;
            if (category > 0) {
              if (count < 16) {
                acc = (acc << 16) | (data[pos]! << 8) | data[pos + 1]!;
                pos += 2;
                count += 16;
              }
              count -= category;
              value = extend((acc >>> count) & ((1 << category) - 1), category);
            }
            const dcValue = predictors[u]! + value;
            if (dcValue < DC_MIN || dcValue > DC_MAX) throw new NotTranscodable('DC value out of range');
            predictors[u] = dcValue;
            out.dc[block] = dcValue;
            out.first[block] = n;
            // AC: most coefficients by one lookup; EOB, ZRL and long codes by their symbol (F.2.2.2).
            for (let k = 1; k < 64; ) {
              if (count < 16) {
                acc = (acc << 16) | (data[pos]! << 8) | data[pos + 1]!;
                pos += 2;
                count += 16;
              }
              const fast = acFast[(acc >>> (count - AC_LOOKAHEAD)) & ((1 << AC_LOOKAHEAD) - 1)]!;
              if (fast !== 0) {
                count -= fast & 0xff;
                k += (fast >> 8) & 15;
                if (k > 63) throw new NotTranscodable('AC coefficient out of place');
                position[n] = k;
                values[n++] = fast >> 16;
                k++;
                continue;
              }
              entry = ac.fast[(acc >>> (count - LOOKAHEAD)) & ((1 << LOOKAHEAD) - 1)]!;
              if (entry === 0) entry = slowSymbol(ac, acc, count);
              if (entry === 0) throw new NotTranscodable('AC code');
              count -= entry >> 8;
              const size = entry & 15;
              if (size === 0) {
                if ((entry & 0xff) !== 0xf0) break; // EOB
                k += 16; // ZRL
                zrlAt = n;
                continue;
              }
              k += (entry >> 4) & 15;
              if (k > 63 || size > 10) throw new NotTranscodable('AC coefficient out of place or range');
              if (count < 16) {
                acc = (acc << 16) | (data[pos]! << 8) | data[pos + 1]!;
                pos += 2;
                count += 16;
              }
              count -= size;
              position[n] = k;
              values[n++] = extend((acc >>> count) & ((1 << size) - 1), size);
              k++;
            }
            out.last[block] = n;
            if (zrlAt === n) asWritten = false;
            zrlAt = -1;
            // Read past the interval's data: it was cut short.
            if (pos * 8 - count > length * 8) throw new NotTranscodable('the scan data ends inside a block');
          }
        }
        unit.used = keep ? n : 0;
      }
    }
    // What is left of the interval is the last byte's padding: T.81 F.1.2.3 pads with 1 bits.
    const padding = length * 8 - (pos * 8 - count);
    if (padding > 7) throw new NotTranscodable('data after the last block');
    const ones = (1 << padding) - 1;
    if (padding > 0 && (data[length - 1]! & ones) !== ones) asWritten = false;
  }
  return asWritten;
}
