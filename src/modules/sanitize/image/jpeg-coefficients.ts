/**
 * Huffman-decodes a sequential JPEG's scans into its quantized DCT coefficients (ITU T.81
 * F.2.2), without the inverse DCT: the coefficients are what the transcoder writes again.
 * Anything out of the standard (a code no table has, a category past 8-bit's range, data that
 * runs out, a restart marker out of place) throws; the caller then rebuilds from pixels. The
 * bits are read by scan-decoder.as.ts (WebAssembly); this side lays out its memory: tables,
 * the unstuffed data, and room for the coefficients.
 */
import type { BaselineJpeg, Scan } from './jpeg-baseline.ts';
import {
  FAULTS,
  FIRST_FREE,
  HEADER,
  READ_AHEAD,
  releaseScanDecoder,
  scanDecoder,
  TABLES_AT,
  TABLES_SIZE,
  UNIT,
  UNIT_AT,
  UNIT_SIZE,
} from './scan-decoder.ts';
import { writeTables } from './scan-tables.ts';

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
  readonly position: Uint8Array;
  readonly value: Int16Array;
}

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

/** Decodes every scan; throws (any error) when a scan is not what it should be. */
export function decodeCoefficients(jpeg: BaselineJpeg): ComponentBlocks[] {
  return decodeScans(jpeg, true).blocks;
}

/**
 * Whether the file's scans are coded as our writer would code their coefficients with the
 * same tables (see `tablesAsRead`): no ZRL but before a non-zero coefficient, padding of 1
 * bits only. Every other choice of a coder is fixed by the coefficients and the tables
 * (a symbol's code, a value's bits, the stuffing), so the stored bytes are then the very
 * bytes a rebuild would write, and may be kept instead. Throws as `decodeCoefficients` does.
 */
export function codedAsWeWrite(jpeg: BaselineJpeg): boolean {
  return decodeScans(jpeg, false).asWritten;
}

/** Where one component's blocks go in the decoder's memory (byte offsets). */
interface Place {
  readonly dc: number;
  readonly first: number;
  readonly last: number;
  readonly positions: number;
  readonly values: number;
  readonly room: number;
}

/** A component's blocks on the grid of whole MCUs, and those its image covers. */
function gridOf(jpeg: BaselineJpeg, index: number) {
  const { hMax, vMax, mcusPerLine, mcusPerColumn } = mcuGrid(jpeg);
  const c = jpeg.components[index]!;
  return {
    blocksPerLine: mcusPerLine * c.h,
    blocksPerColumn: mcusPerColumn * c.v,
    usedPerLine: Math.ceil(Math.ceil((jpeg.width * c.h) / hMax) / 8),
    usedPerColumn: Math.ceil(Math.ceil((jpeg.height * c.v) / vMax) / 8),
  };
}

/** MCUs in a scan, and how many restart intervals they come in. */
function intervalsOf(jpeg: BaselineJpeg, scan: Scan) {
  const { mcusPerLine, mcusPerColumn } = mcuGrid(jpeg);
  const single = scan.components.length === 1 ? gridOf(jpeg, scan.components[0]!.index) : undefined;
  const perLine = single ? single.usedPerLine : mcusPerLine;
  const total = single ? single.usedPerLine * single.usedPerColumn : mcusPerLine * mcusPerColumn;
  const perInterval = scan.restartInterval > 0 ? scan.restartInterval : total;
  return { perLine, total, perInterval, expected: Math.ceil(total / perInterval) };
}

const align = (at: number) => (at + 7) & ~7;

/**
 * Decodes (or, without `keep`, checks) every scan in the decoder's memory. Each non-zero AC
 * coefficient takes at least 2 bits (a code and a value bit), so a component's room for them
 * is bounded by its scan's data, as by 63 a block: no file needs the room to grow.
 */
function decodeScans(jpeg: BaselineJpeg, keep: boolean): { asWritten: boolean; blocks: ComponentBlocks[] } {
  const places: Place[] = [];
  let at = FIRST_FREE;
  if (keep) {
    jpeg.components.forEach((component, index) => {
      const { blocksPerLine, blocksPerColumn } = gridOf(jpeg, index);
      const blocks = blocksPerLine * blocksPerColumn;
      const scan = jpeg.scans.find((s) => s.components.some((c) => c.index === index))!;
      // The decoder asks for room for a whole MCU's blocks before it decodes them.
      const room = Math.min(63 * blocks, 4 * scan.data.length) + 63 * component.h * component.v;
      const dc = at;
      const first = align(dc + 2 * blocks);
      const last = first + 4 * blocks;
      const values = last + 4 * blocks;
      const positions = align(values + 2 * room);
      places.push({ dc, first, last, positions, values, room });
      at = align(positions + room);
    });
  }
  const dataAt = at;
  const dataBytes = Math.max(
    ...jpeg.scans.map((scan) => scan.data.length + 4 * intervalsOf(jpeg, scan).expected),
  );
  const decoder = scanDecoder(dataAt + dataBytes + READ_AHEAD);
  try {
    const memory = new Uint8Array(decoder.memory.buffer);
    // The last file's values stay in memory: blocks no scan reaches must read as empty.
    for (const place of places) memory.fill(0, place.dc, place.values);
    let asWritten = true;
    const used: number[] = [];
    for (const scan of jpeg.scans) {
      const { perLine, total, perInterval, expected } = intervalsOf(jpeg, scan);
      setUpScan(memory, jpeg, scan, places, perLine, keep);
      const intervals = unstuff(memory, dataAt, scan.data, expected);
      if (intervals.length !== expected) throw new NotTranscodable('restart markers miscounted');
      intervals.forEach(({ start, length }, interval) => {
        const from = interval * perInterval;
        const answer = decoder.decodeInterval(start, length, from, Math.min(total, from + perInterval));
        if (answer < 0) throw new NotTranscodable(FAULTS[answer] ?? `fault ${answer}`);
        if (answer === 1) asWritten = false;
      });
      if (keep) {
        const words = new Int32Array(memory.buffer);
        scan.components.forEach((sc, u) => {
          used[sc.index] = words[(UNIT_AT + u * UNIT_SIZE) / 4 + UNIT.used]!;
        });
      }
    }
    return { asWritten, blocks: keep ? copyOut(jpeg, memory, places, used) : [] };
  } finally {
    releaseScanDecoder();
  }
}

/** The scan's header, its components' places and their tables, in the decoder's memory. */
function setUpScan(
  memory: Uint8Array,
  jpeg: BaselineJpeg,
  scan: Scan,
  places: readonly Place[],
  perLine: number,
  keep: boolean,
): void {
  const words = new Int32Array(memory.buffer);
  words[HEADER.units] = scan.components.length;
  words[HEADER.perLine] = perLine;
  words[HEADER.keep] = keep ? 1 : 0;
  scan.components.forEach((sc, u) => {
    const component = jpeg.components[sc.index]!;
    const single = scan.components.length === 1;
    const place = places[sc.index];
    const unit = (UNIT_AT + u * UNIT_SIZE) / 4;
    words[unit + UNIT.h] = single ? 1 : component.h;
    words[unit + UNIT.v] = single ? 1 : component.v;
    words[unit + UNIT.blocksPerLine] = gridOf(jpeg, sc.index).blocksPerLine;
    words[unit + UNIT.dcValues] = place?.dc ?? 0;
    words[unit + UNIT.first] = place?.first ?? 0;
    words[unit + UNIT.last] = place?.last ?? 0;
    words[unit + UNIT.positions] = place?.positions ?? 0;
    words[unit + UNIT.values] = place?.values ?? 0;
    words[unit + UNIT.used] = 0;
    words[unit + UNIT.room] = place?.room ?? 0;
    writeTables(memory, TABLES_AT + u * TABLES_SIZE, sc.dc, sc.ac, !keep);
  });
}

/**
 * A scan's entropy-coded bytes without their stuffing, written at `at`, one restart interval
 * after another (T.81 B.1.1.5, F.1.2.3), each followed by 4 zero bytes; answers where each
 * starts and how long it is. Restart markers must come in order, RST0 to RST7 and round, and
 * no more than `expected` intervals come.
 */
function unstuff(
  memory: Uint8Array,
  at: number,
  data: Uint8Array,
  expected: number,
): { start: number; length: number }[] {
  const intervals: { start: number; length: number }[] = [];
  let start = at;
  const close = () => {
    memory.fill(0, at, at + 4);
    intervals.push({ start, length: at - start });
    at += 4;
    start = at;
  };
  let from = 0;
  for (;;) {
    const ff = data.indexOf(0xff, from);
    if (ff < 0) break;
    const next = data[ff + 1];
    memory.set(data.subarray(from, ff + 1), at);
    at += ff + 1 - from;
    from = ff + 2;
    if (next === 0x00) continue;
    at -= 1;
    if (next !== 0xd0 + (intervals.length & 7)) throw new NotTranscodable('restart marker out of order');
    if (intervals.length + 1 >= expected) throw new NotTranscodable('restart markers miscounted');
    close();
  }
  memory.set(data.subarray(from), at);
  at += data.length - from;
  close();
  return intervals;
}

/** The decoded blocks, copied out of the decoder's memory (which the next file writes over). */
function copyOut(
  jpeg: BaselineJpeg,
  memory: Uint8Array,
  places: readonly Place[],
  used: readonly number[],
): ComponentBlocks[] {
  const { buffer } = memory;
  return places.map((place, index) => {
    const grid = gridOf(jpeg, index);
    const blocks = grid.blocksPerLine * grid.blocksPerColumn;
    const entries = used[index] ?? 0;
    return {
      ...grid,
      dc: new Int16Array(buffer, place.dc, blocks).slice(),
      first: new Int32Array(buffer, place.first, blocks).slice(),
      last: new Int32Array(buffer, place.last, blocks).slice(),
      position: memory.slice(place.positions, place.positions + entries),
      value: new Int16Array(buffer, place.values, entries).slice(),
    };
  });
}
