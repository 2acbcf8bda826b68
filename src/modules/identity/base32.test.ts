import { describe, expect, it } from 'vitest';
import { isMachiError } from '../../core/index.ts';
import { base32Decode, base32Encode } from './base32.ts';

// RFC 4648 §10 test vectors.
const vectors: [string, string][] = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

describe('base32 (RFC 4648)', () => {
  it.each(vectors)('encodes %j as %j and back', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(plain);
  });

  it('omits padding when asked (otpauth:// form) and still decodes', () => {
    expect(base32Encode(Buffer.from('foobar'), { padding: false })).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
  });

  it('forgives lower case and spaces people type', () => {
    expect(base32Decode('mzxw 6ytb oi').toString()).toBe('foobar');
  });

  it('round-trips random bytes of every length up to 40', () => {
    for (let length = 0; length <= 40; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length) & 0xff));
      expect(base32Decode(base32Encode(bytes)).equals(bytes)).toBe(true);
    }
  });

  it.each(['MZXW1', 'MZXW8', 'MZ-XW', 'ＭＺ'])('refuses %j, which is not in the alphabet', (bad) => {
    let caught: unknown;
    try {
      base32Decode(bad);
    } catch (error) {
      caught = error;
    }
    expect(isMachiError(caught) && caught.code).toBe('validation-failed');
  });
});
