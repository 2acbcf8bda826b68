import type { Database } from '../../../core/index.ts';
import type { CertificateStatus } from '../ocsp/index.ts';
import type { CertificateKind } from '../pki/authority.ts';
import type { RevocationReason } from '../pki/crl.ts';
import { findCertificate } from './status-store.ts';

/**
 * What the OCSP responder answers for a serial under one CA: "good" only for a
 * certificate the CA published as issued (RFC 6960 §2.2: a responder that knows
 * issuance answers "unknown" otherwise, rather than "good" for anything not on a CRL).
 */
export async function statusForOcsp(
  database: Database,
  kind: CertificateKind,
  serialNumber: string,
): Promise<CertificateStatus> {
  const known = await findCertificate(database, serialNumber);
  if (!known || known.kind !== kind) return { status: 'unknown' };
  if (known.revokedAt) {
    return {
      status: 'revoked',
      revokedAt: known.revokedAt,
      reason: (known.reason ?? 'unspecified') as RevocationReason,
    };
  }
  return { status: 'good' };
}
