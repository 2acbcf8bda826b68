/**
 * The scan decoder compiled from scan-decoder.as.ts: one instance a process, whose memory
 * holds one file's decoding at a time. Offsets, lookahead widths and entry flags mirror those of
 * the AssemblyScript source.
 */
import { SCAN_DECODER_WASM } from './scan-decoder.wasm.ts';

/** The header: component count, MCUs per line, whether coefficients are kept. */
export const HEADER = { units: 0, perLine: 1, keep: 2 } as const;
/** Each scan component's fields (in 32-bit words) at UNIT_AT + u * UNIT_SIZE bytes. */
export const UNIT_AT = 64;
export const UNIT_SIZE = 64;
export const UNIT = {
  h: 0,
  v: 1,
  blocksPerLine: 2,
  dcValues: 3,
  first: 4,
  last: 5,
  positions: 6,
  values: 7,
  used: 8,
  room: 9,
} as const;
/** Each scan component's Huffman tables at TABLES_AT + u * TABLES_SIZE bytes. */
export const TABLES_AT = 512;
export const TABLES_SIZE = 40960;
export const TABLE = {
  dcFast: 0,
  acFast: 1024,
  acWhole: 2048,
  dcMaxCode: 6144,
  dcOffset: 6224,
  acMaxCode: 6304,
  acOffset: 6384,
  dcSymbols: 6464,
  acSymbols: 6720,
  acRuns: 8192,
} as const;
/** AC codes and their value that fit in this many bits are decoded by one lookup (TABLE.acWhole). */
export const AC_LOOKAHEAD = 10;
/** AC symbols within this many bits are checked by one lookup, several at a time (TABLE.acRuns). */
export const RUN_LOOKAHEAD = 13;
/** The flags of a TABLE.acRuns entry, above its bits used (0–4) and positions moved (8–14). */
export const RUN = { eob: 1 << 16, moves: 1 << 17, endsZrl: 1 << 18 } as const;
/** A scan has at most 4 components (T.81 B.2.3). */
export const FIRST_FREE = TABLES_AT + 4 * TABLES_SIZE;
/** The bit buffer reads ahead of an interval's data by up to this many bytes. */
export const READ_AHEAD = 256;

/** What `decodeInterval` answers below 0. */
export const FAULTS: Record<number, string> = {
  [-1]: 'DC code',
  [-2]: 'DC value out of range',
  [-3]: 'AC code',
  [-4]: 'AC coefficient out of place or range',
  [-5]: 'the scan data ends inside a block',
  [-6]: 'data after the last block',
  [-7]: 'no room for the coefficients',
};

interface Exports {
  readonly memory: WebAssembly.Memory;
  /** 0: coded as our writer codes; 1: valid, coded otherwise; below 0: a fault. */
  decodeInterval(data: number, length: number, from: number, to: number): number;
}

const compiled = new WebAssembly.Module(Buffer.from(SCAN_DECODER_WASM, 'base64'));
let current: Exports | undefined;

/**
 * Memory a file needed beyond this is given back after it (a fresh instance next time):
 * WebAssembly memory only grows, and one large image should not stay in a worker for good.
 */
const KEPT_BYTES = 64 * 1024 * 1024;

/** The instance, its memory at least `bytes` long. */
export function scanDecoder(bytes: number): Exports {
  current ??= new WebAssembly.Instance(compiled).exports as unknown as Exports;
  const short = bytes - current.memory.buffer.byteLength;
  if (short > 0) current.memory.grow(Math.ceil(short / 65_536));
  return current;
}

/** Called once a file's decoding is over: drops an instance grown past KEPT_BYTES. */
export function releaseScanDecoder(): void {
  if (current && current.memory.buffer.byteLength > KEPT_BYTES) current = undefined;
}
