import { pkixOids } from '../oids.ts';
import type { Authority, CertificateKind, Hierarchy } from './authority.ts';
import { generateRsaKeyPair, RSA_SHA256, randomSerial, x509 } from './crypto.ts';

const YEAR_MS = 365.25 * 24 * 3_600_000;

export interface HierarchyOptions {
  /** The deployment's name in the CA subjects, e.g. "Machi JPKI (Example)". */
  readonly name: string;
  readonly now: Date;
}

const names: Record<CertificateKind, { ca: string; ocsp: string }> = {
  auth: { ca: 'User Authentication CA', ocsp: 'User Authentication OCSP Responder' },
  signing: { ca: 'Signing CA', ocsp: 'Signing OCSP Responder' },
};

function dn(organization: string, commonName: string): string {
  // Commas would split the RDN; the names are ours, but a deployment name is configuration.
  const safe = (value: string) => value.replace(/[,+=\\<>#;"]/g, ' ');
  return `C=JP, O=${safe(organization)}, CN=${safe(commonName)}`;
}

async function createRoot(options: HierarchyOptions): Promise<Authority> {
  const keys = await generateRsaKeyPair(true);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: dn(options.name, 'Root CA'),
    notBefore: options.now,
    notAfter: new Date(options.now.getTime() + 20 * YEAR_MS),
    signingAlgorithm: RSA_SHA256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, privateKey: keys.privateKey };
}

async function createIssuingCa(
  root: Authority,
  kind: CertificateKind,
  options: HierarchyOptions,
): Promise<Authority> {
  const keys = await generateRsaKeyPair(true);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: dn(options.name, names[kind].ca),
    issuer: root.certificate.subject,
    notBefore: options.now,
    notAfter: new Date(options.now.getTime() + 12 * YEAR_MS),
    signingAlgorithm: RSA_SHA256,
    publicKey: keys.publicKey,
    signingKey: root.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.certificate),
    ],
  });
  return { certificate, privateKey: keys.privateKey };
}

/**
 * A delegated OCSP responder for one CA: id-kp-OCSPSigning, and id-pkix-ocsp-nocheck
 * so that clients do not ask about the responder's own status (RFC 6960 §4.2.2.2.1).
 * Short-lived for that reason: two years, renewed with `machi pki init --renew-ocsp`.
 */
export async function createOcspResponderCertificate(
  ca: Authority,
  kind: CertificateKind,
  options: HierarchyOptions,
) {
  const keys = await generateRsaKeyPair(true);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: dn(options.name, names[kind].ocsp),
    issuer: ca.certificate.subject,
    notBefore: options.now,
    notAfter: new Date(options.now.getTime() + 2 * YEAR_MS),
    signingAlgorithm: RSA_SHA256,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([pkixOids.ocspSigning], false),
      new x509.Extension(pkixOids.ocspNoCheck, false, new Uint8Array([0x05, 0x00])),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
    ],
  });
  return { certificate, privateKey: keys.privateKey } satisfies Authority;
}

/** `machi pki init`: a new root, an auth CA, a signing CA and their OCSP responders. */
export async function createHierarchy(options: HierarchyOptions): Promise<Hierarchy> {
  const root = await createRoot(options);
  const auth = await createIssuingCa(root, 'auth', options);
  const signing = await createIssuingCa(root, 'signing', options);
  return {
    root,
    ca: { auth, signing },
    ocsp: {
      auth: await createOcspResponderCertificate(auth, 'auth', options),
      signing: await createOcspResponderCertificate(signing, 'signing', options),
    },
  };
}
