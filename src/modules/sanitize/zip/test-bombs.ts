/**
 * Zip bombs for tests, crafted in memory in milliseconds (nothing downloaded, nothing large
 * allocated): deflate's full-flush points make a 1 MiB run of zeros compress to the same
 * ~1 KiB block every time, so N MiB of zeros is that block N times plus a final empty block.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { writeZip } from './writer.ts';

const MiB = 1024 * 1024;
const ZEROS = new Uint8Array(MiB);
/** One byte-aligned, non-final deflate segment of 1 MiB of zeros (ends with a full flush). */
const BLOCK = deflateRawSync(ZEROS, { finishFlush: constants.Z_FULL_FLUSH });
/** RFC 1951 §3.2.3: BFINAL=1, BTYPE=01 (fixed Huffman), end-of-block: an empty final block. */
const FINAL = Uint8Array.of(0x03, 0x00);

/** A raw deflate stream that inflates to `mib` MiB of zeros, and that data's CRC-32. */
export function zerosStream(mib: number): { data: Uint8Array; crc: number; size: number } {
  const data = new Uint8Array(BLOCK.length * mib + FINAL.length);
  let crc = 0;
  for (let i = 0; i < mib; i++) {
    data.set(BLOCK, i * BLOCK.length);
    crc = crc32(ZEROS, crc);
  }
  data.set(FINAL, BLOCK.length * mib);
  return { data, crc, size: mib * MiB };
}

export interface RawEntry {
  readonly name: string;
  readonly method: number;
  readonly crc: number;
  readonly compressed: Uint8Array;
  /** Defaults to compressed.length. */
  readonly compressedSize?: number;
  readonly size: number;
  /** Sizes written in the headers, when they lie. */
  readonly declaredSize?: number;
}

function localHeader(e: RawEntry): Uint8Array {
  const name = new TextEncoder().encode(e.name);
  const out = new Uint8Array(30 + name.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 20, true);
  v.setUint16(8, e.method, true);
  v.setUint16(12, 0x21, true);
  v.setUint32(14, e.crc, true);
  v.setUint32(18, e.compressedSize ?? e.compressed.length, true);
  v.setUint32(22, e.declaredSize ?? e.size, true);
  v.setUint16(26, name.length, true);
  out.set(name, 30);
  return out;
}

function centralHeader(e: RawEntry, offset: number): Uint8Array {
  const name = new TextEncoder().encode(e.name);
  const out = new Uint8Array(46 + name.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x02014b50, true);
  v.setUint16(4, 20, true);
  v.setUint16(6, 20, true);
  v.setUint16(10, e.method, true);
  v.setUint16(14, 0x21, true);
  v.setUint32(16, e.crc, true);
  v.setUint32(20, e.compressedSize ?? e.compressed.length, true);
  v.setUint32(24, e.declaredSize ?? e.size, true);
  v.setUint16(28, name.length, true);
  v.setUint32(42, offset, true);
  out.set(name, 46);
  return out;
}

function eocd(count: number, cdSize: number, cdOffset: number): Uint8Array {
  const out = new Uint8Array(22);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, count, true);
  v.setUint16(10, count, true);
  v.setUint32(12, cdSize, true);
  v.setUint32(16, cdOffset, true);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A plain archive of raw entries (possibly with lying sizes). */
export function rawZip(entries: readonly RawEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const header = localHeader(e);
    centrals.push(centralHeader(e, offset));
    locals.push(header, e.compressed);
    offset += header.length + e.compressed.length;
  }
  const cd = concat(centrals);
  return concat([...locals, cd, eocd(entries.length, cd.length, offset)]);
}

/** One entry of `mib` MiB of zeros, honest (declared sizes true) unless `declaredSize` is given. */
export function flatBomb(mib: number, name = 'zeros.bin', declaredSize?: number): Uint8Array {
  const { data, crc, size } = zerosStream(mib);
  return rawZip([
    { name, method: 8, crc, compressed: data, size, ...(declaredSize ? { declaredSize } : {}) },
  ]);
}

/**
 * D. Fifield's overlapping bomb ("A better zip bomb", 2019): entry i's compressed data is a
 * stored block that quotes entry i+1's local header, followed by entry i+1's data, so every
 * entry inflates the same kernel. Sizes and CRCs are all honest.
 */
export function overlapBomb(files: number, kernelMib = 1): Uint8Array {
  const kernel = zerosStream(kernelMib);
  const names = Array.from({ length: files }, (_, i) => `f${String(i).padStart(4, '0')}.bin`);
  const headers: Uint8Array[] = new Array(files);
  const entries: RawEntry[] = new Array(files);
  let tailCompressed = kernel.data.length;
  let quoted: Uint8Array[] = []; // local headers i+1..n-1, in order
  for (let i = files - 1; i >= 0; i--) {
    const prefix = concat(quoted);
    let crc = crc32(prefix);
    for (let k = 0; k < kernelMib; k++) crc = crc32(ZEROS, crc);
    const e: RawEntry = {
      name: names[i]!,
      method: 8,
      crc,
      compressed: new Uint8Array(0), // laid out below; only the size goes in the headers
      compressedSize: tailCompressed,
      size: prefix.length + kernel.size,
    };
    entries[i] = e;
    headers[i] = localHeader(e);
    quoted = [headers[i]!, ...quoted];
    tailCompressed += 5 + headers[i]!.length;
  }
  // Layout: LH0 Q0 LH1 Q1 … LH(n-1) kernel, where Qi is a stored-block header quoting LH(i+1).
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (let i = 0; i < files; i++) {
    offsets.push(offset);
    parts.push(headers[i]!);
    offset += headers[i]!.length;
    if (i + 1 < files) {
      const len = headers[i + 1]!.length;
      parts.push(Uint8Array.of(0x00, len & 0xff, len >> 8, ~len & 0xff, (~len >> 8) & 0xff));
      offset += 5;
    }
  }
  parts.push(kernel.data);
  offset += kernel.data.length;
  const cd = concat(entries.map((e, i) => centralHeader(e, offsets[i]!)));
  return concat([...parts, cd, eocd(files, cd.length, offset)]);
}

/** 42.zip-style: `levels` of zips, each holding `width` copies of the level below, zeros at the bottom. */
export function nestedBomb(levels: number, width: number, leafMib = 1): Uint8Array {
  let current = flatBomb(leafMib, 'zeros.bin');
  for (let level = 0; level < levels; level++) {
    current = writeZip(
      Array.from({ length: width }, (_, i) => ({ name: `level${level}-${i}.zip`, data: current })),
    );
  }
  return current;
}
