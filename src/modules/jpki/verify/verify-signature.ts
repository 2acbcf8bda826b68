import { MachiError } from '../../../core/index.ts';
import { verifyDetached } from '../cms/index.ts';
import { type BasicFour, readBasicFour } from '../pki/basic-four.ts';
import type { RevocationChecker } from './revocation.ts';
import type { TrustStore } from './trust-store.ts';
import { verifyCertificate } from './verify-certificate.ts';

export interface SignatureReport {
  /** False when the document is not the one that was signed. */
  readonly documentIntact: boolean;
  /** The signer's 基本4情報, from the signing certificate. */
  readonly signer: BasicFour;
  readonly serialNumber: string;
  /** As the signer's software stated it (CMS signingTime); not a trusted timestamp. */
  readonly signingTime: string | null;
  /** The certificate's status at the signing time, and whether it has been revoked since. */
  readonly certificateStatus: {
    readonly atSigning: 'good' | 'revoked';
    readonly revokedAt: string | null;
    readonly source: 'ocsp' | 'crl';
  };
  /** Intact, and signed with a certificate that was valid and not revoked when it signed. */
  readonly valid: boolean;
}

/**
 * Verifies a CMS detached signature over a document the way an online procedure needs
 * it: the signature itself (`signature-invalid`), the signing certificate's chain, kind
 * and validity at the signing time (`certificate-untrusted`, `-wrong-usage`, `-expired`),
 * and its revocation status (fails closed). An altered document is reported, not thrown:
 * "this is the signer, and this is not what they signed" is the answer a clerk needs.
 */
export async function verifyDocumentSignature(
  context: { trust: TrustStore; revocation: RevocationChecker; now: Date },
  signature: Uint8Array | string,
  document: Uint8Array,
): Promise<SignatureReport> {
  const verified = await verifyDetached(signature, document);
  // A signing time from the future is not believed: the certificate is judged now.
  const claimed = verified.signingTime;
  const at = claimed && claimed.getTime() <= context.now.getTime() ? claimed : context.now;
  const certificate = verifyCertificate(verified.signerDer, 'signing', context.trust, at);
  const status = await context.revocation.status(certificate, context.now);
  const revokedAt = status.status === 'revoked' ? status.revokedAt : null;
  // The signing time is the signer's own claim. After a key compromise (a lost card) the
  // finder could claim any time, so such a revocation counts whatever the claim says;
  // a move-out or a reissue (the holder's own key, still safe) counts from its date.
  const compromised = status.status === 'revoked' && status.reason === 'keyCompromise';
  const atSigning = revokedAt && (compromised || revokedAt.getTime() <= at.getTime()) ? 'revoked' : 'good';
  let signer: BasicFour;
  try {
    signer = readBasicFour(certificate.certificate);
  } catch {
    throw new MachiError('certificate-wrong-usage', 'The signing certificate carries no basic four.');
  }
  return {
    documentIntact: verified.documentIntact,
    signer,
    serialNumber: certificate.serialNumber,
    signingTime: claimed ? claimed.toISOString() : null,
    certificateStatus: { atSigning, revokedAt: revokedAt?.toISOString() ?? null, source: status.source },
    valid: verified.documentIntact && atSigning === 'good',
  };
}
