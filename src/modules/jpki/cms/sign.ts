import { createHash } from 'node:crypto';
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  CMSVersion,
  ContentInfo,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignatureAlgorithmIdentifier,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  SigningTime,
} from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { ObjectIdentifier } from 'asn1js';
import type { x509 } from '../pki/crypto.ts';
import { id_aa_signingCertificateV2, signingCertificateV2 } from './ess.ts';
import { cmsOids, encodeSignedAttributes, sortedByEncoding } from './signed-attributes.ts';

/**
 * Whoever holds the signing key: a card (real or virtual) signs the bytes it is given with
 * RSASSA-PKCS1-v1_5 over SHA-256 and never hands out its key.
 */
export interface DocumentSigner {
  readonly certificate: x509.X509Certificate;
  readonly sign: (data: Uint8Array) => Promise<Uint8Array>;
}

export interface SignOptions {
  readonly signingTime: Date;
  /** Issuing CA (and further) certificates to carry along, so a verifier can build the path. */
  readonly chain?: readonly x509.X509Certificate[];
}

function attribute(attrType: string, value: ArrayBuffer): Attribute {
  return new Attribute({ attrType, attrValues: [value] });
}

/**
 * A detached CMS SignedData (RFC 5652 §5) over `document`, DER. Detached: encapContentInfo
 * names id-data and carries no eContent (§5.2), so the document travels separately and the
 * signature is small. The signed attributes bind what the signature means:
 * - contentType and messageDigest (required whenever there are signed attributes, §5.3),
 * - signingTime as the signer claims it (§11.3; only the card's word, not a timestamp),
 * - ESS signingCertificateV2 (RFC 5035), so the signer's certificate cannot be swapped.
 * Version 1, because the signer is named by issuerAndSerialNumber and nothing else asks for more (§5.1).
 */
export async function signDetached(
  document: Uint8Array,
  signer: DocumentSigner,
  options: SignOptions,
): Promise<Uint8Array> {
  const signerDer = new Uint8Array(signer.certificate.rawData);
  const certificate = AsnConvert.parse(signerDer, Certificate);
  const digest = createHash('sha256').update(document).digest();

  const { sorted, der } = encodeSignedAttributes([
    attribute(cmsOids.contentType, new ObjectIdentifier({ value: cmsOids.data }).toBER()),
    attribute(cmsOids.messageDigest, AsnConvert.serialize(new OctetString(digest))),
    // Time picks UTCTime through 2049 and GeneralizedTime after, as §11.3 requires.
    attribute(cmsOids.signingTime, AsnConvert.serialize(new SigningTime(options.signingTime))),
    attribute(id_aa_signingCertificateV2, signingCertificateV2(signerDer)),
  ]);
  const signature = await signer.sign(der);

  // RFC 5754 §2: SHA-2 digest identifiers go without parameters; RFC 4055 §5: the RSA
  // signature identifier carries NULL.
  const sha256 = new DigestAlgorithmIdentifier({ algorithm: cmsOids.sha256 });
  const signerInfo = new SignerInfo({
    version: CMSVersion.v1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({
        issuer: certificate.tbsCertificate.issuer,
        serialNumber: certificate.tbsCertificate.serialNumber,
      }),
    }),
    digestAlgorithm: sha256,
    signedAttrs: sorted,
    signatureAlgorithm: new SignatureAlgorithmIdentifier({
      algorithm: cmsOids.sha256WithRSAEncryption,
      parameters: null,
    }),
    signature: new OctetString(signature),
  });
  // certificates is a SET OF too: DER order, so the signer's certificate need not come first.
  const certificates = sortedByEncoding(
    [signer.certificate, ...(options.chain ?? [])],
    (one) => one.rawData,
  ).map((one) => new CertificateChoices({ certificate: AsnConvert.parse(one.rawData, Certificate) }));
  const signedData = new SignedData({
    version: CMSVersion.v1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([sha256]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: cmsOids.data }),
    certificates: new CertificateSet(certificates),
    signerInfos: new SignerInfos([signerInfo]),
  });
  const contentInfo = new ContentInfo({
    contentType: cmsOids.signedData,
    content: AsnConvert.serialize(signedData),
  });
  return new Uint8Array(AsnConvert.serialize(contentInfo));
}
