import { MachiError } from '../../../core/index.ts';

declare const residentCodeBrand: unique symbol;
/** A 住民票コード whose check digit has been verified. Only `parseResidentCode` makes one. */
export type ResidentCode = string & { readonly [residentCodeBrand]: true };

/**
 * 検査数字 of a 住民票コード: 10 random digits followed by one check digit
 * (住民基本台帳法施行規則第1条). The formula itself is fixed by 平成14年総務省告示第436号,
 * whose text we could not obtain.
 *
 * ASSUMPTION (documented so it can be replaced once the 告示 is checked): we use the same
 * modulus-11 scheme as the 個人番号 over the first 10 digits — P(n) numbered from the
 * right (n = 1..10), Q(n) = n + 1 for 1 ≤ n ≤ 6 and n − 5 for 7 ≤ n ≤ 10,
 * r = Σ P(n)·Q(n) mod 11, check = 0 when r ≤ 1, else 11 − r.
 * Real 住民票コード may therefore fail this check; the demo generator makes codes with it.
 */
export function residentCodeCheckDigit(first10: string): number {
  if (!/^\d{10}$/.test(first10)) throw new RangeError('residentCodeCheckDigit needs exactly 10 digits');
  let sum = 0;
  for (let n = 1; n <= 10; n++) {
    const p = first10.charCodeAt(10 - n) - 48;
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/** Returns the code as a ResidentCode, or throws `resident-code-invalid` naming the field. */
export function parseResidentCode(input: unknown, field = 'residentCode'): ResidentCode {
  if (typeof input !== 'string' || !/^\d{11}$/.test(input)) {
    throw new MachiError('resident-code-invalid', `${field}: a 住民票コード is exactly 11 digits (0-9).`, {
      field,
    });
  }
  if (residentCodeCheckDigit(input.slice(0, 10)) !== input.charCodeAt(10) - 48) {
    throw new MachiError(
      'resident-code-invalid',
      `${field}: the check digit (検査数字) does not match; the code was probably mistyped.`,
      { field },
    );
  }
  return input as ResidentCode;
}

export function isResidentCode(input: unknown): input is ResidentCode {
  return (
    typeof input === 'string' &&
    /^\d{11}$/.test(input) &&
    residentCodeCheckDigit(input.slice(0, 10)) === input.charCodeAt(10) - 48
  );
}
