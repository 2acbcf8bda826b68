import { MachiError } from '../../../core/index.ts';
import { type Authority, type CertificateKind, crlUrl, type StatusLocations } from './authority.ts';
import { type BasicFour, basicFourExtension } from './basic-four.ts';
import { RSA_SHA256, randomSerial, x509 } from './crypto.ts';
import { decodeCertificateRequest } from './encoding.ts';

export interface IssueRequest {
  readonly kind: CertificateKind;
  /** The card's PKCS#10 request, DER or PEM: the key pair never leaves the card. */
  readonly request: Uint8Array | string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Required for a signing certificate, refused for an auth certificate. */
  readonly basicFour?: BasicFour;
  readonly locations: StatusLocations;
}

/** Key usage by kind: an auth key only proves possession; a signing key also commits (non-repudiation). */
const keyUsage: Record<CertificateKind, number> = {
  auth: x509.KeyUsageFlags.digitalSignature,
  signing: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
};

/**
 * Issues a JPKI-profile end-entity certificate from a card's request. The request's
 * own signature proves the card holds the private key (RFC 2986 §3); the key must be
 * RSA-2048. The subject is opaque (the serial): an auth certificate carries no
 * personal data at all, a signing certificate carries the basic four in subjectAltName.
 */
export async function issueCertificate(ca: Authority, issue: IssueRequest): Promise<x509.X509Certificate> {
  const csr = decodeCertificateRequest(issue.request);
  if (!(await csr.verify())) {
    throw new MachiError('signature-invalid', 'The certificate request is not signed by its own key.');
  }
  const algorithm = csr.publicKey.algorithm as RsaHashedKeyAlgorithm;
  if (algorithm.name !== 'RSASSA-PKCS1-v1_5' || algorithm.modulusLength !== 2048) {
    throw new MachiError('encoding-invalid', 'The card key must be RSA-2048.');
  }
  if ((issue.kind === 'signing') !== (issue.basicFour !== undefined)) {
    throw new Error('A signing certificate needs the basic four; an auth certificate must not carry them.');
  }
  const serialNumber = randomSerial();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(keyUsage[issue.kind], true),
    await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
    await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
    new x509.AuthorityInfoAccessExtension({ ocsp: [issue.locations.ocspUrl] }),
    new x509.CRLDistributionPointsExtension([crlUrl(issue.locations, issue.kind)]),
  ];
  if (issue.basicFour) extensions.push(basicFourExtension(issue.basicFour));
  return x509.X509CertificateGenerator.create({
    serialNumber,
    subject: `C=JP, CN=${serialNumber.toUpperCase()}`,
    issuer: ca.certificate.subject,
    notBefore: issue.notBefore,
    notAfter: issue.notAfter,
    signingAlgorithm: RSA_SHA256,
    publicKey: csr.publicKey,
    signingKey: ca.privateKey,
    extensions,
  });
}
