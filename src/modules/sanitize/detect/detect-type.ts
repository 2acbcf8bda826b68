import type { DetectedType } from '../types.ts';
import { decodeText } from './decode-text.ts';
import { looksLikeCsv } from './looks-like-csv.ts';

/** The types Machi passes inward (after rebuilding them); everything else is refused. */
export const ALLOWED_TYPES: ReadonlySet<DetectedType> = new Set([
  'pdf',
  'jpeg',
  'png',
  'heif',
  'tiff',
  'docx',
  'xlsx',
  'csv',
  'text',
]);

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  for (let i = 0; i < signature.length; i++) if (bytes[at + i] !== signature[i]) return false;
  return true;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  if (from >= bytes.length) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.min(to, bytes.length) - from).toString(
    'latin1',
  );
}

// ISO/IEC 23008-12 (HEIF) and ISO/IEC 14496-12 §4.3: an `ftyp` box first, naming its brands.
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

function heifBrand(bytes: Uint8Array): boolean {
  if (ascii(bytes, 4, 8) !== 'ftyp' || bytes.length < 16) return false;
  const size = Math.min(bytes.length, (bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!);
  if (HEIF_BRANDS.has(ascii(bytes, 8, 12))) return true;
  for (let at = 16; at + 4 <= size; at += 4) if (HEIF_BRANDS.has(ascii(bytes, at, at + 4))) return true;
  return false;
}

/**
 * What the bytes are, from their magic numbers and structure only: a file's name and its
 * declared media type are what an attacker chooses, so neither is asked. ZIP containers are
 * told apart (OOXML or a plain archive) by the ooxml module, which reads their parts.
 */
export function detectType(bytes: Uint8Array): DetectedType {
  if (bytes.length === 0) return 'unknown';
  if (ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  if (heifBrand(bytes)) return 'heif';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return 'zip';
  // Compound File Binary (legacy .doc/.xls, and password-protected OOXML).
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (isExecutable(bytes)) return 'executable';
  if (isOtherArchive(bytes)) return 'zip';
  // ISO 32000-2 §7.5.2 puts the header first, but readers accept it within the first 1,024
  // bytes: a file that some viewer would open as a PDF is handled as one.
  if (ascii(bytes, 0, 1024).includes('%PDF-')) return 'pdf';
  return detectText(bytes);
}

function isExecutable(bytes: Uint8Array): boolean {
  return (
    ascii(bytes, 0, 2) === 'MZ' || // PE (Windows)
    startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46]) || // ELF
    startsWith(bytes, [0xfe, 0xed, 0xfa, 0xce]) ||
    startsWith(bytes, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(bytes, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(bytes, [0xcf, 0xfa, 0xed, 0xfe]) || // Mach-O
    startsWith(bytes, [0xca, 0xfe, 0xba, 0xbe]) || // Mach-O universal, Java class
    startsWith(bytes, [0x00, 0x61, 0x73, 0x6d]) // WebAssembly
  );
}

/** Archives other than ZIP: refused like ZIP where no procedure allows them. */
function isOtherArchive(bytes: Uint8Array): boolean {
  return (
    startsWith(bytes, [0x1f, 0x8b]) || // gzip
    ascii(bytes, 0, 6) === 'Rar!\x1a\x07' ||
    startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) || // 7z
    startsWith(bytes, [0x42, 0x5a, 0x68]) || // bzip2
    startsWith(bytes, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) || // xz
    startsWith(bytes, [0x28, 0xb5, 0x2f, 0xfd]) || // zstd
    ascii(bytes, 257, 262) === 'ustar' || // tar
    ascii(bytes, 0, 4) === 'MSCF' // cab
  );
}

function detectText(bytes: Uint8Array): DetectedType {
  const decoded = decodeText(bytes.subarray(0, 64 * 1024), { partial: bytes.length > 64 * 1024 });
  if (!decoded) return 'unknown';
  const head = decoded.text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('#!')) return 'script';
  // Markup whose viewers run scripts: SVG (unless rasterised, which Machi does not do) and HTML.
  const opening = head
    .replace(/^<\?xml[^>]*\?>\s*/i, '')
    .replace(/^(<!--[\s\S]*?-->\s*)+/, '')
    .replace(/^<!DOCTYPE\s+(\w+)[^>]*>\s*/i, (_, root: string) => `<${root} `)
    .slice(0, 512)
    .toLowerCase();
  if (opening.startsWith('<svg')) return 'svg';
  if (/^<(html|head|body|script|iframe|object|embed)\b/.test(opening)) return 'html';
  if (/^<\?xml/i.test(head) && /<svg[\s>]/i.test(head.slice(0, 4096))) return 'svg';
  return looksLikeCsv(decoded.text) ? 'csv' : 'text';
}
