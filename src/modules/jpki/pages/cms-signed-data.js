// A detached CMS SignedData (RFC 5652 §5) built in the browser, byte for byte what the
// server's signDetached (src/modules/jpki/cms/sign.ts) writes for the same input, so the
// server's verifyDetached and OpenSSL read it the same way. Pure: no DOM, no storage; the
// key stays behind the `sign` callback. Node imports this file in tests (types beside it).
import {
  children,
  contextTag,
  integer,
  NULL,
  objectIdentifier,
  octetString,
  readTlv,
  sequence,
  setOf,
  time,
} from './der.js';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
};

const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));

/**
 * The issuer Name and the serialNumber INTEGER of an X.509 certificate (RFC 5280 §4.1),
 * as their DER bytes untouched: a SignerInfo must name the certificate exactly.
 */
export function issuerAndSerial(certificate) {
  const outer = readTlv(certificate);
  if (outer.tag !== 0x30 || outer.end !== certificate.length) throw new Error('Not a certificate.');
  const [tbs] = children(certificate, outer);
  if (tbs?.tag !== 0x30) throw new Error('Not a certificate.');
  const fields = children(certificate, tbs);
  // version is [0] EXPLICIT and absent for v1 certificates.
  const [serial, , issuer] = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields;
  if (serial?.tag !== 0x02 || issuer?.tag !== 0x30) throw new Error('Not a certificate.');
  return {
    issuer: certificate.subarray(issuer.offset, issuer.end),
    serialNumber: certificate.subarray(serial.offset, serial.end),
  };
}

const attribute = (type, value) => sequence(objectIdentifier(type), setOf(value));

/**
 * ESS signingCertificateV2 (RFC 5035 §3): the SHA-256 of the signer's certificate, signed,
 * so another certificate for the same key cannot be put in its place. SHA-256 is the
 * DEFAULT hashAlgorithm, so DER leaves it out (X.690 §11.5). issuerSerial names the
 * issuer as a directoryName, [4] EXPLICIT because Name is a CHOICE (X.680 §31.2.7).
 */
async function signingCertificateV2(certificate, issuer, serialNumber) {
  const issuerSerial = sequence(sequence(contextTag(4, issuer)), serialNumber);
  const essCertIdV2 = sequence(octetString(await sha256(certificate)), issuerSerial);
  return sequence(sequence(essCertIdV2));
}

/**
 * A detached SignedData over `document`, DER. Version 1 throughout: the signer is named by
 * issuerAndSerialNumber (§5.1, §5.3). encapContentInfo names id-data without content (§5.2).
 * `sign` gets the DER of the signed attributes under a SET OF tag (§5.4) and must answer
 * with RSASSA-PKCS1-v1_5 over SHA-256 (RFC 8017 §8.2), what the card's signing key makes.
 * @param {{ document: Uint8Array, certificate: Uint8Array, signingTime: Date,
 *   sign: (signedAttributes: Uint8Array) => Promise<Uint8Array> }} input
 */
export async function buildDetachedSignature({ document, certificate, signingTime, sign }) {
  if (!(document instanceof Uint8Array) || !(certificate instanceof Uint8Array)) {
    throw new TypeError('document and certificate must be bytes.');
  }
  if (!(signingTime instanceof Date) || Number.isNaN(signingTime.getTime())) {
    throw new TypeError('signingTime must be a valid Date.');
  }
  const { issuer, serialNumber } = issuerAndSerial(certificate);
  const signedAttributes = setOf(
    attribute(OID.contentType, objectIdentifier(OID.data)),
    attribute(OID.messageDigest, octetString(await sha256(document))),
    // Only the signer's claim, not a timestamp; verifiers treat it so.
    attribute(OID.signingTime, time(signingTime)),
    attribute(OID.signingCertificateV2, await signingCertificateV2(certificate, issuer, serialNumber)),
  );
  const signature = new Uint8Array(await sign(signedAttributes));
  // Inside the SignerInfo the same attributes carry [0] IMPLICIT in place of the SET tag.
  const implicitAttributes = signedAttributes.slice();
  implicitAttributes[0] = 0xa0;
  // RFC 5754 §2: SHA-2 identifiers without parameters; RFC 4055 §5: RSA's with NULL.
  const sha256Algorithm = sequence(objectIdentifier(OID.sha256));
  const signerInfo = sequence(
    integer(1),
    sequence(issuer, serialNumber),
    sha256Algorithm,
    implicitAttributes,
    sequence(objectIdentifier(OID.sha256WithRSAEncryption), NULL),
    octetString(signature),
  );
  const signedData = sequence(
    integer(1),
    setOf(sha256Algorithm),
    sequence(objectIdentifier(OID.data)),
    contextTag(0, certificate), // certificates [0] IMPLICIT SET OF: the signer's only
    setOf(signerInfo),
  );
  return sequence(objectIdentifier(OID.signedData), contextTag(0, signedData));
}
