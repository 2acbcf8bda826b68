import { describe, expect, it } from 'vitest';
import { MachiError } from '../../../core/index.ts';
import { myNumberCheckDigit, parseMyNumber } from './my-number.ts';
import { isResidentCode, parseResidentCode, residentCodeCheckDigit } from './resident-code.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof MachiError) return `${error.code}:${String(error.extensions.field)}`;
    throw error;
  }
  return undefined;
}

describe('myNumberCheckDigit', () => {
  it('matches a worked example by hand: 1234567890 1 → weights 2,3,4,5,6,7,2,3,4,5,6 from the right', () => {
    // 1·2+0·3+9·4+8·5+7·6+6·7+5·2+4·3+3·4+2·5+1·6 = 212; 212 mod 11 = 3; 11 − 3 = 8
    expect(myNumberCheckDigit('12345678901')).toBe(8);
  });
  it('agrees with a number published as valid (983205673214)', () => {
    expect(myNumberCheckDigit('98320567321')).toBe(4);
  });
  it('gives 0 when the remainder is 0 or 1', () => {
    expect(myNumberCheckDigit('00000000000')).toBe(0); // r = 0
    expect(myNumberCheckDigit('00000000006')).toBe(0); // 6·2 = 12, r = 1
    expect(myNumberCheckDigit('00000000005')).toBe(1); // 10, r = 10 → 1
  });
  it('refuses input that is not 11 digits', () => {
    expect(() => myNumberCheckDigit('1234')).toThrow(RangeError);
  });
});

describe('parseMyNumber', () => {
  it('accepts valid numbers', () => {
    expect(parseMyNumber('123456789018')).toBe('123456789018');
    expect(parseMyNumber('983205673214')).toBe('983205673214');
    expect(parseMyNumber('000000000060')).toBe('000000000060');
  });
  it('rejects every wrong check digit of a valid body', () => {
    for (let d = 0; d <= 9; d++) {
      if (d === 8) continue;
      expect(codeOf(() => parseMyNumber(`12345678901${d}`))).toBe('my-number-invalid:myNumber');
    }
  });
  it('catches a swap of two adjacent digits', () => {
    expect(codeOf(() => parseMyNumber('213456789018'))).toBe('my-number-invalid:myNumber');
  });
  it('rejects wrong length, non-digits and non-strings, naming the field', () => {
    for (const bad of [
      '12345678901',
      '1234567890180',
      '12345678901a',
      '１２３４５６７８９０１８',
      '',
      12345678901,
      null,
    ]) {
      expect(codeOf(() => parseMyNumber(bad, 'person.myNumber'))).toBe('my-number-invalid:person.myNumber');
    }
  });
  it('never repeats the number in the error', () => {
    try {
      parseMyNumber('123456789010');
    } catch (error) {
      expect(
        JSON.stringify({ ...(error as MachiError).extensions, d: (error as MachiError).detail }),
      ).not.toContain('12345678901');
    }
  });
});

describe('住民票コード', () => {
  it('computes the check digit over 10 digits (documented modulus-11 assumption)', () => {
    // 0·2+9·3+8·4+7·5+6·6+5·7+4·2+3·3+2·4+1·5 = 195; 195 mod 11 = 8; 11 − 8 = 3
    expect(residentCodeCheckDigit('1234567890')).toBe(3);
    expect(residentCodeCheckDigit('0000000000')).toBe(0);
    expect(residentCodeCheckDigit('0000000006')).toBe(0);
  });
  it('parses a valid code and rejects a wrong check digit', () => {
    expect(parseResidentCode('12345678903')).toBe('12345678903');
    expect(isResidentCode('12345678903')).toBe(true);
    expect(codeOf(() => parseResidentCode('12345678904'))).toBe('resident-code-invalid:residentCode');
    expect(isResidentCode('12345678904')).toBe(false);
  });
  it('rejects wrong shapes with the field named', () => {
    for (const bad of ['1234567890', '123456789030', 'abcdefghijk', undefined, 1]) {
      expect(codeOf(() => parseResidentCode(bad, 'headResidentCode'))).toBe(
        'resident-code-invalid:headResidentCode',
      );
    }
  });
});
