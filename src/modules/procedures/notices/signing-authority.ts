/**
 * The municipalities' signing identity, shaped after Japan's 組織認証基盤 (LGPKI): one
 * self-signed root (LGPKI's 組織認証局 publishes its 自己署名証明書 for relying parties to
 * trust) that certifies each municipality's 職責証明書 — the certificate of an office, here
 * the head of the municipality, which signs official documents such as 処分通知.
 * Generated at run time (signer-store.ts keeps it on disk), never committed.
 */
import { findMunicipality } from '../../../core/index.ts';
import { generateRsaKeyPair, RSA_SHA256, randomSerial, x509 } from '../../jpki/index.ts';
import { type SignerMunicipality, signerSubject } from './signer-municipality.ts';

/** A certificate and the key it signs with. */
export interface NoticeAuthority {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: CryptoKey;
}

const YEAR_MS = 365.25 * 24 * 3_600_000;
/** The root outlives many signer certificates: a notice stays verifiable long after it was made. */
export const ROOT_YEARS = 20;
/** A signer certificate's life; signer-store.ts renews it before the end. */
export const SIGNER_YEARS = 3;

/** The root (組織認証局-like), self-signed. It certifies end entities only: pathLen 0. */
/**
 * Validity starts a few minutes before the certificate is made: a notice signed by a decision
 * taken just before its municipality's first key was made (or on a zone whose clock runs a
 * little behind) must not read as signed before its certificate existed.
 */
const backdated = (now: Date) => new Date(now.getTime() - 5 * 60_000);

export async function createNoticeRoot(options: { name: string; now: Date }): Promise<NoticeAuthority> {
  const keys = await generateRsaKeyPair(true);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: new x509.Name([
      { C: ['JP'] },
      { O: [options.name] },
      { OU: ['組織認証基盤 (LGPKI-like)'] },
      { CN: ['Root CA'] },
    ]),
    notBefore: backdated(options.now),
    notAfter: new Date(options.now.getTime() + ROOT_YEARS * YEAR_MS),
    signingAlgorithm: RSA_SHA256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, privateKey: keys.privateKey };
}

/**
 * A 職責証明書-like certificate for one municipality's head, with a new key. Key usage
 * digitalSignature + nonRepudiation (RFC 5280 §4.2.1.3: the key commits its holder to what
 * it signs), and no CA rights. `extractable` only where the key is written to a file.
 */
export async function issueSignerCertificate(
  root: NoticeAuthority,
  municipality: SignerMunicipality,
  options: { now: Date; extractable?: boolean },
): Promise<NoticeAuthority> {
  const keys = await generateRsaKeyPair(options.extractable ?? true);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: signerSubject(municipality, findMunicipality(municipality.code).prefecture),
    issuer: root.certificate.subjectName,
    notBefore: backdated(options.now),
    notAfter: new Date(options.now.getTime() + SIGNER_YEARS * YEAR_MS),
    signingAlgorithm: RSA_SHA256,
    publicKey: keys.publicKey,
    signingKey: root.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.certificate),
    ],
  });
  return { certificate, privateKey: keys.privateKey };
}
