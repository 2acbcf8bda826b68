/**
 * The lookup tables scan-decoder.as.ts reads, made from a scan's Huffman tables (T.81 C) and
 * written into the decoder's memory. An encoder codes file after file with the same tables
 * (libjpeg's are those of T.81 K.3 unless asked to make its own), so the last few made are
 * kept, by their content, for the next file: making the check's table takes ~0.3 ms.
 */
import type { HuffmanSpec } from './jpeg-baseline.ts';
import { type DecodingTable, decodingTable, LOOKAHEAD } from './jpeg-huffman.ts';
import { AC_LOOKAHEAD, RUN, RUN_LOOKAHEAD, TABLE } from './scan-decoder.ts';

/** One Huffman table's lookups, each made when first asked for. */
interface Lookups {
  readonly table: DecodingTable;
  whole?: Int32Array;
  runs?: Int32Array;
}

/** Tables kept: a file has at most 4 of each kind, and most files have 2. */
const KEPT = 8;
const kept = new Map<string, Lookups>();

function lookupsOf(spec: HuffmanSpec): Lookups {
  const key = String.fromCharCode(...spec.counts, ...spec.symbols);
  let lookups = kept.get(key);
  if (!lookups) {
    if (kept.size >= KEPT) kept.delete(kept.keys().next().value!);
    lookups = { table: decodingTable(spec) };
    kept.set(key, lookups);
  }
  return lookups;
}

/**
 * One scan component's tables at `at`; with `checkOnly`, also those that check the AC symbols
 * several at a time (a full decode has no use for them).
 */
export function writeTables(
  memory: Uint8Array,
  at: number,
  dcSpec: HuffmanSpec,
  acSpec: HuffmanSpec,
  checkOnly: boolean,
): void {
  const { buffer } = memory;
  const dc = lookupsOf(dcSpec).table;
  const acLookups = lookupsOf(acSpec);
  const ac = acLookups.table;
  acLookups.whole ??= wholeCoefficients(ac);
  new Uint16Array(buffer, at + TABLE.dcFast, dc.fast.length).set(dc.fast);
  new Uint16Array(buffer, at + TABLE.acFast, ac.fast.length).set(ac.fast);
  new Int32Array(buffer, at + TABLE.acWhole, 1 << AC_LOOKAHEAD).set(acLookups.whole);
  new Int32Array(buffer, at + TABLE.dcMaxCode, 17).set(dc.maxCode);
  new Int32Array(buffer, at + TABLE.dcOffset, 17).set(dc.offset);
  new Int32Array(buffer, at + TABLE.acMaxCode, 17).set(ac.maxCode);
  new Int32Array(buffer, at + TABLE.acOffset, 17).set(ac.offset);
  memory.fill(0, at + TABLE.dcSymbols, at + TABLE.dcSymbols + 512);
  memory.set(dc.symbols, at + TABLE.dcSymbols);
  memory.set(ac.symbols, at + TABLE.acSymbols);
  if (checkOnly) {
    acLookups.runs ??= acRuns(ac);
    new Int32Array(buffer, at + TABLE.acRuns, 1 << RUN_LOOKAHEAD).set(acLookups.runs);
  }
}

/** The value `size` bits stand for (T.81 F.2.2.1, EXTEND): a leading 0 bit means negative. */
function extend(bits: number, size: number): number {
  return bits - (((bits >> (size - 1)) - 1) & ((1 << size) - 1));
}

/**
 * For the next AC_LOOKAHEAD bits: (value << 16) | (run << 8) | bits used, when a whole
 * coefficient (its run/size code and its value bits) is within them; otherwise 0.
 */
function wholeCoefficients(table: DecodingTable): Int32Array {
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

const ZRL = 0xf0;

/** The code at the head of an `r`-bit string, as (length << 8) | symbol; 0 for none within it. */
function codeAt(table: DecodingTable, bits: number, r: number): number {
  const head = r >= LOOKAHEAD ? bits >> (r - LOOKAHEAD) : bits << (LOOKAHEAD - r);
  const fast = table.fast[head]!;
  if (fast !== 0) return fast >> 8 <= r ? fast : 0;
  for (let length = LOOKAHEAD + 1; length <= r; length++) {
    const code = bits >> (r - length);
    if (code <= table.maxCode[length]!) return (length << 8) | table.symbols[table.offset[length]! + code]!;
  }
  return 0;
}

/**
 * For checking a scan: by the next RUN_LOOKAHEAD bits, the whole AC symbols (codes and value
 * bits) they begin with, as bits used | positions moved << 8 | flags: RUN.eob when the last is
 * an end of block, RUN.moves when any other is among them, RUN.endsZrl when the last of those
 * is a ZRL; 0 when not even one is whole. A run stops after an end of block, and before it
 * would move more than 63 positions; the decoder takes it only where all it moves through stays
 * within the block, so one lookup does what decoding each symbol would, the values aside.
 * (Any other symbol of size 0 ends the block, as in libjpeg; a size past 10 is left to the
 * decoder to refuse.)
 *
 * Made from the end: the entry of an r-bit string is its first symbol and then the entry of
 * the bits after that, so each entry takes one step.
 */
function acRuns(table: DecodingTable): Int32Array {
  // The entry of the r-bit string `bits` at (1 << r) + bits, for r = 0 to RUN_LOOKAHEAD.
  const runs = new Int32Array(2 << RUN_LOOKAHEAD);
  for (let r = 1; r <= RUN_LOOKAHEAD; r++) {
    for (let bits = 0; bits < 1 << r; bits++) {
      const code = codeAt(table, bits, r);
      const symbol = code & 0xff;
      const used = (code >> 8) + (symbol & 15);
      if (code === 0 || (symbol & 15) > 10 || used > r) continue;
      if ((symbol & 15) === 0 && symbol !== ZRL) {
        runs[(1 << r) + bits] = RUN.eob | used;
        continue;
      }
      const moved = symbol === ZRL ? 16 : (symbol >> 4) + 1;
      const first = (moved << 8) | RUN.moves | (symbol === ZRL ? RUN.endsZrl : 0) | used;
      const rest = r - used;
      const next = runs[(1 << rest) + (bits & ((1 << rest) - 1))]!;
      if (next === 0 || moved + ((next >> 8) & 127) > 63) {
        runs[(1 << r) + bits] = first;
      } else {
        const last = next & RUN.moves ? next & RUN.endsZrl : first & RUN.endsZrl;
        const sums = (first & 0x7f1f) + (next & 0x7f1f); // positions moved and bits used
        runs[(1 << r) + bits] = sums | RUN.moves | (next & RUN.eob) | last;
      }
    }
  }
  return runs.subarray(1 << RUN_LOOKAHEAD);
}
