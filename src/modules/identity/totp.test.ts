import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from './base32.ts';
import { generateTotpSecret, hotp, matchTotp, otpauthUri, totpCode, totpStep } from './totp.ts';

const seed20 = Buffer.from('12345678901234567890');
const seed32 = Buffer.from('12345678901234567890123456789012');
const seed64 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234');

describe('HOTP (RFC 4226 Appendix D)', () => {
  const expected = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];
  it.each(expected.map((code, counter) => [counter, code] as const))(
    'counter %i gives %s',
    (counter, code) => {
      expect(hotp(seed20, counter)).toBe(code);
    },
  );
});

describe('TOTP (RFC 6238 Appendix B, 8 digits)', () => {
  const table: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  it.each(table)('at %i s: SHA1 %s, SHA256 %s, SHA512 %s', (seconds, sha1, sha256, sha512) => {
    const at = new Date(seconds * 1000);
    expect(totpCode(base32Encode(seed20), at, 8, 'sha1')).toBe(sha1);
    expect(totpCode(base32Encode(seed32), at, 8, 'sha256')).toBe(sha256);
    expect(totpCode(base32Encode(seed64), at, 8, 'sha512')).toBe(sha512);
  });

  it('uses 30-second steps from the Unix epoch', () => {
    expect(totpStep(new Date(59_000))).toBe(1);
    expect(totpStep(new Date(60_000))).toBe(2);
    expect(totpStep(new Date(1111111109_000))).toBe(0x023523ec);
  });

  it('gives 6-digit codes by default, the last 6 digits of the 8-digit code', () => {
    expect(totpCode(base32Encode(seed20), new Date(59_000))).toBe('287082');
  });
});

describe('matchTotp', () => {
  const secret = base32Encode(seed20);
  const at = new Date(1111111111_000);
  const step = totpStep(at);
  const codeAt = (s: number) => totpCode(secret, new Date(s * 30_000));

  it('accepts the current step and one step either side (RFC 6238 §5.2)', () => {
    expect(matchTotp(secret, codeAt(step), at, null)).toEqual({ step });
    expect(matchTotp(secret, codeAt(step - 1), at, null)).toEqual({ step: step - 1 });
    expect(matchTotp(secret, codeAt(step + 1), at, null)).toEqual({ step: step + 1 });
  });

  it('refuses codes two steps away', () => {
    expect(matchTotp(secret, codeAt(step - 2), at, null)).toBeUndefined();
    expect(matchTotp(secret, codeAt(step + 2), at, null)).toBeUndefined();
  });

  it('refuses a step already used, and any earlier one', () => {
    expect(matchTotp(secret, codeAt(step), at, step)).toEqual({ replayed: true });
    expect(matchTotp(secret, codeAt(step - 1), at, step)).toEqual({ replayed: true });
    expect(matchTotp(secret, codeAt(step + 1), at, step)).toEqual({ step: step + 1 });
  });

  it.each(['', '12345', '1234567', 'abcdef', ' 12345'])('refuses the malformed code %j', (code) => {
    expect(matchTotp(secret, code, at, null)).toBeUndefined();
  });
});

describe('secrets and otpauth URIs', () => {
  it('generates 160-bit base32 secrets, different each time', () => {
    const a = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(a)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(a);
  });

  it('builds a Key URI an authenticator app reads', () => {
    const uri = otpauthUri({
      secret: 'JBSWY3DPEHPK3PXP',
      accountName: 'demo-clerk@131016',
      issuer: 'Machi mynumber',
    });
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Machi mynumber:demo-clerk@131016');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      secret: 'JBSWY3DPEHPK3PXP',
      issuer: 'Machi mynumber',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    expect(uri).not.toContain('+');
  });
});
