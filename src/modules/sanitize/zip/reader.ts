/**
 * A ZIP reader that trusts nothing (PKWARE APPNOTE.TXT 6.3.10). It reads the central directory
 * from the End Of Central Directory record, cross-checks every entry against its local header,
 * refuses what it does not support (ZIP64, encryption, methods other than stored/deflate,
 * multi-disk), refuses unsafe names, duplicates and overlapping entries, and checks the
 * declared sizes against the limits before a single byte is inflated. Inflation itself
 * (inflate.ts) then counts the real bytes, because declared sizes can lie.
 */
import { Refusal, type SanitizeLimits } from '../types.ts';
import {
  CENTRAL_HEADER_SIZE,
  checkEntryName,
  decodeName,
  EOCD_SIZE,
  FLAG_DATA_DESCRIPTOR,
  FLAG_ENCRYPTED,
  FLAG_MASKED_HEADERS,
  FLAG_STRONG_ENCRYPTION,
  LeReader,
  LOCAL_HEADER_SIZE,
  MAX_COMMENT,
  METHOD_AES,
  METHOD_DEFLATE,
  METHOD_STORED,
  malformed,
  SIG_CENTRAL,
  SIG_DATA_DESCRIPTOR,
  SIG_EOCD,
  SIG_LOCAL,
  SIG_ZIP64_LOCATOR,
} from './format.ts';
import { InflateBudget, inflateEntry, RATIO_FLOOR_BYTES } from './inflate.ts';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  /** First byte of the compressed data, after the local header. */
  readonly dataOffset: number;
  /** One past the entry's last byte, including a data descriptor if any. */
  readonly end: number;
  readonly isDirectory: boolean;
}

const ZIP64_REFUSAL = 'ZIP64 archives are not supported (no office file needs one)';

/** APPNOTE §4.3.16: the EOCD is the last record; its comment runs exactly to the end of file. */
function findEocd(r: LeReader): number {
  const last = r.length - EOCD_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  for (let at = last; at >= first; at--) {
    if (r.bytes[at] !== 0x50 || r.u32(at) !== SIG_EOCD) continue;
    if (at + EOCD_SIZE + r.u16(at + 20) === r.length) return at;
  }
  throw malformed('no End Of Central Directory record (not a ZIP file, or trailing data)');
}

interface CentralRecord {
  entry: Omit<ZipEntry, 'dataOffset' | 'end'>;
  rawName: Uint8Array;
}

function parseCentral(r: LeReader, at: number): { record: CentralRecord; next: number } {
  if (r.u32(at, 'a central directory header') !== SIG_CENTRAL) {
    throw malformed('bad central directory header signature');
  }
  const flags = r.u16(at + 8);
  const method = r.u16(at + 10);
  const crc32 = r.u32(at + 16);
  const compressedSize = r.u32(at + 20);
  const uncompressedSize = r.u32(at + 24);
  const nameLength = r.u16(at + 28);
  const extraLength = r.u16(at + 30);
  const commentLength = r.u16(at + 32);
  const diskStart = r.u16(at + 34);
  const localHeaderOffset = r.u32(at + 42);
  // APPNOTE §4.4.4 bits 0, 6 and 13, and the AES method of Appendix E: all mean encryption.
  if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS) || method === METHOD_AES) {
    throw new Refusal('encrypted', 'ZIP: an entry is encrypted');
  }
  // APPNOTE §4.5.3: 0xFFFFFFFF / 0xFFFF mean "see the ZIP64 extra field".
  if ([compressedSize, uncompressedSize, localHeaderOffset].includes(0xffffffff) || diskStart === 0xffff) {
    throw malformed(ZIP64_REFUSAL);
  }
  if (diskStart !== 0) throw malformed('multi-disk archives are not supported');
  if (method !== METHOD_STORED && method !== METHOD_DEFLATE) {
    throw malformed(`unsupported compression method ${method}`);
  }
  const rawName = r.slice(at + CENTRAL_HEADER_SIZE, nameLength, 'an entry name');
  const name = decodeName(rawName, flags);
  checkEntryName(name);
  const isDirectory = name.endsWith('/');
  if (isDirectory && uncompressedSize !== 0) throw malformed(`directory entry ${name} has content`);
  if (method === METHOD_STORED && compressedSize !== uncompressedSize) {
    throw malformed(`stored entry ${name} has different compressed and uncompressed sizes`);
  }
  const next = at + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
  const entry = {
    name,
    method,
    flags,
    crc32,
    compressedSize,
    uncompressedSize,
    localHeaderOffset,
    isDirectory,
  };
  return { record: { entry, rawName }, next };
}

/** APPNOTE §4.3.7 and §4.3.9: where the data starts and where the entry (with descriptor) ends. */
function locate(r: LeReader, c: CentralRecord, cdOffset: number): ZipEntry {
  const at = c.entry.localHeaderOffset;
  if (r.u32(at, 'a local header') !== SIG_LOCAL) throw malformed(`bad local header for ${c.entry.name}`);
  const dataOffset = at + LOCAL_HEADER_SIZE + r.u16(at + 26) + r.u16(at + 28);
  let end = dataOffset + c.entry.compressedSize;
  if (c.entry.flags & FLAG_DATA_DESCRIPTOR) {
    // The descriptor's signature is optional (§4.3.9.3): 12 bytes without, 16 with.
    end += end + 4 <= cdOffset && r.u32(end) === SIG_DATA_DESCRIPTOR ? 16 : 12;
  }
  if (end > cdOffset) throw malformed(`entry ${c.entry.name} runs into the central directory`);
  return { ...c.entry, dataOffset, end };
}

/** The local header must say what the central directory says (§4.4: fields are shared). */
function crossCheck(r: LeReader, c: CentralRecord, e: ZipEntry): void {
  const at = e.localHeaderOffset;
  const flags = r.u16(at + 6);
  const method = r.u16(at + 8);
  const crc = r.u32(at + 14);
  const csize = r.u32(at + 18);
  const usize = r.u32(at + 22);
  const rawName = r.slice(at + LOCAL_HEADER_SIZE, r.u16(at + 26));
  const mismatch = (what: string) => malformed(`local header and central directory disagree on ${what}`);
  if (method !== e.method) throw mismatch(`the method of ${e.name}`);
  if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION))
    throw new Refusal('encrypted', 'ZIP: entry encrypted');
  if ((flags & FLAG_DATA_DESCRIPTOR) !== (e.flags & FLAG_DATA_DESCRIPTOR))
    throw mismatch(`the flags of ${e.name}`);
  if (rawName.length !== c.rawName.length || rawName.some((b, i) => b !== c.rawName[i])) {
    throw mismatch(`the name of ${e.name}`);
  }
  const deferred = (e.flags & FLAG_DATA_DESCRIPTOR) !== 0;
  const same = (local: number, central: number) => local === central || (deferred && local === 0);
  if (!same(crc, e.crc32) || !same(csize, e.compressedSize) || !same(usize, e.uncompressedSize)) {
    throw mismatch(`the sizes or CRC of ${e.name}`);
  }
}

/**
 * The overlapping-entries bomb (D. Fifield, "A better zip bomb", 2019) points many central
 * directory entries at shared compressed data. In an honest archive each entry's
 * [local header, end of data) range is disjoint from every other.
 */
function refuseOverlaps(entries: readonly ZipEntry[]): void {
  const sorted = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.localHeaderOffset < previous.end) {
      throw malformed(
        `entries ${previous.name} and ${current.name} overlap (an overlapping-entries zip bomb)`,
      );
    }
  }
}

/** Declared sizes, checked before any inflation: cheap refusals for honest-looking bombs. */
function checkDeclared(entries: readonly ZipEntry[], limits: SanitizeLimits, budget: InflateBudget): void {
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio) {
      throw new Refusal(
        'compression-ratio',
        `ZIP: entry ${e.name} declares a compression ratio of ${Math.round(ratio)} (limit ${limits.maxCompressionRatio})`,
      );
    }
  }
  if (total > budget.remaining) {
    throw new Refusal(
      'too-large',
      `ZIP: entries declare ${total} bytes inflated (limit ${budget.remaining} left)`,
    );
  }
}

export interface OpenOptions {
  /** Shared across nested archives, so that levels cannot each spend the whole budget. */
  readonly budget?: InflateBudget;
}

/** A validated archive: entries are safe to look up and to inflate (within the budget). */
export class ZipArchive {
  readonly bytes: Uint8Array;
  readonly entries: readonly ZipEntry[];
  readonly limits: SanitizeLimits;
  readonly budget: InflateBudget;
  private readonly byName: Map<string, ZipEntry>;

  constructor(bytes: Uint8Array, entries: ZipEntry[], limits: SanitizeLimits, budget: InflateBudget) {
    this.bytes = bytes;
    this.entries = entries;
    this.limits = limits;
    this.budget = budget;
    this.byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  }

  /** Case-insensitive, as OPC part names compare (ECMA-376 Part 2 §9.1.1.1). */
  get(name: string): ZipEntry | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Inflates the entry, counting its real bytes against the shared budget and checking its CRC. */
  read(entry: ZipEntry): Uint8Array {
    return inflateEntry(this.bytes, entry, this.limits, this.budget);
  }

  /** The first `count` inflated bytes (for magic numbers), without inflating the rest. */
  peek(entry: ZipEntry, count: number): Uint8Array {
    return inflateEntry(this.bytes, entry, this.limits, this.budget, count);
  }
}

export function openZip(bytes: Uint8Array, limits: SanitizeLimits, options: OpenOptions = {}): ZipArchive {
  const budget = options.budget ?? new InflateBudget(limits.maxInflatedBytes);
  if (bytes.length > limits.maxBytes) {
    throw new Refusal('too-large', `ZIP: ${bytes.length} bytes (limit ${limits.maxBytes})`);
  }
  const r = new LeReader(bytes);
  if (bytes.length < EOCD_SIZE) throw malformed('too short to be a ZIP file');
  const eocd = findEocd(r);
  if (eocd >= 20 && r.u32(eocd - 20) === SIG_ZIP64_LOCATOR) throw malformed(ZIP64_REFUSAL);
  const disk = r.u16(eocd + 4);
  const cdDisk = r.u16(eocd + 6);
  const onDisk = r.u16(eocd + 8);
  const total = r.u16(eocd + 10);
  const cdSize = r.u32(eocd + 12);
  const cdOffset = r.u32(eocd + 16);
  if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw malformed(ZIP64_REFUSAL);
  if (disk !== 0 || cdDisk !== 0 || onDisk !== total)
    throw malformed('multi-disk archives are not supported');
  if (total > limits.maxEntries) {
    throw new Refusal('too-many-entries', `ZIP: ${total} entries (limit ${limits.maxEntries})`);
  }
  // No prefix (self-extractor stub) and no gap: the directory ends where the EOCD begins.
  if (cdOffset + cdSize !== eocd || cdSize < total * CENTRAL_HEADER_SIZE) {
    throw malformed('the central directory is not where the EOCD record says');
  }

  const records: CentralRecord[] = [];
  const seen = new Set<string>();
  let at = cdOffset;
  for (let i = 0; i < total; i++) {
    const { record, next } = parseCentral(r, at);
    const key = record.entry.name.toLowerCase();
    if (seen.has(key)) throw malformed(`duplicate entry name ${JSON.stringify(record.entry.name)}`);
    seen.add(key);
    records.push(record);
    at = next;
  }
  if (at !== eocd) throw malformed('the central directory size does not match its entries');

  const entries = records.map((c) => locate(r, c, cdOffset));
  refuseOverlaps(entries);
  for (const [i, c] of records.entries()) crossCheck(r, c, entries[i]!);
  checkDeclared(entries, limits, budget);
  return new ZipArchive(bytes, entries, limits, budget);
}
