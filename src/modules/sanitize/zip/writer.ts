/**
 * A deterministic ZIP writer (APPNOTE.TXT 6.3.10 §4.3): the same files in the same order give
 * the same bytes, so rebuilt documents can be hashed and compared. Fixed timestamp (the DOS
 * epoch, 1980-01-01 00:00), no extra fields, no comments, deflate unless storing is smaller.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import {
  CENTRAL_HEADER_SIZE,
  checkEntryName,
  EOCD_SIZE,
  FLAG_UTF8,
  LOCAL_HEADER_SIZE,
  METHOD_DEFLATE,
  METHOD_STORED,
  SIG_CENTRAL,
  SIG_EOCD,
  SIG_LOCAL,
} from './format.ts';

export interface ZipFileInput {
  readonly name: string;
  readonly data: Uint8Array;
}

/** APPNOTE §4.4.6: MS-DOS date (1980-01-01) and time (00:00:00). */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** APPNOTE §4.4.3.2: 2.0 is the version that introduced deflate. */
const VERSION = 20;

interface Prepared {
  name: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  data: Uint8Array;
  size: number;
  offset: number;
}

export function writeZip(files: readonly ZipFileInput[]): Uint8Array {
  if (files.length >= 0xffff) throw new Error('writeZip: too many files for a non-ZIP64 archive');
  const encoder = new TextEncoder();
  const seen = new Set<string>();
  const prepared: Prepared[] = [];
  let offset = 0;
  for (const file of files) {
    checkEntryName(file.name);
    if (seen.has(file.name.toLowerCase())) throw new Error(`writeZip: duplicate name ${file.name}`);
    seen.add(file.name.toLowerCase());
    const name = encoder.encode(file.name);
    const deflated = deflateRawSync(file.data, { level: 6 });
    const store = deflated.length >= file.data.length;
    const data = store ? file.data : new Uint8Array(deflated.buffer, deflated.byteOffset, deflated.length);
    prepared.push({
      name,
      // APPNOTE Appendix D: bit 11 marks UTF-8 names; set only when the name is not ASCII.
      flags: name.length !== file.name.length ? FLAG_UTF8 : 0,
      method: store ? METHOD_STORED : METHOD_DEFLATE,
      crc: crc32(file.data),
      data,
      size: file.data.length,
      offset,
    });
    offset += LOCAL_HEADER_SIZE + name.length + data.length;
  }
  const cdSize = prepared.reduce((sum, p) => sum + CENTRAL_HEADER_SIZE + p.name.length, 0);
  if (offset + cdSize + EOCD_SIZE > 0xffffffff) throw new Error('writeZip: archive too large without ZIP64');

  const out = new Uint8Array(offset + cdSize + EOCD_SIZE);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of prepared) {
    view.setUint32(at, SIG_LOCAL, true);
    view.setUint16(at + 4, VERSION, true);
    view.setUint16(at + 6, p.flags, true);
    view.setUint16(at + 8, p.method, true);
    view.setUint16(at + 10, DOS_TIME, true);
    view.setUint16(at + 12, DOS_DATE, true);
    view.setUint32(at + 14, p.crc, true);
    view.setUint32(at + 18, p.data.length, true);
    view.setUint32(at + 22, p.size, true);
    view.setUint16(at + 26, p.name.length, true);
    view.setUint16(at + 28, 0, true);
    out.set(p.name, at + LOCAL_HEADER_SIZE);
    out.set(p.data, at + LOCAL_HEADER_SIZE + p.name.length);
    at += LOCAL_HEADER_SIZE + p.name.length + p.data.length;
  }
  for (const p of prepared) {
    view.setUint32(at, SIG_CENTRAL, true);
    view.setUint16(at + 4, VERSION, true); // made by: MS-DOS (0), version 2.0
    view.setUint16(at + 6, VERSION, true);
    view.setUint16(at + 8, p.flags, true);
    view.setUint16(at + 10, p.method, true);
    view.setUint16(at + 12, DOS_TIME, true);
    view.setUint16(at + 14, DOS_DATE, true);
    view.setUint32(at + 16, p.crc, true);
    view.setUint32(at + 20, p.data.length, true);
    view.setUint32(at + 24, p.size, true);
    view.setUint16(at + 28, p.name.length, true);
    // extra, comment, disk, internal and external attributes: all zero.
    view.setUint32(at + 42, p.offset, true);
    out.set(p.name, at + CENTRAL_HEADER_SIZE);
    at += CENTRAL_HEADER_SIZE + p.name.length;
  }
  view.setUint32(at, SIG_EOCD, true);
  view.setUint16(at + 8, prepared.length, true);
  view.setUint16(at + 10, prepared.length, true);
  view.setUint32(at + 12, cdSize, true);
  view.setUint32(at + 16, offset, true);
  return out;
}
