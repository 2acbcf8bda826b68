import { MachiError } from '../../../core/index.ts';

declare const myNumberBrand: unique symbol;
/** A 個人番号 whose check digit has been verified. Only `parseMyNumber` makes one. */
export type MyNumber = string & { readonly [myNumberBrand]: true };

/**
 * 個人番号の検査用数字 (番号法施行令第8条, 総務省令第85号第5条): number the first 11 digits
 * P(n) from the RIGHT (n = 1..11); Q(n) = n + 1 for 1 ≤ n ≤ 6 and n − 5 for 7 ≤ n ≤ 11,
 * i.e. weights 2,3,4,5,6,7,2,3,4,5,6 from the right; r = Σ P(n)·Q(n) mod 11;
 * check = 0 when r ≤ 1, else 11 − r.
 */
export function myNumberCheckDigit(first11: string): number {
  if (!/^\d{11}$/.test(first11)) throw new RangeError('myNumberCheckDigit needs exactly 11 digits');
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = first11.charCodeAt(11 - n) - 48;
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/**
 * Returns the number as a MyNumber, or throws `my-number-invalid` saying what is wrong.
 * Careful: the detail never repeats the number itself — it is personal data.
 */
export function parseMyNumber(input: unknown, field = 'myNumber'): MyNumber {
  if (typeof input !== 'string' || !/^\d{12}$/.test(input)) {
    throw new MachiError('my-number-invalid', `${field}: a 個人番号 is exactly 12 digits (0-9).`, { field });
  }
  if (myNumberCheckDigit(input.slice(0, 11)) !== input.charCodeAt(11) - 48) {
    throw new MachiError(
      'my-number-invalid',
      `${field}: the check digit (検査用数字) does not match; the number was probably mistyped.`,
      { field },
    );
  }
  return input as MyNumber;
}
