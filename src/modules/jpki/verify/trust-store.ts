import { X509Certificate as NativeCertificate } from 'node:crypto';
import type { CertificateKind } from '../pki/authority.ts';
import { x509 } from '../pki/crypto.ts';

/** An issuing CA a verifier accepts, parsed once for the hot path. */
export interface TrustedIssuer {
  readonly kind: CertificateKind;
  readonly certificate: x509.X509Certificate;
  /** Node's own parse of the same DER: native signature checks cost microseconds. */
  readonly native: NativeCertificate;
}

export interface TrustStore {
  readonly roots: readonly x509.X509Certificate[];
  readonly issuers: readonly TrustedIssuer[];
  /**
   * Certificate policies required per kind. Empty: not checked (issuing CA and key
   * usage still tell the kinds apart), for authorities whose policies are not configured.
   */
  readonly policies: Readonly<Record<CertificateKind, readonly string[]>>;
}

export interface TrustInput {
  readonly roots: readonly x509.X509Certificate[];
  readonly issuers: Readonly<Record<CertificateKind, readonly x509.X509Certificate[]>>;
  readonly policies?: Readonly<Record<CertificateKind, readonly string[]>>;
}

function isCa(certificate: x509.X509Certificate): boolean {
  return certificate.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

/**
 * Checks once, when trust is loaded, that every issuing CA is a CA certified by one of
 * the roots; a misconfigured trust directory fails at start, not at a resident's sign-in.
 * Validity of the CAs is checked again at every verification (they expire too).
 */
export async function createTrustStore(input: TrustInput): Promise<TrustStore> {
  if (input.roots.length === 0) throw new Error('The JPKI trust store has no root certificate.');
  for (const root of input.roots) {
    if (!isCa(root) || !(await root.verify({ signatureOnly: true }))) {
      throw new Error(`The trust root ${root.subject} is not a self-signed CA certificate.`);
    }
  }
  const issuers: TrustedIssuer[] = [];
  for (const kind of ['auth', 'signing'] as const) {
    for (const certificate of input.issuers[kind]) {
      let certified = false;
      for (const root of input.roots) {
        if (certificate.issuer !== root.subject) continue;
        if (await certificate.verify({ publicKey: root.publicKey, signatureOnly: true })) certified = true;
      }
      if (!isCa(certificate) || !certified) {
        throw new Error(`The ${kind} CA ${certificate.subject} is not a CA certified by a trusted root.`);
      }
      issuers.push({ kind, certificate, native: new NativeCertificate(Buffer.from(certificate.rawData)) });
    }
  }
  return { roots: input.roots, issuers, policies: input.policies ?? { auth: [], signing: [] } };
}
