import { createHmac, randomBytes } from 'node:crypto';
import { base32Decode, base32Encode } from './base32.ts';

/** RFC 6238 §4: time step X = 30 s, T0 = 0 (Unix epoch). */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

/**
 * HOTP (RFC 4226 §5.3): HMAC of the 8-byte big-endian counter, dynamic
 * truncation, modulo 10^digits, left-padded with zeros.
 */
export function hotp(
  key: Uint8Array,
  counter: number,
  digits = TOTP_DIGITS,
  algorithm: HmacAlgorithm = 'sha1',
) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary =
    ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 §4.2: T = floor((unix time − T0) / X). */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS);
}

/** The one-time code for a base32 secret at a moment (what the staff member's app shows). */
export function totpCode(secret: string, at: Date, digits = TOTP_DIGITS, algorithm: HmacAlgorithm = 'sha1') {
  return hotp(base32Decode(secret), totpStep(at), digits, algorithm);
}

/**
 * Finds the time step a code belongs to, within ±1 step of `at` (RFC 6238 §5.2
 * allows one step of clock drift). Steps at or before `lastUsedStep` are not
 * tried: a code is good once (RFC 6238 §5.2, "MUST NOT accept the second attempt").
 * Returns the matched step, or undefined.
 */
export function matchTotp(
  secret: string,
  code: string,
  at: Date,
  lastUsedStep: number | null,
): { step: number } | { replayed: true } | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const key = base32Decode(secret);
  const now = totpStep(at);
  let replayed = false;
  for (const step of [now - 1, now, now + 1]) {
    // Compare every candidate so the time taken does not say which step matched.
    if (!equalCodes(hotp(key, step), code)) continue;
    if (lastUsedStep !== null && step <= lastUsedStep) replayed = true;
    else return { step };
  }
  return replayed ? { replayed: true } : undefined;
}

function equalCodes(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A new 160-bit secret (RFC 4226 §4 recommends 160 bits), base32 without padding. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20), { padding: false });
}

/**
 * The otpauth:// URI authenticator apps read from a QR code (Google Authenticator
 * "Key Uri Format"): otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…
 */
export function otpauthUri(input: { secret: string; accountName: string; issuer: string }): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.accountName)}`;
  const params = new URLSearchParams({
    secret: input.secret,
    issuer: input.issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString().replace(/\+/g, '%20')}`;
}
