import { CertStatus, OCSPResponseStatus, RevokedInfo } from '@peculiar/asn1-ocsp';
import { CRLReason, CRLReasons } from '@peculiar/asn1-x509';
import { MachiError } from '../../../core/index.ts';
import type { RevocationReason } from '../pki/crl.ts';

/** What a responder knows about one certificate (RFC 6960 §2.2). */
export type CertificateStatus =
  | { readonly status: 'good' }
  | { readonly status: 'revoked'; readonly revokedAt: Date; readonly reason: RevocationReason }
  | { readonly status: 'unknown' };

/** OCSPResponseStatus (RFC 6960 §4.2.1); 4 is not used. */
export const ocspResponseStatus = {
  successful: OCSPResponseStatus.successful,
  malformedRequest: OCSPResponseStatus.malformedRequest,
  internalError: OCSPResponseStatus.internalError,
  tryLater: OCSPResponseStatus.tryLater,
  sigRequired: OCSPResponseStatus.sigRequired,
  unauthorized: OCSPResponseStatus.unauthorized,
} as const;
export type OcspResponseStatus = (typeof ocspResponseStatus)[keyof typeof ocspResponseStatus];

/** The GeneralizedTime we write: whole seconds, as RFC 5280 §4.1.2.5.2 profiles it for PKIX. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export function toCertStatus(status: CertificateStatus): CertStatus {
  if (status.status === 'good') return new CertStatus({ good: null });
  if (status.status === 'unknown') return new CertStatus({ unknown: null });
  return new CertStatus({
    revoked: new RevokedInfo({
      revocationTime: wholeSeconds(status.revokedAt),
      // RFC 5280 §5.3.1: rather than the value unspecified, leave the reason out.
      ...(status.reason === 'unspecified'
        ? {}
        : { revocationReason: new CRLReason(CRLReasons[status.reason]) }),
    }),
  });
}

const known: readonly RevocationReason[] = [
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
];

export function fromCertStatus(certStatus: CertStatus): CertificateStatus {
  if (certStatus.revoked) {
    const name = CRLReasons[certStatus.revoked.revocationReason?.reason ?? CRLReasons.unspecified];
    // A reason outside our list (cACompromise, certificateHold …) still means revoked.
    const reason = known.find((entry) => entry === name) ?? 'unspecified';
    return { status: 'revoked', revokedAt: certStatus.revoked.revocationTime, reason };
  }
  if (certStatus.good !== undefined) return { status: 'good' };
  return { status: 'unknown' };
}

/** The one way a status check fails: closed, as 503 — nothing is accepted until status is known. */
export function statusUnknown(detail: string): MachiError {
  return new MachiError('certificate-status-unknown', detail);
}
