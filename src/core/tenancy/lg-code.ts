import { MachiError } from '../errors/index.ts';

declare const lgCodeBrand: unique symbol;
/** A 地方公共団体コード whose check digit has been verified. Only `parseLgCode` makes one. */
export type LgCode = string & { readonly [lgCodeBrand]: true };

/**
 * JIS X 0402 check digit of a 5-digit body code: weights 6..2, modulus 11,
 * check = (11 − s mod 11) mod 10 — so remainder 0 gives 1 and remainder 1 gives 0.
 */
export function lgCodeCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += (6 - i) * (body.charCodeAt(i) - 48);
  return (11 - (sum % 11)) % 10;
}

/** Returns the code as an LgCode, or throws `lg-code-invalid` saying what is wrong. */
export function parseLgCode(input: unknown): LgCode {
  if (typeof input !== 'string' || !/^\d{6}$/.test(input)) {
    throw new MachiError('lg-code-invalid', '地方公共団体コード must be 6 digits (e.g. 131016).', {
      value: typeof input === 'string' ? input.slice(0, 20) : undefined,
    });
  }
  const expected = lgCodeCheckDigit(input.slice(0, 5));
  if (expected !== input.charCodeAt(5) - 48) {
    throw new MachiError('lg-code-invalid', `The check digit of ${input} is wrong; expected ${expected}.`, {
      value: input,
    });
  }
  return input as LgCode;
}

export function isLgCode(input: unknown): input is LgCode {
  try {
    parseLgCode(input);
    return true;
  } catch {
    return false;
  }
}
