/**
 * The /ByteRange and /Contents hole of a PDF signature (ISO 32000-1 §12.8.1): the signature
 * covers every byte of the file except the hole, which holds the CMS SignedData in hex.
 * Works on the raw bytes: a notice is saved without object streams, so the signature
 * dictionary is plain text in the file, and an edit anywhere changes what the CMS covers.
 */
import { MachiError } from '../../../core/index.ts';
import { CONTENTS_BYTES, OFFSET_PLACEHOLDER } from './signature-field.ts';

const latin1 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

const escaped = OFFSET_PLACEHOLDER.replace(/\*/g, '\\*');
const PLACEHOLDER_RANGE = new RegExp(`/ByteRange\\s*\\[\\s*0(\\s+/${escaped}){3}\\s*\\]`, 'g');
const FILLED_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The hole `<…>` of /Contents after `from`: offsets of its `<` and just past its `>`. */
function holeAfter(text: string, from: number): { start: number; end: number } {
  const match = /\/Contents\s*</.exec(text.slice(from, from + 200));
  if (!match) throw new Error('The signature dictionary has no /Contents after its /ByteRange.');
  const start = from + match.index + match[0].length - 1;
  const end = text.indexOf('>', start) + 1;
  return { start, end };
}

/**
 * Completes a PDF saved with an empty signature field: writes the ByteRange in place of its
 * placeholders (no byte moves), has `sign` sign the covered bytes, and puts its CMS in the hole.
 */
export async function fillSignature(
  saved: Uint8Array,
  sign: (covered: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const text = latin1(saved);
  const found = [...text.matchAll(PLACEHOLDER_RANGE)];
  if (found.length !== 1 || !found[0]) throw new Error('Expected exactly one empty signature field.');
  const range = found[0];
  const { start, end } = holeAfter(text, range.index + range[0].length);
  if (end - start !== CONTENTS_BYTES * 2 + 2) throw new Error('The /Contents hole is not the size reserved.');

  const numbers = `[0 ${start} ${end} ${saved.length - end}`;
  const array = range[0].slice(range[0].indexOf('['));
  const written = `${numbers}${' '.repeat(array.length - numbers.length - 1)}]`;
  const out = new Uint8Array(saved);
  out.set(Buffer.from(written, 'latin1'), range.index + range[0].length - array.length);

  const cms = await sign(concat(out.subarray(0, start), out.subarray(end)));
  if (cms.length > CONTENTS_BYTES)
    throw new Error(`The CMS signature (${cms.length} bytes) does not fit the hole.`);
  out.set(Buffer.from(Buffer.from(cms).toString('hex').toUpperCase(), 'latin1'), start + 1);
  return out;
}

/** The length of the DER element at the start of `der` (X.690 §8.1.3), or undefined if it is not one. */
function derLength(der: Uint8Array): number | undefined {
  const first = der[1];
  if (der[0] !== 0x30 || first === undefined) return undefined;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || der.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[2 + i] ?? 0);
  return 2 + count + length;
}

const altered = (detail: string) => new MachiError('document-altered', detail);
const malformed = (detail: string) => new MachiError('encoding-invalid', detail);

/**
 * The one signature of a notice: the bytes it covers and its CMS. Refuses, before any
 * cryptography, a file whose ByteRange does not cover it whole except the hole — above all
 * one with bytes after the signed range, which is what an incremental update (§7.5.6)
 * appended after signing looks like — and a hole holding anything but the CMS and zeros.
 */
export function readSignature(bytes: Uint8Array): { covered: Uint8Array; cms: Uint8Array } {
  const text = latin1(bytes);
  const ranges = [...text.matchAll(FILLED_RANGE)];
  const mentions = text.split('/ByteRange').length - 1;
  if (mentions === 0) throw malformed('The PDF carries no signature.');
  if (mentions > 1)
    throw altered('The PDF carries more than one signature: it was changed after it was signed.');
  const range = ranges[0];
  if (!range) throw malformed('The /ByteRange of the signature cannot be read.');
  const [a, b, c, d] = range.slice(1, 5).map(Number) as [number, number, number, number];
  if (a !== 0 || b <= 0 || c <= b || c + d > bytes.length) {
    throw altered('The /ByteRange of the signature does not fit the file.');
  }
  if (c + d < bytes.length) {
    throw altered(
      'Bytes were added after the signed part (an incremental update): the notice was changed after it was signed.',
    );
  }
  const hole = text.slice(b, c);
  if (!/^<(?:[0-9A-Fa-f]{2})+>$/.test(hole) || !/\/Contents\s*$/.test(text.slice(Math.max(0, b - 40), b))) {
    throw altered('The unsigned part of the file is not the signature value alone.');
  }
  const contents = Buffer.from(hole.slice(1, -1), 'hex');
  const length = derLength(contents);
  if (length === undefined || length > contents.length) throw malformed('The signature value is not DER.');
  if (contents.subarray(length).some((byte) => byte !== 0)) {
    throw altered('The unsigned padding after the signature value was changed.');
  }
  return {
    covered: concat(bytes.subarray(0, b), bytes.subarray(c, c + d)),
    cms: new Uint8Array(contents.subarray(0, length)),
  };
}
