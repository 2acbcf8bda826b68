import { hash as digest } from 'node:crypto';
import {
  AsnArray,
  AsnConvert,
  AsnIntegerArrayBufferConverter,
  AsnProp,
  AsnPropTypes,
  AsnType,
  AsnTypeTypes,
  OctetString,
} from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, GeneralName, GeneralNames } from '@peculiar/asn1-x509';
import { childrenOf, contentsOf, derTags, expectTag, oidOf, readElement } from './der.ts';

/**
 * ESS signing-certificate attributes (RFC 2634 §5.4, RFC 5035 §3). Signing the hash of
 * the signer's certificate binds the signature to that one certificate: without it, a
 * second certificate for the same key (re-issued with another address, say) could be
 * put in its place and the signature would still verify.
 *
 * The classes are declared without decorator syntax (the project compiles with standard
 * decorators; @peculiar/asn1-schema expects the legacy form, which is a plain call).
 */
export const id_aa_signingCertificate = '1.2.840.113549.1.9.16.2.12';
export const id_aa_signingCertificateV2 = '1.2.840.113549.1.9.16.2.47';

const hashByOid: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber } */
class IssuerSerial {
  issuer = new GeneralNames();
  serialNumber = new ArrayBuffer(0);
  constructor(params: Partial<IssuerSerial> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: GeneralNames })(IssuerSerial.prototype, 'issuer');
AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })(
  IssuerSerial.prototype,
  'serialNumber',
);

/**
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {id-sha256},
 *   certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
 * DER omits a DEFAULT value (X.690 §11.5), so SHA-256 is written as an absent field.
 * ESSCertID (v1) is the same without hashAlgorithm and always SHA-1, so one class reads both.
 */
class EssCertId {
  hashAlgorithm?: AlgorithmIdentifier;
  certHash = new OctetString();
  issuerSerial?: IssuerSerial;
  constructor(params: Partial<EssCertId> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AlgorithmIdentifier, optional: true })(EssCertId.prototype, 'hashAlgorithm');
AsnProp({ type: OctetString })(EssCertId.prototype, 'certHash');
AsnProp({ type: IssuerSerial, optional: true })(EssCertId.prototype, 'issuerSerial');

class EssCertIds extends AsnArray<EssCertId> {}
AsnType({ type: AsnTypeTypes.Sequence, itemType: EssCertId })(EssCertIds);

/** SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies … OPTIONAL } */
class SigningCertificate {
  certs = new EssCertIds();
  policies?: ArrayBuffer;
  constructor(params: Partial<SigningCertificate> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: EssCertIds })(SigningCertificate.prototype, 'certs');
AsnProp({ type: AsnPropTypes.Any, optional: true })(SigningCertificate.prototype, 'policies');

/** The DER value of a signingCertificateV2 attribute naming `certificate` (SHA-256, with issuerSerial). */
export function signingCertificateV2(certificate: Uint8Array): ArrayBuffer {
  const parsed = AsnConvert.parse(certificate, Certificate);
  const id = new EssCertId({
    certHash: new OctetString(digest('sha256', certificate, 'buffer')),
    issuerSerial: new IssuerSerial({
      issuer: new GeneralNames([new GeneralName({ directoryName: parsed.tbsCertificate.issuer })]),
      serialNumber: parsed.tbsCertificate.serialNumber,
    }),
  });
  return AsnConvert.serialize(new SigningCertificate({ certs: new EssCertIds([id]) }));
}

/**
 * Whether an ESS attribute value names `certificate`. Only the first ESSCertID identifies
 * the signer's own certificate (RFC 5035 §3); the others may name its chain. The hash
 * covers the whole certificate, issuer and serial included, so issuerSerial adds nothing
 * to check. Read with the DER walker (a verification's hot path); throws when the value
 * does not parse, and the caller maps that to an error code.
 */
export function namesCertificate(value: ArrayBuffer, version: 1 | 2, certificate: Uint8Array): boolean {
  const bytes = new Uint8Array(value);
  const outer = readElement(bytes, 0);
  if (outer.end !== bytes.length) throw new Error('trailing bytes after SigningCertificate');
  const [certs] = childrenOf(expectTag(outer, derTags.sequence, 'SigningCertificate'));
  const [first] = childrenOf(expectTag(certs, derTags.sequence, 'certs'));
  if (!first) return false;
  const fields = childrenOf(expectTag(first, derTags.sequence, 'ESSCertID'));
  // hashAlgorithm is present only in v2, and only when it is not the DEFAULT SHA-256.
  const algorithm = fields[0]?.tag === derTags.sequence ? fields.shift() : undefined;
  if (version === 1 && algorithm) throw new Error('ESSCertID has no hashAlgorithm.');
  const oid = algorithm
    ? oidOf(expectTag(childrenOf(algorithm)[0], derTags.oid, 'hashAlgorithm'))
    : version === 1
      ? '1.3.14.3.2.26'
      : '2.16.840.1.101.3.4.2.1';
  const hash = hashByOid[oid];
  if (!hash) return false;
  const certHash = contentsOf(expectTag(fields[0], derTags.octetString, 'certHash'));
  return Buffer.from(certHash).equals(digest(hash, certificate, 'buffer'));
}
