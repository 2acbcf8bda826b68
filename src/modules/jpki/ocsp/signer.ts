import { X509Certificate as NodeCertificate, verify } from 'node:crypto';
import type { BasicOCSPResponse } from '@peculiar/asn1-ocsp';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import type * as asn1js from 'asn1js';
import { pkixOids } from '../oids.ts';
import { x509 } from '../pki/crypto.ts';
import { hash, issuerParts } from './cert-id.ts';
import { statusUnknown } from './status.ts';

/** Signature algorithms we accept on a response; SHA-1 is refused (RFC 6960 §4.3 allows us to). */
const signatureAlgorithms: Record<string, { hash: string; key: 'rsa' | 'ec' }> = {
  '1.2.840.113549.1.1.11': { hash: 'sha256', key: 'rsa' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', key: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', key: 'rsa' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', key: 'ec' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', key: 'ec' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', key: 'ec' },
};

/** The `certs` of a BasicOCSPResponse as sent (re-encoding could change the signed bytes), from its asn1js tree. */
function rawCertificates(basicTree: asn1js.AsnType): Uint8Array<ArrayBuffer>[] {
  const sequence = basicTree as asn1js.Sequence;
  const tagged = sequence.valueBlock.value[3] as asn1js.Constructed | undefined;
  if (tagged?.idBlock.tagClass !== 3 || tagged.idBlock.tagNumber !== 0) return [];
  const list = tagged.valueBlock.value[0] as asn1js.Sequence | undefined;
  return (list?.valueBlock.value ?? []).map((entry) => new Uint8Array(entry.valueBeforeDecodeView));
}

/**
 * What a signer check reads off a certificate, read once per certificate object (each part
 * when first needed, so a certificate fails where it did before): a responder's and its
 * CA's certificates come back in every OCSP answer, and reading them (ASN.1 parses, Node's
 * own parse for the key) costs far more than the signature check itself.
 */
class SignerFacts {
  #keyHash?: Buffer;
  #name?: string;
  #native?: NodeCertificate;
  /** Per issuer: why this certificate may not sign for it as a delegated responder, or null if it may. */
  readonly delegation = new WeakMap<x509.X509Certificate, string | null>();

  constructor(private readonly certificate: x509.X509Certificate) {}

  /** SHA-1 of the public key's BIT STRING contents: a byKey ResponderID (RFC 6960 §4.2.2.3). */
  get keyHash(): Buffer {
    this.#keyHash ??= Buffer.from(hash('SHA-1', issuerParts(this.certificate).key));
    return this.#keyHash;
  }

  /** The subject Name, DER as hex: a byName ResponderID. */
  get name(): string {
    this.#name ??= Buffer.from(
      AsnConvert.serialize(AsnConvert.parse(this.certificate.rawData, Certificate).tbsCertificate.subject),
    ).toString('hex');
    return this.#name;
  }

  get native(): NodeCertificate {
    this.#native ??= new NodeCertificate(Buffer.from(this.certificate.rawData));
    return this.#native;
  }
}

const factsCache = new WeakMap<x509.X509Certificate, SignerFacts>();

function factsOf(certificate: x509.X509Certificate): SignerFacts {
  let facts = factsCache.get(certificate);
  if (!facts) {
    facts = new SignerFacts(certificate);
    factsCache.set(certificate, facts);
  }
  return facts;
}

// The certificates responses carry, parsed once per DER (the key is the DER itself, so a
// different certificate can never hit): the same responder certificate comes every time.
const MAX_CARRIED = 100;
const carried = new Map<string, x509.X509Certificate>();

function carriedCertificate(der: Uint8Array<ArrayBuffer>): x509.X509Certificate {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let certificate = carried.get(key);
  if (!certificate) {
    certificate = new x509.X509Certificate(der);
    if (carried.size >= MAX_CARRIED) carried.clear();
    carried.set(key, certificate);
  }
  return certificate;
}

/** Whether `basic.tbsResponseData.responderID` names `candidate` (RFC 6960 §4.2.2.3). */
function isNamed(basic: BasicOCSPResponse, candidate: x509.X509Certificate): boolean {
  const id = basic.tbsResponseData.responderID;
  if (id.byKey) return factsOf(candidate).keyHash.equals(Buffer.from(id.byKey.buffer));
  if (id.byName)
    return Buffer.from(AsnConvert.serialize(id.byName)).toString('hex') === factsOf(candidate).name;
  return false;
}

/** Why `candidate` may not sign for `issuer` whatever the time, or null: a function of the two certificates only. */
function delegationProblem(candidate: x509.X509Certificate, issuer: x509.X509Certificate): string | null {
  const node = factsOf(candidate).native;
  const issuerNode = factsOf(issuer).native;
  if (!node.checkIssued(issuerNode) || !node.verify(issuerNode.publicKey)) {
    return 'The OCSP responder certificate is not issued by the certificate issuer.';
  }
  const eku = candidate.getExtension(x509.ExtendedKeyUsageExtension);
  if (!eku?.usages.includes(pkixOids.ocspSigning)) {
    return 'The OCSP responder certificate is not authorised for OCSP signing.';
  }
  const keyUsage = candidate.getExtension(x509.KeyUsagesExtension);
  if (keyUsage && !(keyUsage.usages & x509.KeyUsageFlags.digitalSignature)) {
    return 'The OCSP responder certificate may not sign.';
  }
  return null;
}

/**
 * A delegated responder (RFC 6960 §4.2.2.2) is trusted only if the issuer itself signed
 * its certificate, it carries id-kp-OCSPSigning, may sign (key usage, RFC 5280 §4.2.1.3)
 * and is within its validity. Its own revocation is not asked: ours carry ocsp-nocheck.
 * All but the validity depend on the two certificates alone, so they are judged once per pair.
 */
function checkDelegated(candidate: x509.X509Certificate, issuer: x509.X509Certificate, now: Date): void {
  const { delegation } = factsOf(candidate);
  let problem = delegation.get(issuer);
  if (problem === undefined) {
    problem = delegationProblem(candidate, issuer);
    delegation.set(issuer, problem);
  }
  if (problem) throw statusUnknown(problem);
  if (now < candidate.notBefore || now > candidate.notAfter) {
    throw statusUnknown('The OCSP responder certificate is outside its validity period.');
  }
}

/**
 * The certificate that signed the response, after checking that it may speak for
 * `issuer`: the issuer itself, or a delegated responder it certified (RFC 6960 §4.2.2.2).
 * Then the signature over the bytes of tbsResponseData as received.
 */
export function verifyResponder(
  basicTree: asn1js.AsnType,
  basic: BasicOCSPResponse,
  issuer: x509.X509Certificate,
  now: Date,
): x509.X509Certificate {
  let candidates: x509.X509Certificate[];
  try {
    candidates = rawCertificates(basicTree).map(carriedCertificate);
  } catch {
    throw statusUnknown('A certificate in the OCSP response is not valid DER.');
  }
  let signer: x509.X509Certificate | undefined;
  if (isNamed(basic, issuer)) signer = issuer;
  else {
    signer = candidates.find((candidate) => isNamed(basic, candidate));
    if (!signer) throw statusUnknown('The OCSP response is signed by a responder we cannot identify.');
    checkDelegated(signer, issuer, now);
  }

  const algorithm = signatureAlgorithms[basic.signatureAlgorithm.algorithm];
  const key = factsOf(signer).native.publicKey;
  if (!algorithm || key.asymmetricKeyType !== algorithm.key) {
    throw statusUnknown('The OCSP response uses a signature algorithm we do not accept.');
  }
  const tbs = basic.tbsResponseDataRaw;
  let signed = false;
  try {
    signed =
      tbs !== undefined && verify(algorithm.hash, new Uint8Array(tbs), key, new Uint8Array(basic.signature));
  } catch {
    // A signature that does not even decode (a bad ECDSA SEQUENCE) is simply invalid.
  }
  if (!signed) throw statusUnknown('The OCSP response signature does not verify.');
  return signer;
}
