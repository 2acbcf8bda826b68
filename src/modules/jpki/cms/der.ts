/**
 * A minimal reader of BER/DER tag-length-value elements (X.690 §8.1), for walking a CMS
 * SignedData without building an object for every part of it: a signature carries two or
 * three certificates, and a general ASN.1 parser decodes every one of their fields, which
 * cost most of a filing's verification. Only the offsets of each element are read here;
 * the caller decides which elements to look into. Anything malformed throws a plain Error,
 * which the caller turns into `encoding-invalid`.
 */

/** One element: its identifier octet and where its header and contents lie in `bytes`. */
export interface DerElement {
  readonly bytes: Uint8Array;
  /** The identifier octet: class, constructed bit and tag number (low-tag-number form only). */
  readonly tag: number;
  readonly start: number;
  /** First byte of the contents. */
  readonly contentStart: number;
  /** End of the contents (exclusive); for the indefinite form, before the end-of-contents octets. */
  readonly contentEnd: number;
  /** End of the whole element (exclusive). */
  readonly end: number;
}

/** Identifier octets Machi looks for (X.690 §8.1.2). */
export const derTags = {
  integer: 0x02,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  /** [0] and [1], constructed: EXPLICIT, or IMPLICIT over a constructed type. */
  context0: 0xa0,
  context1: 0xa1,
  /** [0] primitive: subjectKeyIdentifier in a SignerIdentifier (RFC 5652 §5.3). */
  context0Primitive: 0x80,
} as const;

/** Deep enough for any CMS or certificate; a bound so hostile nesting cannot exhaust the stack. */
const MAX_DEPTH = 32;

function fail(detail: string): never {
  throw new Error(`ASN.1: ${detail}`);
}

/** The element starting at `offset`, which must end by `limit`. */
export function readElement(bytes: Uint8Array, offset: number, limit = bytes.length, depth = 0): DerElement {
  if (depth > MAX_DEPTH) fail('nested too deeply');
  if (offset + 2 > limit) fail('truncated header');
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) fail('high tag numbers are not used in CMS');
  const first = bytes[offset + 1] as number;
  let position = offset + 2;
  if (first === 0x80) {
    // Indefinite length (BER, constructed only): the contents end at two zero octets.
    if ((tag & 0x20) === 0) fail('indefinite length on a primitive element');
    let child = position;
    for (;;) {
      if (child + 2 > limit) fail('missing end-of-contents');
      if (bytes[child] === 0 && bytes[child + 1] === 0) break;
      child = readElement(bytes, child, limit, depth + 1).end;
    }
    return { bytes, tag, start: offset, contentStart: position, contentEnd: child, end: child + 2 };
  }
  let length = first;
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4) fail('length too long');
    if (position + count > limit) fail('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[position + i] as number);
    position += count;
  }
  const end = position + length;
  if (end > limit) fail('contents run past their container');
  return { bytes, tag, start: offset, contentStart: position, contentEnd: end, end };
}

/** The elements inside a constructed element, in order. */
export function childrenOf(parent: DerElement, depth = 0): DerElement[] {
  if ((parent.tag & 0x20) === 0) fail('a primitive element has no children');
  const children: DerElement[] = [];
  let offset = parent.contentStart;
  while (offset < parent.contentEnd) {
    const child = readElement(parent.bytes, offset, parent.contentEnd, depth + 1);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The element with identifier `tag`, or a clear failure naming what was expected. */
export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (!element || element.tag !== tag) fail(`expected ${what}`);
  return element;
}

/** The whole element, header included, as a view (no copy). */
export function encodingOf(element: DerElement): Uint8Array {
  return element.bytes.subarray(element.start, element.end);
}

/** The contents only, as a view. */
export function contentsOf(element: DerElement): Uint8Array {
  return element.bytes.subarray(element.contentStart, element.contentEnd);
}

/** An OBJECT IDENTIFIER's dotted form (X.690 §8.19). */
export function oidOf(element: DerElement): string {
  if (element.tag !== derTags.oid) fail('expected an OBJECT IDENTIFIER');
  const parts: number[] = [];
  let value = 0;
  for (let i = element.contentStart; i < element.contentEnd; i++) {
    const byte = element.bytes[i] as number;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) fail('OBJECT IDENTIFIER arc too large');
    if ((byte & 0x80) === 0) {
      if (parts.length === 0)
        parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  if (parts.length === 0 || (element.bytes[element.contentEnd - 1] as number) & 0x80)
    fail('bad OBJECT IDENTIFIER');
  return parts.join('.');
}
