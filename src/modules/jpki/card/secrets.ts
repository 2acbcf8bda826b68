import { MachiError } from '../../../core/index.ts';
import type { CertificateKind } from '../pki/authority.ts';

/**
 * What unlocks each key on a My Number card: a 4-digit PIN for the auth key
 * (利用者証明用), a password of 6–16 upper-case letters and digits for the signing key
 * (署名用). Wrong tries in a row lock the key: 3 for the PIN, 5 for the password.
 */
export const secretRules: Record<CertificateKind, { pattern: RegExp; maxFailures: number; what: string }> = {
  auth: { pattern: /^\d{4}$/, maxFailures: 3, what: 'The PIN must be 4 digits.' },
  signing: {
    pattern: /^[A-Z0-9]{6,16}$/,
    maxFailures: 5,
    what: 'The signing password must be 6 to 16 upper-case letters (A–Z) and digits.',
  },
};

/** Refuses a PIN or password of the wrong shape before it costs a try (the real card does too). */
export function checkSecretShape(kind: CertificateKind, secret: string): void {
  if (!secretRules[kind].pattern.test(secret))
    throw new MachiError('validation-failed', secretRules[kind].what);
}
