import { MachiError } from '../../../core/index.ts';
import { verifyDetached } from '../../jpki/index.ts';
import { readSignature } from './byte-range.ts';
import type { NoticeTrust } from './notice-trust.ts';
import { verifyNoticeSigner } from './verify-signer.ts';

/** Who signed a notice and when, once every check has passed. */
export interface VerifiedNotice {
  readonly municipalityCode: string;
  /** 千代田区 */
  readonly municipalityName: string;
  /** The office that signed, as its certificate names it: 千代田区長. */
  readonly signerTitle: string;
  /** The signing time the municipality's own server stated (CMS signingTime); not a timestamp authority's. */
  readonly signingTime: Date;
  /** Lower-case hex, to find the certificate in the deployment's records. */
  readonly certificateSerial: string;
}

/**
 * Verifies a signed disposition notice and says who signed it, or throws why not:
 * - `encoding-invalid`: no signature, or one that cannot be decoded;
 * - `document-altered`: a byte of the signed part changed, bytes appended after the signature
 *   (an incremental update), a second signature, or an edited hole;
 * - `signature-invalid`: the CMS signature itself does not verify;
 * - `certificate-untrusted` / `-wrong-usage` / `-expired` / `-not-yet-valid`: the signer is not
 *   a municipality certified by a root of `trust`, valid when it signed.
 */
export async function verifyNoticePdf(
  bytes: Uint8Array,
  trust: NoticeTrust,
  options: { now?: Date } = {},
): Promise<VerifiedNotice> {
  const { covered, cms } = readSignature(bytes);
  const verified = await verifyDetached(cms, covered);
  if (!verified.documentIntact)
    throw new MachiError('document-altered', 'The notice was changed after it was signed.');
  const signingTime = verified.signingTime;
  if (!signingTime) throw new MachiError('encoding-invalid', 'The notice signature states no signing time.');
  // A signing time in the future is not believed: the certificate is then judged now.
  const now = options.now ?? new Date();
  const at = signingTime.getTime() <= now.getTime() ? signingTime : now;
  const municipality = verifyNoticeSigner(verified.signer, trust, at);
  return {
    municipalityCode: municipality.code,
    municipalityName: municipality.name,
    signerTitle: municipality.headTitle,
    signingTime,
    certificateSerial: verified.signer.serialNumber.toLowerCase(),
  };
}
