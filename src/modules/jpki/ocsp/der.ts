import { AsnParser } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';

/** One DER value read once: the schema object and the asn1js tree it was read from (for raw bytes). */
export interface ParsedExactly<T> {
  readonly value: T;
  readonly tree: asn1js.AsnType;
}

/**
 * Parses exactly one DER value of `type`, or throws. asn1-schema alone ignores bytes after
 * the value; checking the length through asn1js catches a truncated or padded message
 * without re-encoding, which would wrongly refuse a sender's harmless BER choices. The
 * bytes are read once (asn1js), and the schema object is built from that same tree: what
 * `AsnConvert.parse` would do after a second read of its own.
 */
export function parseTree<T>(der: Uint8Array | ArrayBuffer, type: new () => T): ParsedExactly<T> {
  // A buffer of exactly these bytes, as AsnConvert.parse makes: a view may share a larger one.
  const buffer = (der instanceof Uint8Array ? der : new Uint8Array(der)).slice().buffer;
  const ber = asn1js.fromBER(buffer);
  if (ber.offset === -1 || ber.result.error || ber.offset !== buffer.byteLength) {
    throw new Error('not exactly one DER value');
  }
  return { value: AsnParser.fromASN(ber.result, type) as T, tree: ber.result };
}

export function parseExactly<T>(der: Uint8Array | ArrayBuffer, type: new () => T): T {
  return parseTree(der, type).value;
}
