// DER (ITU-T X.690), just what the browser card writes and reads: PKCS#10 requests
// (RFC 2986), CMS signatures (RFC 5652) and the two fields it needs from a certificate.
// A plain ES module without dependencies: the browser loads it from /assets/jpki/der.js,
// Node imports it in tests. Base64 is here too: the text form DER travels in.

/** X.690 §8.1.3: the short form below 128, else 0x80 | count and the length big-endian. */
export function encodeLength(n) {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** One tag-length-value; the tag is a single byte (every tag we write is below 31). */
export const tlv = (tag, content) => concat(Uint8Array.of(tag), encodeLength(content.length), content);
export const sequence = (...parts) => tlv(0x30, concat(...parts));
/** [n] of a constructed type: an EXPLICIT tag, or an IMPLICIT one over a SEQUENCE/SET's content. */
export const contextTag = (n, content) => tlv(0xa0 | n, content);
export const octetString = (bytes) => tlv(0x04, bytes);
export const bitString = (bytes) => tlv(0x03, concat(Uint8Array.of(0), bytes));
export const utf8String = (text) => tlv(0x0c, new TextEncoder().encode(text));
export const NULL = Uint8Array.of(0x05, 0x00);

/** X.690 §11.6: SET OF components in ascending order of their encodings, the shorter padded with 0s. */
export function compareEncodings(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
/** SET OF, sorted as DER requires: a verifier re-encodes signed attributes and must get our bytes. */
export const setOf = (...items) => tlv(0x31, concat(...[...items].sort(compareEncodings)));

/** A non-negative INTEGER (X.690 §8.3): minimal bytes, a leading 0 when the top bit is set. */
export function integer(n) {
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes.length === 0 || (bytes[0] ?? 0) >= 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

/** OBJECT IDENTIFIER (X.690 §8.19): the first two arcs as 40·a + b, each arc base 128. */
export function objectIdentifier(dotted) {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups = [arc % 128];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v % 128));
    bytes.push(...groups);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

/**
 * A time as RFC 5280 §4.1.2.5 and RFC 5652 §11.3 want it: UTCTime (YYMMDDHHMMSSZ) for
 * 1950–2049, GeneralizedTime (YYYYMMDDHHMMSSZ) otherwise; whole seconds, UTC.
 */
export function time(date) {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  const utc = year >= 1950 && year < 2050;
  return tlv(utc ? 0x17 : 0x18, new TextEncoder().encode(`${utc ? digits.slice(2) : digits}Z`));
}

/**
 * The TLV at `offset`: its tag, where its content starts and where it ends. DER only:
 * one-byte tags and definite lengths; anything else, or a length past the end, throws.
 */
export function readTlv(bytes, offset = 0) {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f) throw new Error('Not DER.');
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error('Not DER: indefinite or huge length.');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[start + i] ?? Number.NaN);
    start += count;
  }
  const end = start + length;
  if (!(end <= bytes.length)) throw new Error('Not DER: truncated.');
  return { tag, offset, start, end };
}

/** The TLVs inside a constructed one, in order. */
export function children(bytes, parent) {
  const found = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = readTlv(bytes, at);
    if (child.end > parent.end) throw new Error('Not DER: child overruns its parent.');
    found.push(child);
    at = child.end;
  }
  return found;
}

/** Base64 in chunks: spreading a large array into String.fromCharCode overflows the stack. */
export function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}
export const fromBase64 = (text) => Uint8Array.from(atob(text.replace(/\s/g, '')), (c) => c.charCodeAt(0));
/** The DER inside a PEM block (RFC 7468), whatever its label. */
export const pemToDer = (pem) => fromBase64(pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, ''));
