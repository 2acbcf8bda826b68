import {
  createHash,
  type KeyObject,
  X509Certificate as NodeCertificate,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { ContentInfo, SignedData, type SignerIdentifier } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, id_ce_subjectKeyIdentifier, SubjectKeyIdentifier } from '@peculiar/asn1-x509';
import { Constructed, fromBER } from 'asn1js';
import { MachiError } from '../../../core/index.ts';
import { x509 } from '../pki/crypto.ts';
import { derFrom } from '../pki/encoding.ts';
import { namesCertificate } from './ess.ts';
import { cmsOids, encodeSignedAttributes, readSignedAttributes } from './signed-attributes.ts';

export interface VerifiedSignature {
  /** The certificate the signature names and verifies under. Not yet trusted: see below. */
  readonly signer: x509.X509Certificate;
  /** The signer's own claim of when it signed (RFC 5652 §11.3), not a trusted timestamp. */
  readonly signingTime?: Date;
  /** False when the signature is genuine but the document is not the one that was signed. */
  readonly documentIntact: boolean;
}

const invalidEncoding = (detail: string) => new MachiError('encoding-invalid', detail);
const invalidSignature = (detail: string) => new MachiError('signature-invalid', detail);

function equalBytes(a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean {
  return Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a)).equals(
    b instanceof Uint8Array ? b : new Uint8Array(b),
  );
}

/** ContentInfo → SignedData, with its certificates as sent (re-encoding could change their bytes). */
function decode(input: Uint8Array | string): {
  signedData: SignedData;
  certificates: Uint8Array<ArrayBuffer>[];
} {
  // derFrom accepts any PEM label; a certificate or key pasted by mistake deserves a clear refusal.
  if (typeof input === 'string' && /^\s*-----BEGIN (?!CMS-----|PKCS7-----)/.test(input)) {
    throw invalidEncoding('The PEM is not a CMS signature (expected BEGIN CMS or BEGIN PKCS7).');
  }
  const der = derFrom(input, 'signature');
  try {
    const outer = fromBER(der);
    if (outer.offset !== der.byteLength) throw new Error('truncated, or trailing bytes');
    const info = AsnConvert.parse(der, ContentInfo);
    if (info.contentType !== cmsOids.signedData) throw new Error('not SignedData');
    const signedData = AsnConvert.parse(info.content, SignedData);
    // certificates is [0] IMPLICIT SET OF CertificateChoices; plain certificates are universal SEQUENCEs.
    const sequence = fromBER(info.content).result;
    const fields = sequence instanceof Constructed ? sequence.valueBlock.value : [];
    const set = fields.find((field) => field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 0);
    const certificates = (set instanceof Constructed ? set.valueBlock.value : [])
      .filter((choice) => choice.idBlock.tagClass === 1)
      .map((choice) => new Uint8Array(choice.valueBeforeDecodeView));
    return { signedData, certificates };
  } catch {
    throw invalidEncoding('The signature is not a valid CMS SignedData (RFC 5652).');
  }
}

/**
 * The certificate a SignerIdentifier names (RFC 5652 §5.3): by issuer and serial, or by key
 * identifier. A certificate whose parts do not parse names nothing.
 */
function findSigner(
  sid: SignerIdentifier,
  certificates: readonly Uint8Array<ArrayBuffer>[],
): Uint8Array<ArrayBuffer> | undefined {
  const names = (der: Uint8Array<ArrayBuffer>): boolean => {
    const tbs = AsnConvert.parse(der, Certificate).tbsCertificate;
    if (sid.issuerAndSerialNumber) {
      const wanted = sid.issuerAndSerialNumber;
      return (
        equalBytes(AsnConvert.serialize(tbs.issuer), AsnConvert.serialize(wanted.issuer)) &&
        equalBytes(tbs.serialNumber, wanted.serialNumber)
      );
    }
    const extension = tbs.extensions?.find((one) => one.extnID === id_ce_subjectKeyIdentifier);
    if (!sid.subjectKeyIdentifier || !extension) return false;
    const keyId = AsnConvert.parse(extension.extnValue, SubjectKeyIdentifier);
    return equalBytes(keyId.buffer, sid.subjectKeyIdentifier.buffer);
  };
  return certificates.find((der) => {
    try {
      return names(der);
    } catch {
      return false;
    }
  });
}

function parseCertificate(der: Uint8Array<ArrayBuffer>): {
  certificate: x509.X509Certificate;
  publicKey: KeyObject;
} {
  try {
    return { certificate: new x509.X509Certificate(der), publicKey: new NodeCertificate(der).publicKey };
  } catch {
    throw invalidEncoding("The signer's certificate cannot be decoded.");
  }
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
  const { signedData, certificates } = decode(signature);
  if (signedData.encapContentInfo.eContent) throw invalidEncoding('The signature is not detached.');
  const [signerInfo, ...others] = signedData.signerInfos;
  if (!signerInfo || others.length > 0) throw invalidEncoding('The signature must have exactly one signer.');
  // Without signed attributes the signature would cover the document itself (§5.4) and
  // carry no signing time or certificate binding; a card always signs attributes.
  if (!signerInfo.signedAttrs?.length) throw invalidEncoding('The signature has no signed attributes.');

  const algorithm = signerInfo.signatureAlgorithm.algorithm;
  if (
    signerInfo.digestAlgorithm.algorithm !== cmsOids.sha256 ||
    (algorithm !== cmsOids.sha256WithRSAEncryption && algorithm !== cmsOids.rsaEncryption)
  ) {
    throw invalidSignature('Only RSA signatures with SHA-256 are accepted.');
  }
  const signerDer = findSigner(signerInfo.sid, certificates);
  if (!signerDer) throw invalidSignature("The signer's certificate is not in the signature.");
  const signer = parseCertificate(signerDer);
  if (signer.publicKey.asymmetricKeyType !== 'rsa') {
    throw invalidSignature('The signer key is not an RSA key.');
  }

  // §5.4: the signature covers the DER of the signed attributes under a SET OF tag.
  const signed = encodeSignedAttributes(signerInfo.signedAttrs).der;
  if (!verifies(signed, signer.publicKey, new Uint8Array(signerInfo.signature.buffer))) {
    throw invalidSignature('The signature does not verify.');
  }

  // From here on the attributes are the signer's own.
  let attributes: ReturnType<typeof readSignedAttributes>;
  try {
    attributes = readSignedAttributes(signerInfo.signedAttrs);
  } catch {
    throw invalidEncoding('The signed attributes of the signature cannot be read (RFC 5652 §11).');
  }
  if (attributes.contentType !== cmsOids.data || signedData.encapContentInfo.eContentType !== cmsOids.data) {
    throw invalidSignature('The signature is not over plain data (id-data, RFC 5652 §11.1).');
  }
  for (const { value: ess, version } of attributes.ess) {
    let matches = false;
    try {
      matches = namesCertificate(ess, version, signerDer);
    } catch {
      throw invalidEncoding('The signing-certificate attribute cannot be read (RFC 5035).');
    }
    if (!matches) throw invalidSignature('The signature was made for another certificate (RFC 5035).');
  }
  const digest = createHash('sha256').update(document).digest();
  const documentIntact =
    attributes.messageDigest.length === digest.length && timingSafeEqual(attributes.messageDigest, digest);
  return {
    signer: signer.certificate,
    documentIntact,
    ...(attributes.signingTime ? { signingTime: attributes.signingTime } : {}),
  };
}
