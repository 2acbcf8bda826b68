import { createHash, type KeyObject, verify } from 'node:crypto';
import { MachiError } from '../../../core/index.ts';

/** How far a partner's clock may be from ours, either way. */
export const SIGNATURE_SKEW_MS = 5 * 60_000;

export interface SignedPartnerRequest {
  /** `x-machi-timestamp`: milliseconds since the epoch, as the partner signed it. */
  readonly timestamp: string | undefined;
  /** `x-machi-signature`: base64 Ed25519 signature. */
  readonly signature: string | undefined;
  readonly method: string;
  readonly path: string;
  /** The body exactly as received. */
  readonly body: string;
}

/** The bytes a partner signs: timestamp, method, path and the body's SHA-256, one a line. */
export function partnerSigningInput(request: Omit<SignedPartnerRequest, 'signature'>): Buffer {
  const digest = createHash('sha256').update(request.body, 'utf8').digest('hex');
  return Buffer.from(
    `${request.timestamp}\n${request.method.toUpperCase()}\n${request.path}\n${digest}`,
    'utf8',
  );
}

/**
 * Checks a partner's call: signed by its key over the exact body, path and method, within
 * five minutes of now. A replay inside that window repeats an exchange id, which posts once.
 */
export function verifyPartnerRequest(key: KeyObject, request: SignedPartnerRequest, now: Date): void {
  const refused = (detail: string) => new MachiError('signature-invalid', detail);
  if (!request.timestamp || !/^\d{13}$/.test(request.timestamp)) {
    throw refused('Send x-machi-timestamp: milliseconds since 1970, as signed.');
  }
  if (Math.abs(Number(request.timestamp) - now.getTime()) > SIGNATURE_SKEW_MS) {
    throw refused('x-machi-timestamp is more than five minutes from now: check the clock and sign again.');
  }
  const signature = Buffer.from(request.signature ?? '', 'base64');
  if (signature.length !== 64) throw refused('Send x-machi-signature: the base64 Ed25519 signature.');
  if (!verify(null, partnerSigningInput(request), key, signature)) {
    throw refused('The signature does not verify with the partner key on file.');
  }
}
