import { hash, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import { Attribute } from '@peculiar/asn1-cms';
import { MachiError } from '../../../core/index.ts';
import type { x509 } from '../pki/crypto.ts';
import { derFrom } from '../pki/encoding.ts';
import {
  childrenOf,
  contentsOf,
  type DerElement,
  derTags,
  encodingOf,
  expectTag,
  oidOf,
  readElement,
} from './der.ts';
import { namesCertificate } from './ess.ts';
import {
  cmsOids,
  encodeSignedAttributes,
  readSignedAttributes,
  type SignedAttribute,
} from './signed-attributes.ts';
import { type SignerCertificate, signerCertificate } from './signer-certificate.ts';

export interface VerifiedSignature {
  /** The certificate the signature names and verifies under. Not yet trusted: see below. */
  readonly signer: x509.X509Certificate;
  /** The same certificate's DER, as it came in the signature. */
  readonly signerDer: Uint8Array<ArrayBuffer>;
  /** The signer's own claim of when it signed (RFC 5652 §11.3), not a trusted timestamp. */
  readonly signingTime?: Date;
  /** False when the signature is genuine but the document is not the one that was signed. */
  readonly documentIntact: boolean;
}

const invalidEncoding = (detail: string) => new MachiError('encoding-invalid', detail);
const invalidSignature = (detail: string) => new MachiError('signature-invalid', detail);

/** The parts of a SignedData (RFC 5652 §5.1) with one SignerInfo (§5.3) that a verifier reads. */
interface SignedParts {
  readonly detached: boolean;
  readonly eContentType: string;
  /** CertificateChoices that are plain certificates, DER as sent (re-encoding could change their bytes). */
  readonly certificates: Uint8Array<ArrayBuffer>[];
  readonly signerInfos: DerElement[];
}

/**
 * ContentInfo → SignedData, walked element by element: only the parts a verifier needs are
 * looked into, so the certificates it carries cost a copy of their bytes, not a parse.
 */
function decode(input: Uint8Array | string): SignedParts {
  // derFrom accepts any PEM label; a certificate or key pasted by mistake deserves a clear refusal.
  if (typeof input === 'string' && /^\s*-----BEGIN (?!CMS-----|PKCS7-----)/.test(input)) {
    throw invalidEncoding('The PEM is not a CMS signature (expected BEGIN CMS or BEGIN PKCS7).');
  }
  const der = derFrom(input, 'signature');
  try {
    const outer = readElement(der, 0);
    if (outer.end !== der.length) throw new Error('truncated, or trailing bytes');
    const [contentType, content] = childrenOf(expectTag(outer, derTags.sequence, 'ContentInfo'));
    if (oidOf(expectTag(contentType, derTags.oid, 'contentType')) !== cmsOids.signedData) {
      throw new Error('not SignedData');
    }
    const [signedData] = childrenOf(expectTag(content, derTags.context0, 'content'));
    const fields = childrenOf(expectTag(signedData, derTags.sequence, 'SignedData'));
    // version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos
    const encap = childrenOf(expectTag(fields[2], derTags.sequence, 'encapContentInfo'));
    const set = fields.find((field, i) => i > 2 && field.tag === derTags.context0);
    // certificates is [0] IMPLICIT SET OF CertificateChoices; plain certificates are universal SEQUENCEs.
    const certificates = (set ? childrenOf(set) : [])
      .filter((choice) => choice.tag === derTags.sequence)
      .map((choice) => new Uint8Array(encodingOf(choice)));
    const signerInfos = expectTag(fields.at(-1), derTags.set, 'signerInfos');
    return {
      detached: encap.length === 1,
      eContentType: oidOf(expectTag(encap[0], derTags.oid, 'eContentType')),
      certificates,
      signerInfos: childrenOf(signerInfos),
    };
  } catch {
    throw invalidEncoding('The signature is not a valid CMS SignedData (RFC 5652).');
  }
}

/** A SignerInfo's parts (RFC 5652 §5.3); signedAttrs is the [0] IMPLICIT SET OF, if any. */
function readSignerInfo(element: DerElement) {
  try {
    const fields = childrenOf(expectTag(element, derTags.sequence, 'SignerInfo'));
    const [, sid, digestAlgorithm] = fields;
    let at = 3;
    const signedAttrs = fields[at]?.tag === derTags.context0 ? fields[at++] : undefined;
    const signatureAlgorithm = expectTag(fields[at], derTags.sequence, 'signatureAlgorithm');
    const signature = expectTag(fields[at + 1], derTags.octetString, 'signature');
    const algorithmOf = (identifier: DerElement | undefined) =>
      oidOf(
        expectTag(childrenOf(expectTag(identifier, derTags.sequence, 'algorithm'))[0], derTags.oid, 'OID'),
      );
    return {
      sid: signerIdentifier(sid),
      digestAlgorithm: algorithmOf(digestAlgorithm),
      signatureAlgorithm: algorithmOf(signatureAlgorithm),
      signedAttrs,
      signature: contentsOf(signature),
    };
  } catch {
    throw invalidEncoding('The signer information of the signature cannot be read (RFC 5652 §5.3).');
  }
}

/** A SignerIdentifier (RFC 5652 §5.3): a subject key identifier, or an issuer and serial number. */
type SignerId = { readonly keyId: Uint8Array } | { readonly issuer: Uint8Array; readonly serial: Uint8Array };

/** Read inside readSignerInfo's try: anything malformed here is the signature's encoding. */
function signerIdentifier(sid: DerElement | undefined): SignerId {
  if (sid?.tag === derTags.context0Primitive) return { keyId: contentsOf(sid) };
  const [issuer, serial] = childrenOf(expectTag(sid, derTags.sequence, 'sid'));
  return {
    issuer: encodingOf(expectTag(issuer, derTags.sequence, 'issuer')),
    serial: contentsOf(expectTag(serial, derTags.integer, 'serialNumber')),
  };
}

/**
 * The certificate a SignerIdentifier names (RFC 5652 §5.3): by issuer and serial, or by key
 * identifier. A certificate whose parts do not read names nothing.
 */
function findSigner(
  sid: SignerId,
  certificates: readonly Uint8Array<ArrayBuffer>[],
): SignerCertificate | undefined {
  const equal = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a).equals(b);
  const names = (certificate: SignerCertificate) =>
    'keyId' in sid
      ? equal(certificate.subjectKeyIdentifier, sid.keyId)
      : equal(certificate.issuer, sid.issuer) && equal(certificate.serial, sid.serial);
  for (const der of certificates) {
    try {
      const certificate = signerCertificate(der);
      if (names(certificate)) return certificate;
    } catch {}
  }
  return undefined;
}

/** The signed attributes as sent: each attribute's type and its values' DER. */
function readAttributes(signedAttrs: DerElement): SignedAttribute[] {
  return childrenOf(signedAttrs).map((attribute) => {
    const [type, values] = childrenOf(expectTag(attribute, derTags.sequence, 'Attribute'));
    return {
      attrType: oidOf(expectTag(type, derTags.oid, 'attrType')),
      attrValues: childrenOf(expectTag(values, derTags.set, 'attrValues')).map(
        (value) => new Uint8Array(encodingOf(value)).buffer,
      ),
    };
  });
}

/** The attributes' DER in SET OF order, as OpenSSL re-encodes them to verify. */
function sortedEncoding(attributes: readonly SignedAttribute[]): Uint8Array {
  return encodeSignedAttributes(attributes.map((attribute) => new Attribute(attribute))).der;
}

/** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2), what a card makes; false rather than a throw on odd input. */
function verifies(data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  try {
    return verify('sha256', data, key, signature);
  } catch {
    return false;
  }
}

/**
 * Verifies a detached CMS SignedData (RFC 5652 §5.6) from one signer over `document`.
 *
 * This proves only that the key in the returned certificate signed these attributes and
 * (documentIntact) this document. It does NOT check that the certificate chains to a
 * trusted JPKI root, is within its validity or is unrevoked: the caller does that with
 * `signer`, at `signingTime` or now as its policy says, before believing who signed.
 *
 * Tampering with what was signed throws `signature-invalid`; a different document under an
 * intact signature is returned as documentIntact: false, so the caller can say "altered".
 */
export async function verifyDetached(
  signature: Uint8Array | string,
  document: Uint8Array,
): Promise<VerifiedSignature> {
  const { detached, eContentType, certificates, signerInfos } = decode(signature);
  if (!detached) throw invalidEncoding('The signature is not detached.');
  if (signerInfos.length !== 1) throw invalidEncoding('The signature must have exactly one signer.');
  const signerInfo = readSignerInfo(signerInfos[0] as DerElement);
  // Without signed attributes the signature would cover the document itself (§5.4) and
  // carry no signing time or certificate binding; a card always signs attributes.
  const { signedAttrs } = signerInfo;
  if (!signedAttrs || signedAttrs.contentEnd === signedAttrs.contentStart) {
    throw invalidEncoding('The signature has no signed attributes.');
  }

  const algorithm = signerInfo.signatureAlgorithm;
  if (
    signerInfo.digestAlgorithm !== cmsOids.sha256 ||
    (algorithm !== cmsOids.sha256WithRSAEncryption && algorithm !== cmsOids.rsaEncryption)
  ) {
    throw invalidSignature('Only RSA signatures with SHA-256 are accepted.');
  }
  const signer = findSigner(signerInfo.sid, certificates);
  if (!signer) throw invalidSignature("The signer's certificate is not in the signature.");
  if (signer.publicKey.asymmetricKeyType !== 'rsa') {
    throw invalidSignature('The signer key is not an RSA key.');
  }

  let sent: SignedAttribute[];
  try {
    sent = readAttributes(signedAttrs);
  } catch {
    throw invalidEncoding('The signed attributes of the signature cannot be read (RFC 5652 §11).');
  }
  // §5.4: the signature covers the DER of the signed attributes under a SET OF tag: the bytes
  // as sent with their [0] tag made SET. A signer that sent them out of DER order signed
  // their sorted encoding, which is what OpenSSL checks; that is tried second.
  const asSent = new Uint8Array(encodingOf(signedAttrs));
  asSent[0] = derTags.set;
  if (
    !verifies(asSent, signer.publicKey, signerInfo.signature) &&
    !verifies(sortedEncoding(sent), signer.publicKey, signerInfo.signature)
  ) {
    throw invalidSignature('The signature does not verify.');
  }

  // From here on the attributes are the signer's own.
  let attributes: ReturnType<typeof readSignedAttributes>;
  try {
    attributes = readSignedAttributes(sent);
  } catch {
    throw invalidEncoding('The signed attributes of the signature cannot be read (RFC 5652 §11).');
  }
  if (attributes.contentType !== cmsOids.data || eContentType !== cmsOids.data) {
    throw invalidSignature('The signature is not over plain data (id-data, RFC 5652 §11.1).');
  }
  for (const { value: ess, version } of attributes.ess) {
    let matches = false;
    try {
      matches = namesCertificate(ess, version, signer.der);
    } catch {
      throw invalidEncoding('The signing-certificate attribute cannot be read (RFC 5035).');
    }
    if (!matches) throw invalidSignature('The signature was made for another certificate (RFC 5035).');
  }
  const digest = hash('sha256', document, 'buffer');
  const documentIntact =
    attributes.messageDigest.length === digest.length && timingSafeEqual(attributes.messageDigest, digest);
  return {
    get signer() {
      return signer.certificate;
    },
    signerDer: signer.der,
    documentIntact,
    ...(attributes.signingTime ? { signingTime: attributes.signingTime } : {}),
  };
}
