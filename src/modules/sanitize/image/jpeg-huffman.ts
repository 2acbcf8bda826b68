/**
 * Huffman tables for JPEG (ITU T.81 Annex C and K.2): the decoder's lookup form of a table read
 * from a file, and a table made for the symbols an encoder is about to write.
 */
import type { HuffmanSpec } from './jpeg-baseline.ts';

/** Codes up to this long are decoded by one table lookup; longer ones by their length. */
export const LOOKAHEAD = 9;

export interface DecodingTable {
  /** By the next LOOKAHEAD bits: (code length << 8) | symbol, or 0 for a longer code. */
  readonly fast: Uint16Array;
  /** By length 1–16: the largest code of that length (-1 for none), and where its symbols start. */
  readonly maxCode: Int32Array;
  readonly offset: Int32Array;
  readonly symbols: Uint8Array;
}

export function decodingTable(spec: HuffmanSpec): DecodingTable {
  const fast = new Uint16Array(1 << LOOKAHEAD);
  const maxCode = new Int32Array(17).fill(-1);
  const offset = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const count = spec.counts[length - 1]!;
    offset[length] = k - code;
    for (let i = 0; i < count; i++, k++, code++) {
      if (length <= LOOKAHEAD) {
        const shift = LOOKAHEAD - length;
        const entry = (length << 8) | spec.symbols[k]!;
        fast.fill(entry, code << shift, (code + 1) << shift);
      }
    }
    if (count > 0) maxCode[length] = code - 1;
    code <<= 1;
  }
  return { fast, maxCode, offset, symbols: spec.symbols };
}

/** A table to encode with: the spec to write in DHT, and each symbol's code and length. */
export interface EncodingTable {
  readonly spec: HuffmanSpec;
  readonly code: Uint16Array;
  readonly length: Uint8Array;
}

/** Each symbol's code and length from a table's spec (T.81 C.2), in `code` and `length`. */
function assignCodes(spec: HuffmanSpec, code: Uint16Array, length: Uint8Array): void {
  let next = 0;
  let k = 0;
  for (let l = 1; l <= 16; l++) {
    for (let i = 0; i < spec.counts[l - 1]!; i++, k++, next++) {
      code[spec.symbols[k]!] = next;
      length[spec.symbols[k]!] = l;
    }
    next <<= 1;
  }
}

/**
 * A table read from a file, to code again the very symbols it decoded; undefined when it may
 * not be written as it is: a symbol listed twice, one no baseline coefficient has (a DC
 * category past 11, an AC size past 10), or a code of all 1 bits, which T.81 keeps free
 * (padding must not read as a code).
 */
export function encodingTableOf(spec: HuffmanSpec, kind: 'dc' | 'ac'): EncodingTable | undefined {
  const seen = new Uint8Array(256);
  for (const symbol of spec.symbols) {
    if (seen[symbol] || (kind === 'dc' ? symbol > 11 : (symbol & 15) > 10)) return undefined;
    seen[symbol] = 1;
  }
  const code = new Uint16Array(256);
  const length = new Uint8Array(256);
  assignCodes(spec, code, length);
  const last = spec.symbols[spec.symbols.length - 1]!;
  if (code[last] === 2 ** length[last]! - 1) return undefined;
  return { spec, code, length };
}

/**
 * The optimal code lengths for `frequencies` (256 symbols), limited to 16 bits, as T.81 K.2
 * builds them: a reserved symbol of frequency 1 keeps any code from being all ones.
 */
export function encodingTable(frequencies: ArrayLike<number>): EncodingTable {
  const freq = new Float64Array(257);
  for (let s = 0; s < 256; s++) freq[s] = frequencies[s]!;
  freq[256] = 1;
  const codeSize = new Int32Array(257);
  const others = new Int32Array(257).fill(-1);
  for (;;) {
    // The two least frequent symbols still in play; on a tie, the larger value (Figure K.2).
    let v1 = -1;
    let v2 = -1;
    for (let s = 0; s <= 256; s++) {
      if (freq[s] === 0) continue;
      if (v1 < 0 || freq[s]! <= freq[v1]!) {
        v2 = v1;
        v1 = s;
      } else if (v2 < 0 || freq[s]! <= freq[v2]!) {
        v2 = s;
      }
    }
    if (v2 < 0) break;
    freq[v1]! += freq[v2]!;
    freq[v2] = 0;
    for (let s = v1; ; s = others[s]!) {
      codeSize[s]! += 1;
      if (others[s] === -1) {
        others[s] = v2;
        break;
      }
    }
    for (let s = v2; s !== -1; s = others[s]!) codeSize[s]! += 1;
  }
  const bits = new Int32Array(33);
  for (let s = 0; s <= 256; s++) if (codeSize[s]! > 0) bits[codeSize[s]!]! += 1;
  // Figure K.3: move codes longer than 16 bits up the tree.
  for (let i = 32; i > 16; i--) {
    while (bits[i]! > 0) {
      let j = i - 2;
      while (bits[j] === 0) j--;
      bits[i]! -= 2;
      bits[i - 1]! += 1;
      bits[j + 1]! += 2;
      bits[j]! -= 1;
    }
  }
  let longest = 16;
  while (bits[longest] === 0) longest--;
  bits[longest]! -= 1; // the reserved symbol's code
  // Symbols in order of code length, then of value (K.2, Figure K.4's sort).
  const symbols: number[] = [];
  for (let length = 1; length <= 32; length++) {
    for (let s = 0; s < 256; s++) if (codeSize[s] === length) symbols.push(s);
  }
  const counts = Uint8Array.from(bits.subarray(1, 17));
  const spec: HuffmanSpec = { counts, symbols: Uint8Array.from(symbols) };
  const code = new Uint16Array(256);
  const length = new Uint8Array(256);
  assignCodes(spec, code, length);
  return { spec, code, length };
}
