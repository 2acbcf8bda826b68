import { hash as digest } from 'node:crypto';
import { CertID } from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { MachiError } from '../../../core/index.ts';
import type { x509 } from '../pki/crypto.ts';

/** The CertID hash algorithms we read: SHA-1 because OpenSSL and most clients still send it. */
export type CertIdHashAlgorithm = 'SHA-1' | 'SHA-256';

const hashOids: Record<CertIdHashAlgorithm, string> = {
  'SHA-1': '1.3.14.3.2.26',
  'SHA-256': '2.16.840.1.101.3.4.2.1',
};
const nodeHash: Record<CertIdHashAlgorithm, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256' };

/** A CertID (RFC 6960 §4.1.1) as plain values: hashes and serial as lowercase hex. */
export interface CertIdKey {
  readonly hashAlgorithm: CertIdHashAlgorithm;
  readonly issuerNameHash: string;
  readonly issuerKeyHash: string;
  /** As `x509.X509Certificate.serialNumber` writes it, so that it can be looked up as stored. */
  readonly serialNumber: string;
}

/** A fresh copy: a Buffer may be a view into Node's shared pool, which asn1-schema would read whole. */
export function hash(algorithm: CertIdHashAlgorithm, data: Uint8Array): Uint8Array {
  return new Uint8Array(digest(nodeHash[algorithm], data, 'buffer'));
}

export function hashHex(algorithm: CertIdHashAlgorithm, data: Uint8Array): string {
  return digest(nodeHash[algorithm], data);
}

/** The issuer's name and key bytes, read once per parsed certificate (a CA's are asked for at every OCSP check). */
export interface IssuerParts {
  readonly name: Uint8Array;
  readonly key: Uint8Array;
}

const partsCache = new WeakMap<x509.X509Certificate, IssuerParts>();

/**
 * The issuer's name exactly as encoded in its certificate and its public key's BIT STRING
 * contents (RFC 6960 §4.1.1: "excluding the tag and length fields"). The name is taken as
 * the original bytes, never re-encoded, because the hash must match what others compute.
 * Kept per certificate object (whose bytes never change): reading them costs two ASN.1
 * parses of the certificate. The arrays are shared: callers only hash or compare them.
 */
export function issuerParts(issuer: x509.X509Certificate): IssuerParts {
  let parts = partsCache.get(issuer);
  if (!parts) {
    parts = readIssuerParts(issuer);
    partsCache.set(issuer, parts);
  }
  return parts;
}

function readIssuerParts(issuer: x509.X509Certificate): IssuerParts {
  const asn = asn1js.fromBER(issuer.rawData);
  const tbs = asn.offset === -1 ? undefined : (asn.result as asn1js.Sequence).valueBlock.value[0];
  const fields = (tbs as asn1js.Sequence | undefined)?.valueBlock.value ?? [];
  // version is an optional [0]; subject is then the sixth or fifth field (RFC 5280 §4.1).
  const at = fields[0]?.idBlock.tagClass === 3 ? 1 : 0;
  const subject = fields[at + 4];
  if (!subject) throw new MachiError('encoding-invalid', 'The issuer certificate is not valid DER.');
  const parsed = AsnConvert.parse(issuer.rawData, Certificate);
  return {
    name: new Uint8Array(subject.valueBeforeDecodeView),
    key: new Uint8Array(parsed.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey),
  };
}

/** Mirrors @peculiar/x509's serial rendering: one sign-padding zero dropped, lowercase hex. */
export function serialHex(integer: ArrayBuffer | Uint8Array): string {
  let bytes = new Uint8Array(integer);
  if (bytes.length > 1 && bytes[0] === 0 && bytes[1]! > 0x7f) bytes = bytes.slice(1);
  return Buffer.from(bytes).toString('hex');
}

const serialCache = new WeakMap<x509.X509Certificate, ArrayBuffer>();

/** The serial's INTEGER contents as encoded; kept per certificate object (one full parse each). */
function serialBytes(certificate: x509.X509Certificate): ArrayBuffer {
  let serial = serialCache.get(certificate);
  if (!serial) {
    serial = AsnConvert.parse(certificate.rawData, Certificate).tbsCertificate.serialNumber;
    serialCache.set(certificate, serial);
  }
  // A copy each time: the CertID built from it is the caller's to keep.
  return serial.slice(0);
}

/** The CertID naming `certificate`, as a client builds it for a request. */
export function certIdFor(
  certificate: x509.X509Certificate,
  issuer: x509.X509Certificate,
  algorithm: CertIdHashAlgorithm = 'SHA-256',
): CertID {
  const parts = issuerParts(issuer);
  return new CertID({
    // NULL parameters as OpenSSL writes them; RFC 5754 §2 obliges readers to take either form.
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: hashOids[algorithm], parameters: null }),
    issuerNameHash: new OctetString(hash(algorithm, parts.name)),
    issuerKeyHash: new OctetString(hash(algorithm, parts.key)),
    serialNumber: serialBytes(certificate),
  });
}

/** Plain values of a CertID read off the wire; an unknown hash algorithm is malformed for us. */
export function keyOf(certId: CertID): CertIdKey {
  const entry = Object.entries(hashOids).find(([, oid]) => oid === certId.hashAlgorithm.algorithm);
  if (!entry) {
    throw new MachiError('encoding-invalid', 'The CertID hash algorithm is not SHA-1 or SHA-256.');
  }
  const hex = (value: OctetString) => Buffer.from(value.buffer).toString('hex');
  return {
    hashAlgorithm: entry[0] as CertIdHashAlgorithm,
    issuerNameHash: hex(certId.issuerNameHash),
    issuerKeyHash: hex(certId.issuerKeyHash),
    serialNumber: serialHex(certId.serialNumber),
  };
}

/** Whether a CertID names a certificate of `issuer` (name and key hash in the CertID's algorithm). */
export function issuedBy(key: CertIdKey, issuer: IssuerParts): boolean {
  const hashes = partHashes(issuer, key.hashAlgorithm);
  return key.issuerNameHash === hashes.name && key.issuerKeyHash === hashes.key;
}

// The hex hashes of an issuer's parts per algorithm: the responder and the client compare
// every CertID against them, and the parts of a CA never change (see issuerParts).
const hashCache = new WeakMap<
  IssuerParts,
  Partial<Record<CertIdHashAlgorithm, { name: string; key: string }>>
>();

function partHashes(issuer: IssuerParts, algorithm: CertIdHashAlgorithm): { name: string; key: string } {
  let byAlgorithm = hashCache.get(issuer);
  if (!byAlgorithm) {
    byAlgorithm = {};
    hashCache.set(issuer, byAlgorithm);
  }
  let hashes = byAlgorithm[algorithm];
  if (!hashes) {
    hashes = { name: hashHex(algorithm, issuer.name), key: hashHex(algorithm, issuer.key) };
    byAlgorithm[algorithm] = hashes;
  }
  return hashes;
}
