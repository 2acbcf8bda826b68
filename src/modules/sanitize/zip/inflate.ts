/**
 * Bounded inflation. The declared sizes in a ZIP are only claims, so every limit here is counted
 * on the bytes the inflater really produces, chunk by chunk, and inflation stops at the first
 * chunk that breaks one: more than the entry declared, more than the budget left for the whole
 * archive (shared with nested archives), or a ratio inflated ÷ compressed above the limit. A
 * compressed chunk of 8 KiB inflates to at most ~8 MiB (deflate's ratio cannot exceed 1032:1,
 * RFC 1951 §3.2.5: a 258-byte match costs at least 2 bits), which bounds memory between checks.
 */
import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';
import { isRefusal, Refusal, type SanitizeLimits } from '../types.ts';
import { METHOD_STORED, malformed } from './format.ts';

/** Below this many inflated bytes an entry's ratio is not checked: tiny XML compresses well. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;
const CHUNK = 8 * 1024;
const PEEK_CHUNK = 512;

/** Inflated bytes left for one file, across all entries and all nesting levels. */
export class InflateBudget {
  private left: number;
  constructor(total: number) {
    this.left = total;
  }
  get remaining(): number {
    return this.left;
  }
  spend(count: number, name: string): void {
    if (count > this.left) {
      throw new Refusal('too-large', `ZIP: inflating ${name} exceeds the limit on inflated bytes`);
    }
    this.left -= count;
  }
}

/** Where an entry's compressed bytes are; a subset of ZipEntry, so this file needs no reader. */
export interface InflatableEntry {
  readonly name: string;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly dataOffset: number;
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === length) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk.subarray(0, length - at), at);
    at += Math.min(chunk.length, length - at);
    if (at >= length) break;
  }
  return out;
}

/**
 * Inflates one entry and checks its size and CRC-32 (APPNOTE §4.4.7). With `peek`, returns
 * only the first `peek` bytes, inflating as little as possible and spending no budget (used to
 * recognise a nested archive by its magic number before deciding to open it).
 */
export function inflateEntry(
  archive: Uint8Array,
  entry: InflatableEntry,
  limits: SanitizeLimits,
  budget: InflateBudget,
  peek?: number,
): Uint8Array {
  const data = archive.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === METHOD_STORED) {
    if (peek !== undefined) return data.subarray(0, peek);
    budget.spend(data.length, entry.name);
    if (crc32(data) !== entry.crc32) throw malformed(`CRC-32 mismatch in ${entry.name}`);
    return data;
  }
  if (data.length === 0) throw malformed(`deflated entry ${entry.name} has no data`);

  const chunks: Uint8Array[] = [];
  let produced = 0;
  let crc = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    produced += chunk.length;
    if (produced > entry.uncompressedSize) {
      throw malformed(`${entry.name} inflates to more than its declared ${entry.uncompressedSize} bytes`);
    }
    if (produced > RATIO_FLOOR_BYTES && produced / data.length > limits.maxCompressionRatio) {
      throw new Refusal(
        'compression-ratio',
        `ZIP: ${entry.name} inflates more than ${limits.maxCompressionRatio} times its compressed size`,
      );
    }
    if (peek === undefined) {
      budget.spend(chunk.length, entry.name);
      crc = crc32(chunk, crc);
    }
    if (chunk.length > 0) chunks.push(chunk);
    ended = final;
  });

  const step = peek === undefined ? CHUNK : PEEK_CHUNK;
  try {
    for (let at = 0; at < data.length; at += step) {
      const end = Math.min(at + step, data.length);
      inflater.push(data.subarray(at, end), end === data.length);
      if (peek !== undefined && produced >= peek) return concat(chunks, peek);
    }
  } catch (error) {
    if (isRefusal(error)) throw error;
    throw malformed(`${entry.name} is not valid deflate data (${(error as Error).message})`);
  }
  if (peek !== undefined) return concat(chunks, Math.min(peek, produced));
  if (!ended || produced !== entry.uncompressedSize) {
    throw malformed(
      `${entry.name} inflates to ${produced} bytes, not the declared ${entry.uncompressedSize}`,
    );
  }
  if (crc !== entry.crc32) throw malformed(`CRC-32 mismatch in ${entry.name}`);
  return concat(chunks, produced);
}
