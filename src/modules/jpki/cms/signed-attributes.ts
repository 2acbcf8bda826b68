import { Attribute, SigningTime } from '@peculiar/asn1-cms';
import { AsnArray, AsnConvert, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { fromBER, ObjectIdentifier } from 'asn1js';
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
  const oid = fromBER(contentType).result;
  return {
    contentType: oid instanceof ObjectIdentifier ? oid.getValue() : '',
    messageDigest: new Uint8Array(AsnConvert.parse(digest, OctetString).buffer),
    signingTime: time ? AsnConvert.parse(time, SigningTime).getTime() : undefined,
    ess: [
      ...(essV2 ? [{ value: essV2, version: 2 as const }] : []),
      ...(essV1 ? [{ value: essV1, version: 1 as const }] : []),
    ],
  };
}
