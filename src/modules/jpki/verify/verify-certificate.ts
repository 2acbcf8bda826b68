import { X509Certificate as NativeCertificate } from 'node:crypto';
import { MachiError } from '../../../core/index.ts';
import { pkixOids } from '../oids.ts';
import type { CertificateKind } from '../pki/authority.ts';
import { x509 } from '../pki/crypto.ts';
import { type Der, derFrom } from '../pki/encoding.ts';
import type { TrustedIssuer, TrustStore } from './trust-store.ts';

/** A certificate whose chain, kind and validity were checked (status is checked separately). */
export interface VerifiedCertificate {
  readonly kind: CertificateKind;
  readonly certificate: x509.X509Certificate;
  readonly issuer: TrustedIssuer;
  /** Lower-case hex, as in CRLs and OCSP. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the DER, hex. */
  readonly fingerprint: string;
}

/**
 * What does not change between two verifications of the same DER: parsed once per DER. The
 * answer for the certificate's own kind is made once too: it is what every check returns.
 */
type Static = Omit<VerifiedCertificate, 'kind'> & {
  readonly usage: CertificateKind | 'neither';
  readonly verified: VerifiedCertificate | undefined;
};

const MAX_CACHED = 10_000;
const cache = new WeakMap<TrustStore, Map<string, Static | MachiError>>();

function usageOf(certificate: x509.X509Certificate, trust: TrustStore): CertificateKind | 'neither' {
  const usage = certificate.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  // A CA, or a certificate meant for something else (e.g. the OCSP responder's, which
  // also has digitalSignature): JPKI end-entity certificates carry no extended key usage.
  if (certificate.getExtension(x509.BasicConstraintsExtension)?.ca) return 'neither';
  if (certificate.getExtension(x509.ExtendedKeyUsageExtension)) return 'neither';
  const policies = certificate.getExtension(x509.CertificatePolicyExtension)?.policies ?? [];
  const has = (flag: number) => (usage & flag) !== 0;
  const policyFits = (kind: CertificateKind) =>
    trust.policies[kind].length === 0 || trust.policies[kind].some((oid) => policies.includes(oid));
  // JPKI: the auth key only proves possession (digitalSignature); the signing key also
  // commits the signer (nonRepudiation / contentCommitment, RFC 5280 §4.2.1.3).
  if (has(x509.KeyUsageFlags.nonRepudiation)) return policyFits('signing') ? 'signing' : 'neither';
  if (has(x509.KeyUsageFlags.digitalSignature)) return policyFits('auth') ? 'auth' : 'neither';
  return 'neither';
}

function analyse(der: Der, trust: TrustStore): Static {
  let native: NativeCertificate;
  let certificate: x509.X509Certificate;
  try {
    native = new NativeCertificate(der);
    certificate = new x509.X509Certificate(der);
  } catch {
    throw new MachiError('encoding-invalid', 'The certificate is not valid DER.');
  }
  // Issued by (name match) and signed by (key) one of the trusted issuing CAs.
  const issuer = trust.issuers.find(
    (candidate) => native.checkIssued(candidate.native) && native.verify(candidate.native.publicKey),
  );
  if (!issuer) {
    throw new MachiError(
      'certificate-untrusted',
      'The certificate was not issued by a trusted JPKI authority.',
    );
  }
  // An unknown critical extension means we cannot know what the issuer meant (RFC 5280 §4.2).
  const known = new Set<string>([
    pkixOids.basicConstraints,
    pkixOids.keyUsage,
    pkixOids.extendedKeyUsage,
    pkixOids.certificatePolicies,
    pkixOids.subjectAltName,
  ]);
  if (certificate.extensions.some((extension) => extension.critical && !known.has(extension.type))) {
    throw new MachiError(
      'certificate-untrusted',
      'The certificate has a critical extension Machi does not know.',
    );
  }
  const facts = {
    certificate,
    issuer,
    serialNumber: certificate.serialNumber.toLowerCase(),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    fingerprint: native.fingerprint256.replaceAll(':', '').toLowerCase(),
  };
  const usage = usageOf(certificate, trust);
  // Frozen: one object is handed to every caller that verifies this certificate.
  const verified = usage === 'neither' ? undefined : Object.freeze({ ...facts, kind: usage });
  return { ...facts, usage, verified };
}

/**
 * The facts of the certificate `input` names, analysed once. Keyed by the input itself: a
 * string as sent (base64 or PEM, so that a certificate seen before costs no decoding), bytes
 * by their base64. Either key decodes to exactly the DER its entry was analysed from, so a
 * different certificate can never hit; input that does not decode is refused each time.
 */
function analysed(input: Uint8Array | string, trust: TrustStore): Static {
  let perTrust = cache.get(trust);
  if (!perTrust) {
    perTrust = new Map();
    cache.set(trust, perTrust);
  }
  const key = typeof input === 'string' ? input : Buffer.from(input).toString('base64');
  let entry = perTrust.get(key);
  if (!entry) {
    const der = derFrom(input, 'certificate');
    try {
      entry = analyse(der, trust);
    } catch (error) {
      if (!(error instanceof MachiError)) throw error;
      entry = error;
    }
    if (perTrust.size >= MAX_CACHED) perTrust.clear();
    perTrust.set(key, entry);
  }
  if (entry instanceof MachiError) throw entry;
  return entry;
}

/**
 * Verifies an end-entity certificate for one use at one time: DER, issued and signed by
 * a trusted CA of that kind, the kind's key usage and policy, within its validity and
 * its CA's. Revocation status is a separate step (`RevocationChecker`), so that a
 * caller can never mistake "chain valid" for "valid": both must pass.
 */
export function verifyCertificate(
  input: Uint8Array | string,
  kind: CertificateKind,
  trust: TrustStore,
  at: Date,
): VerifiedCertificate {
  const facts = analysed(input, trust);
  const verified = facts.verified;
  if (facts.issuer.kind !== kind || facts.usage !== kind || !verified) {
    throw new MachiError(
      'certificate-wrong-usage',
      kind === 'auth'
        ? 'Sign in with the authentication certificate (利用者証明用), not this one.'
        : 'Sign with the signing certificate (署名用), not this one.',
    );
  }
  const time = at.getTime();
  if (time < facts.notBefore.getTime() || time < facts.issuer.certificate.notBefore.getTime()) {
    throw new MachiError('certificate-not-yet-valid');
  }
  if (time > facts.notAfter.getTime() || time > facts.issuer.certificate.notAfter.getTime()) {
    throw new MachiError('certificate-expired');
  }
  return verified;
}
