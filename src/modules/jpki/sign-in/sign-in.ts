import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { type AuditLog, type Clock, type Database, MachiError } from '../../../core/index.ts';
import { derFrom } from '../pki/encoding.ts';
import type { RevocationChecker } from '../verify/revocation.ts';
import type { TrustStore } from '../verify/trust-store.ts';
import { type VerifiedCertificate, verifyCertificate } from '../verify/verify-certificate.ts';
import { type OpenedChallenge, openChallenge, signInMessage } from './challenge.ts';
import type { ResidentPrincipal } from './resident-sessions.ts';
import { startResidentSession } from './start-sessions.ts';

/** What resident sign-in needs (internet zone). */
export interface SignInContext {
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly trust: TrustStore;
  readonly revocation: RevocationChecker;
  readonly challengeKey: Buffer;
}

export interface SignInAnswer {
  readonly challenge: string;
  /** The auth certificate, DER as base64 (or PEM). */
  readonly certificate: string;
  /** RSASSA-PKCS1-v1_5 SHA-256 over `signInMessage(challenge)`, base64. */
  readonly signature: string;
}

// The certificate's public key, read once per parsed certificate (verifyCertificate keeps one
// parsed certificate per DER): reading the key from its DER costs ~5 times the RSA verification.
const publicKeys = new WeakMap<VerifiedCertificate['certificate'], KeyObject>();

function publicKeyOf(verified: VerifiedCertificate): KeyObject {
  let key = publicKeys.get(verified.certificate);
  if (!key) {
    key = createPublicKey({
      key: Buffer.from(verified.certificate.publicKey.rawData),
      format: 'der',
      type: 'spki',
    });
    publicKeys.set(verified.certificate, key);
  }
  return key;
}

/**
 * The checks every answer of a card to a challenge goes through, in this order: the
 * certificate (DER, trusted auth CA, key usage, validity), the signature over this challenge,
 * the revocation status (fails closed), that the challenge was made here for `origin` and is
 * fresh. Spending it is the caller's next step, once it knows the card's holder. A bad
 * signature or a revoked card is reported to `onRefused` (sign-in audits them) before the throw.
 */
export async function checkCardAnswer(
  context: SignInContext,
  answer: SignInAnswer,
  origin: string,
  onRefused: (code: string, serialNumber: string) => Promise<void> = async () => {},
): Promise<{ verified: VerifiedCertificate; challenge: OpenedChallenge }> {
  const now = context.clock.now();
  const verified = verifyCertificate(answer.certificate, 'auth', context.trust, now);
  const signature = derFrom(answer.signature, 'signature');
  if (!verify('sha256', signInMessage(answer.challenge), publicKeyOf(verified), signature)) {
    await onRefused('signature-invalid', verified.serialNumber);
    throw new MachiError('signature-invalid', 'The card’s signature over the challenge does not verify.');
  }
  try {
    await context.revocation.requireGood(verified, now);
  } catch (error) {
    if (error instanceof MachiError) await onRefused(error.code, verified.serialNumber);
    throw error;
  }
  return { verified, challenge: openChallenge(context.challengeKey, answer.challenge, origin, now) };
}

/**
 * Resident sign-in with the card's auth certificate (利用者証明用電子証明書). Checks, in
 * this order: the certificate (DER, trusted auth CA, key usage, validity), the signature
 * over this challenge, the revocation status (fails closed), that the challenge was made
 * here for this origin and is fresh; then, in one statement, that the certificate is a card
 * issued here (it names a pseudonymous holder) and not revoked there, and only then spends
 * the challenge (so a forged answer cannot burn a resident's challenge) and starts the
 * session. Returns the new session; the sign-in is audited.
 */
export async function signInWithCard(
  context: SignInContext,
  answer: SignInAnswer,
  origin: string,
  previousCookie: string | undefined,
): Promise<{ cookieValue: string; principal: ResidentPrincipal }> {
  const now = context.clock.now();
  const { verified, challenge } = await checkCardAnswer(context, answer, origin, (code, serial) =>
    refused(context, code, serial),
  );
  return startResidentSession(
    context.database,
    context.audit,
    verified.serialNumber,
    challenge,
    previousCookie,
    now,
  );
}

async function refused(context: SignInContext, code: string, serialNumber: string): Promise<void> {
  await context.audit.record({
    municipalityCode: null,
    actor: 'anonymous',
    action: 'jpki.sign-in',
    target: serialNumber,
    outcome: 'failure',
    details: { code },
  });
}
