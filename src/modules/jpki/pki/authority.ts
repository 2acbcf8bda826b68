import type { x509 } from './crypto.ts';

/** A certificate authority (or OCSP responder): its certificate and the key it signs with. */
export interface Authority {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: CryptoKey;
}

/** The two kinds of JPKI end-entity certificate. */
export type CertificateKind = 'auth' | 'signing';

/**
 * A deployment's JPKI-shaped hierarchy: one root, and under it one CA per kind of
 * certificate (as J-LIS runs separate CAs for 利用者証明用 and 署名用), each with a
 * delegated OCSP responder (RFC 6960 §4.2.2.2) so that the CA key itself never
 * has to sit on the internet-facing side.
 */
export interface Hierarchy {
  readonly root: Authority;
  readonly ca: Readonly<Record<CertificateKind, Authority>>;
  readonly ocsp: Readonly<Record<CertificateKind, Authority>>;
}

/** Where relying parties find status: written into every certificate an issuing CA signs. */
export interface StatusLocations {
  /** OCSP responder URL (AIA id-ad-ocsp). */
  readonly ocspUrl: string;
  /** Base URL of the CRLs; `<base>/<kind>.crl` (CRL distribution point). */
  readonly crlBaseUrl: string;
}

export function crlUrl(locations: StatusLocations, kind: CertificateKind): string {
  return `${locations.crlBaseUrl.replace(/\/$/, '')}/${kind}.crl`;
}
