/**
 * AssemblyScript, compiled to WebAssembly (scripts/build-scan-decoder.ts writes it into
 * scan-decoder.wasm.ts; a test checks that the two agree). Huffman-decodes one restart
 * interval of a sequential JPEG scan (ITU T.81 F.2.2) into quantized DCT coefficients, or only
 * checks it. This loop is most of what a sanitizer worker does for a photo; written for V8 in
 * TypeScript it was near what JavaScript can do; here, with a 64-bit bit buffer refilled 32 bits
 * at a time, the check of the submit benchmark's 1 MB photo takes half the time (~19 → ~10 ms
 * on the AMD bench host), a full decode ~0.6. (A branch-free refill of 56 bits was slower.)
 * A check then takes several AC symbols a lookup, which halves it again (~9.3 → ~4.7 ms): each
 * symbol's length must be known before the next is read, so fewer lookups is what makes it
 * faster. By 13 bits the table is 32 KB; by 12 or 14, each was slower.
 *
 * Everything lives in the module's memory, laid out by jpeg-coefficients.ts and scan-tables.ts
 * (the constants below are mirrored in scan-decoder.ts): a header, each scan component's
 * tables, and the buffers that file's size needs. Nothing here allocates; every read and
 * write stays in the buffers the caller sized, or the call traps.
 */

// The header: the scan's component count, MCUs per line, and whether coefficients are kept.
const UNITS: usize = 0;
const PER_LINE: usize = 4;
const KEEP: usize = 8;

// Each scan component ("unit") at UNIT_AT + u * UNIT_SIZE: its place in the MCU, where its
// blocks' values go, and its decoding state.
const UNIT_AT: usize = 64;
const UNIT_SIZE: usize = 64;
const H: usize = 0;
const V: usize = 4;
const BLOCKS_PER_LINE: usize = 8;
const DC_VALUES: usize = 12;
const FIRST: usize = 16;
const LAST: usize = 20;
const POSITIONS: usize = 24;
const VALUES: usize = 28;
const USED: usize = 32;
const ROOM: usize = 36;
const PREDICTOR: usize = 40;

// Each unit's Huffman tables at TABLES_AT + u * TABLES_SIZE, as scan-tables.ts makes them.
const TABLES_AT: usize = 512;
const TABLES_SIZE: usize = 40960;
const DC_FAST: usize = 0; // u16 × 512, by the next LOOKAHEAD bits
const AC_FAST: usize = 1024; // u16 × 512
const AC_WHOLE: usize = 2048; // i32 × 1024, by the next AC_LOOKAHEAD bits
const DC_MAX_CODE: usize = 6144; // i32 × 17
const DC_OFFSET: usize = 6224; // i32 × 17
const AC_MAX_CODE: usize = 6304; // i32 × 17
const AC_OFFSET: usize = 6384; // i32 × 17
const DC_SYMBOLS: usize = 6464; // u8 × 256
const AC_SYMBOLS: usize = 6720; // u8 × 256
const AC_RUNS: usize = 8192; // i32 × 8192, by the next RUN_LOOKAHEAD bits (checking only)

const LOOKAHEAD: i32 = 9;
const AC_LOOKAHEAD: i32 = 10;
const RUN_LOOKAHEAD: i32 = 13;
// An AC_RUNS entry: bits used (0–4), positions moved (8–14), and these flags.
const RUN_EOB: i32 = 1 << 16;
const RUN_MOVES: i32 = 1 << 17;
const RUN_ENDS_ZRL: i32 = 1 << 18;

// Answers: 0 coded as our writer codes, 1 valid but not so; below 0 what is wrong.
const AS_WRITTEN: i32 = 0;
const NOT_AS_WRITTEN: i32 = 1;
const BAD_DC_CODE: i32 = -1;
const DC_OUT_OF_RANGE: i32 = -2;
const BAD_AC_CODE: i32 = -3;
const AC_OUT_OF_PLACE: i32 = -4;
const ENDS_INSIDE_BLOCK: i32 = -5;
const DATA_AFTER_LAST_BLOCK: i32 = -6;
const NO_ROOM: i32 = -7;

/** The value `size` bits stand for (F.2.2.1, EXTEND), without a branch: signs are random. */
@inline
function extend(bits: i32, size: i32): i32 {
  return bits - (((bits >> (size - 1)) - 1) & ((1 << size) - 1));
}

/** A code longer than LOOKAHEAD at the head of `acc`, as (length << 8) | symbol; 0 for none. */
function longCode(tables: usize, maxCodes: usize, offsets: usize, symbols: usize, acc: u64, count: i32): i32 {
  for (let length = LOOKAHEAD + 1; length <= 16; length++) {
    const code = <i32>((acc >> <u64>(count - length)) & <u64>((1 << length) - 1));
    if (code <= load<i32>(tables + maxCodes + (<usize>length << 2))) {
      const at = load<i32>(tables + offsets + (<usize>length << 2)) + code;
      return (length << 8) | <i32>load<u8>(tables + symbols + <usize>at);
    }
  }
  return 0;
}

/**
 * Decodes MCUs `from` to `to` - 1, one restart interval, from `length` bytes of unstuffed data
 * at `data` (followed by at least 256 bytes the caller owns: the bit buffer reads ahead, and a
 * block that runs past `length` is refused once it ends).
 */
export function decodeInterval(data: usize, length: i32, from: i32, to: i32): i32 {
  const units = load<i32>(UNITS);
  const perLine = load<i32>(PER_LINE);
  const keep = load<i32>(KEEP) != 0;
  const bits: i64 = <i64>length * 8;
  let pos = data;
  // Bits not yet used, right-aligned in `acc`; `count` of them.
  let acc: u64 = 0;
  let count: i32 = 0;
  let asWritten = true;
  let mcuRow = from / perLine;
  let mcuColumn = from - mcuRow * perLine;
  for (let u = 0; u < units; u++) store<i32>(UNIT_AT + <usize>u * UNIT_SIZE + PREDICTOR, 0);
  for (let mcu = from; mcu < to; mcu++) {
    for (let u = 0; u < units; u++) {
      const unit = UNIT_AT + <usize>u * UNIT_SIZE;
      const tables = TABLES_AT + <usize>u * TABLES_SIZE;
      const h = load<i32>(unit + H);
      const v = load<i32>(unit + V);
      const blocksPerLine = load<i32>(unit + BLOCKS_PER_LINE);
      const positions = <usize>load<i32>(unit + POSITIONS);
      const values = <usize>load<i32>(unit + VALUES);
      let n = load<i32>(unit + USED);
      if (keep && n + 63 * h * v > load<i32>(unit + ROOM)) return NO_ROOM;
      let predictor = load<i32>(unit + PREDICTOR);
      for (let y = 0; y < v; y++) {
        for (let x = 0; x < h; x++) {
          const block = <usize>((mcuRow * v + y) * blocksPerLine + mcuColumn * h + x);
          // DC: the category's code, then its bits. 32 bits in hand cover a code (≤ 16) and its
          // value (≤ 11), or an AC code and its value (≤ 10).
          if (count < 32) {
            acc = (acc << 32) | <u64>bswap<u32>(load<u32>(pos));
            pos += 4;
            count += 32;
          }
          let entry = <i32>load<u16>(tables + DC_FAST + (<usize>((acc >> <u64>(count - LOOKAHEAD)) & 511) << 1));
          if (entry == 0) entry = longCode(tables, DC_MAX_CODE, DC_OFFSET, DC_SYMBOLS, acc, count);
          if (entry == 0 || (entry & 0xff) > 11) return BAD_DC_CODE;
          count -= entry >> 8;
          const category = entry & 0xff;
          if (category > 0) {
            count -= category;
            predictor += extend(<i32>((acc >> <u64>count) & <u64>((1 << category) - 1)), category);
          }
          // 8-bit samples give DC values in −1024…1016 (F.1.1.3); kept within 11 bits, the
          // encoder's DC categories stay within baseline's 11.
          if (predictor < -1024 || predictor > 1023) return DC_OUT_OF_RANGE;
          if (keep) {
            store<i16>(<usize>load<i32>(unit + DC_VALUES) + (block << 1), <i16>predictor);
            store<i32>(<usize>load<i32>(unit + FIRST) + (block << 2), n);
          }
          // AC: most coefficients by one lookup of code and value; EOB, ZRL and long codes by
          // their symbol. A ZRL with no coefficient after it in its block is one our writer
          // would not write.
          let zrlLast = false;
          for (let k = 1; k < 64; ) {
            if (count < 32) {
              acc = (acc << 32) | <u64>bswap<u32>(load<u32>(pos));
              pos += 4;
              count += 32;
            }
            if (!keep) {
              // Checking: as many whole AC symbols as the next RUN_LOOKAHEAD bits hold, by one
              // lookup, where they stay within the block (see acRuns in scan-tables.ts).
              const run = load<i32>(tables + AC_RUNS + (<usize>((acc >> <u64>(count - RUN_LOOKAHEAD)) & 8191) << 2));
              const advance = (run >> 8) & 127;
              if (run != 0 && k + advance <= 63) {
                count -= run & 31;
                k += advance;
                if (run & RUN_MOVES) zrlLast = (run & RUN_ENDS_ZRL) != 0;
                if (run & RUN_EOB) break;
                continue;
              }
            }
            const whole = load<i32>(tables + AC_WHOLE + (<usize>((acc >> <u64>(count - AC_LOOKAHEAD)) & 1023) << 2));
            let value: i32;
            if (whole != 0) {
              count -= whole & 0xff;
              k += (whole >> 8) & 15;
              value = whole >> 16;
            } else {
              entry = <i32>load<u16>(tables + AC_FAST + (<usize>((acc >> <u64>(count - LOOKAHEAD)) & 511) << 1));
              if (entry == 0) entry = longCode(tables, AC_MAX_CODE, AC_OFFSET, AC_SYMBOLS, acc, count);
              if (entry == 0) return BAD_AC_CODE;
              count -= entry >> 8;
              const size = entry & 15;
              if (size == 0) {
                if ((entry & 0xff) != 0xf0) break; // EOB
                k += 16; // ZRL
                zrlLast = true;
                continue;
              }
              if (size > 10) return AC_OUT_OF_PLACE;
              k += (entry >> 4) & 15;
              count -= size;
              value = extend(<i32>((acc >> <u64>count) & <u64>((1 << size) - 1)), size);
            }
            if (k > 63) return AC_OUT_OF_PLACE;
            if (keep) {
              store<u8>(positions + <usize>n, <u8>k);
              store<i16>(values + (<usize>n << 1), <i16>value);
              n++;
            }
            zrlLast = false;
            k++;
          }
          if (keep) store<i32>(<usize>load<i32>(unit + LAST) + (block << 2), n);
          if (zrlLast) asWritten = false;
          if (<i64>(pos - data) * 8 - <i64>count > bits) return ENDS_INSIDE_BLOCK;
        }
      }
      store<i32>(unit + USED, n);
      store<i32>(unit + PREDICTOR, predictor);
    }
    if (++mcuColumn == perLine) {
      mcuColumn = 0;
      mcuRow++;
    }
  }
  // What is left is the last byte's padding, which T.81 F.1.2.3 makes of 1 bits.
  const padding = <i32>(bits - (<i64>(pos - data) * 8 - <i64>count));
  if (padding > 7) return DATA_AFTER_LAST_BLOCK;
  const ones = (1 << padding) - 1;
  if (padding > 0 && (<i32>load<u8>(data + <usize>length - 1) & ones) != ones) asWritten = false;
  return asWritten ? AS_WRITTEN : NOT_AS_WRITTEN;
}
