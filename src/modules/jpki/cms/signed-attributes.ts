import { Attribute } from '@peculiar/asn1-cms';
import { AsnArray, AsnConvert, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import { contentsOf, type DerElement, derTags, expectTag, oidOf, readElement } from './der.ts';
import { id_aa_signingCertificate, id_aa_signingCertificateV2 } from './ess.ts';

/** Object identifiers of the CMS parts Machi writes and reads (RFC 5652 §11, RFC 5754, RFC 4055). */
export const cmsOids = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
} as const;

class AttributeSet extends AsnArray<Attribute> {}
AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })(AttributeSet);

/** X.690 §11.6: SET OF components in ascending order of their encodings, shorter ones padded with 0s. */
function compareEncodings(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Items in DER SET OF order, for any SET OF asn1-schema would otherwise write in array order. */
export function sortedByEncoding<T>(items: readonly T[], encode: (item: T) => ArrayBuffer): T[] {
  return items
    .map((item) => ({ item, der: new Uint8Array(encode(item)) }))
    .sort((a, b) => compareEncodings(a.der, b.der))
    .map(({ item }) => item);
}

/**
 * The signed attributes in DER order, and the bytes the signature covers: their DER
 * encoding with an explicit SET OF tag, not the [0] IMPLICIT tag they carry inside the
 * SignerInfo (RFC 5652 §5.4). Signer and verifier both come through here, so a verifier
 * re-encodes exactly as the signer did; OpenSSL re-encodes the same way when it verifies.
 * Asn1-schema writes a SET OF in array order, hence the explicit sort (values, then attributes).
 */
export function encodeSignedAttributes(attributes: readonly Attribute[]): {
  sorted: Attribute[];
  der: Uint8Array;
} {
  const canonical = attributes.map(
    (attribute) =>
      new Attribute({
        attrType: attribute.attrType,
        attrValues: sortedByEncoding(attribute.attrValues, (value) => value),
      }),
  );
  const sorted = sortedByEncoding(canonical, (attribute) => AsnConvert.serialize(attribute));
  return { sorted, der: new Uint8Array(AsnConvert.serialize(new AttributeSet(sorted))) };
}

/** An attribute as read from a signature: its type and each value's DER. */
export interface SignedAttribute {
  readonly attrType: string;
  readonly attrValues: ArrayBuffer[];
}

/**
 * The one value of a signed attribute, or undefined when absent. RFC 5652 §11 forbids a
 * second instance of contentType, messageDigest or signingTime and a second value in
 * each; a duplicate could make two readers see two different messages, so it is refused.
 */
export function singleValue(attributes: readonly SignedAttribute[], oid: string): ArrayBuffer | undefined {
  const found = attributes.filter((attribute) => attribute.attrType === oid);
  if (found.length === 0) return undefined;
  const values = found[0]?.attrValues ?? [];
  if (found.length > 1 || values.length !== 1) throw new Error(`Attribute ${oid} must have one value.`);
  return values[0];
}

/** A DER value that must be one element of `tag`, nothing after it. */
function single(value: ArrayBuffer, tag: number, what: string): DerElement {
  const bytes = new Uint8Array(value);
  const element = expectTag(readElement(bytes, 0), tag, what);
  if (element.end !== bytes.length) throw new Error(`trailing bytes after ${what}`);
  return element;
}

/**
 * A signingTime (RFC 5652 §11.3): UTCTime YYMMDDHHMMSSZ (years 1950–2049) or GeneralizedTime
 * YYYYMMDDHHMMSSZ, both in UTC with seconds, as DER writes them (X.690 §11.7, §11.8).
 */
function signingTimeOf(value: ArrayBuffer): Date {
  const bytes = new Uint8Array(value);
  const element = readElement(bytes, 0);
  if (element.end !== bytes.length) throw new Error('trailing bytes after signingTime');
  const text = Buffer.from(contentsOf(element)).toString('latin1');
  // UTCTime has two year digits: 50–99 are 1950–1999, 00–49 are 2000–2049 (§11.3).
  const utc = element.tag === 0x17 ? text.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/) : null;
  const general = element.tag === 0x18 ? text.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/) : null;
  const match = utc ?? general;
  if (!match) throw new Error('signingTime is neither a UTCTime nor a GeneralizedTime in UTC');
  const year = utc ? Number(utc[1]) + (Number(utc[1]) < 50 ? 2000 : 1900) : Number(match[1]);
  const [, , month, day, hour, minute, second] = match.map(Number);
  const at = new Date(Date.UTC(year, (month as number) - 1, day, hour, minute, second));
  if (at.getUTCMonth() !== (month as number) - 1 || at.getUTCDate() !== day)
    throw new Error('signingTime is not a date');
  return at;
}

/**
 * What the signed attributes say, once the signature over them has verified. Throws a
 * plain Error when one does not parse or contentType or messageDigest is missing (§5.3).
 */
export function readSignedAttributes(attributes: readonly SignedAttribute[]) {
  const contentType = singleValue(attributes, cmsOids.contentType);
  const digest = singleValue(attributes, cmsOids.messageDigest);
  const time = singleValue(attributes, cmsOids.signingTime);
  const essV2 = singleValue(attributes, id_aa_signingCertificateV2);
  const essV1 = singleValue(attributes, id_aa_signingCertificate);
  if (!contentType || !digest) throw new Error('contentType and messageDigest are required (§5.3).');
  return {
    contentType: oidOf(single(contentType, derTags.oid, 'contentType')),
    messageDigest: new Uint8Array(contentsOf(single(digest, derTags.octetString, 'messageDigest'))),
    signingTime: time ? signingTimeOf(time) : undefined,
    ess: [
      ...(essV2 ? [{ value: essV2, version: 2 as const }] : []),
      ...(essV1 ? [{ value: essV1, version: 1 as const }] : []),
    ],
  };
}
