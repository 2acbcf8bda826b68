/**
 * ZIP on-disk constants and small readers (PKWARE APPNOTE.TXT 6.3.10). Everything here is
 * defensive: a read past the end of the buffer is a malformed archive, never an exception
 * of another kind.
 */
import { Refusal } from '../types.ts';

/** APPNOTE §4.3.7 local file header, §4.3.12 central directory header, §4.3.16 EOCD. */
export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_EOCD = 0x06054b50;
/** APPNOTE §4.3.15 ZIP64 end of central directory locator, §4.3.14 ZIP64 EOCD record. */
export const SIG_ZIP64_LOCATOR = 0x07064b50;
export const SIG_ZIP64_EOCD = 0x06064b50;
/** APPNOTE §4.3.9.3: the optional signature of a data descriptor. */
export const SIG_DATA_DESCRIPTOR = 0x08074b50;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const EOCD_SIZE = 22;
/** The EOCD comment length is a 16-bit field, so the EOCD starts at most this far from the end. */
export const MAX_COMMENT = 0xffff;

/** APPNOTE §4.4.5: the only methods allowed. */
export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;
/** APPNOTE Appendix E (WinZip AES), a sign of encryption. */
export const METHOD_AES = 99;

/** APPNOTE §4.4.4 general purpose bit flag. */
export const FLAG_ENCRYPTED = 1 << 0;
export const FLAG_DATA_DESCRIPTOR = 1 << 3;
export const FLAG_STRONG_ENCRYPTION = 1 << 6;
export const FLAG_UTF8 = 1 << 11;
export const FLAG_MASKED_HEADERS = 1 << 13;

export function malformed(message: string): Refusal {
  return new Refusal('malformed', `ZIP: ${message}`);
}

/** A bounds-checked little-endian view: out-of-range reads refuse the archive. */
export class LeReader {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.length;
  }
  private check(offset: number, size: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + size > this.bytes.length) {
      throw malformed(`${what} lies outside the file`);
    }
  }
  u16(offset: number, what = 'a field'): number {
    this.check(offset, 2, what);
    return this.view.getUint16(offset, true);
  }
  u32(offset: number, what = 'a field'): number {
    this.check(offset, 4, what);
    return this.view.getUint32(offset, true);
  }
  slice(offset: number, size: number, what = 'a field'): Uint8Array {
    this.check(offset, size, what);
    return this.bytes.subarray(offset, offset + size);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Entry names: UTF-8 when flag bit 11 says so (APPNOTE Appendix D); otherwise CP437 by the
 * letter of the spec, but in practice often UTF-8 or Shift_JIS. We try UTF-8 and fall back to a
 * byte-preserving Latin-1 reading: names are only compared and checked, never used as paths.
 */
export function decodeName(raw: Uint8Array, flags: number): string {
  try {
    return utf8.decode(raw);
  } catch {
    if (flags & FLAG_UTF8) throw malformed('an entry name flagged UTF-8 is not valid UTF-8');
    return latin1.decode(raw);
  }
}

/**
 * APPNOTE §4.4.17.1: names are relative, with forward slashes, no drive letter. We also refuse
 * '.' and '..' segments, empty segments and control characters, so no name can escape a folder
 * ("zip slip") or collide with another after normalisation.
 */
export function checkEntryName(name: string): void {
  if (name.length === 0) throw malformed('an entry has an empty name');
  if (name.includes('\\')) throw malformed(`entry name contains a backslash: ${JSON.stringify(name)}`);
  if (name.startsWith('/')) throw malformed(`entry name is absolute: ${JSON.stringify(name)}`);
  if (/^[A-Za-z]:/.test(name)) throw malformed(`entry name has a drive letter: ${JSON.stringify(name)}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) throw malformed('entry name contains control characters');
  const segments = name.endsWith('/') ? name.slice(0, -1).split('/') : name.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw malformed(`entry name has an empty, '.' or '..' segment: ${JSON.stringify(name)}`);
    }
  }
}
