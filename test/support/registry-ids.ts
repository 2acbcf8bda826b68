import { myNumberCheckDigit, residentCodeCheckDigit } from '../../src/modules/registry/index.ts';

/** A valid 住民票コード from a small number (check digit included), so tests read clearly. */
export function residentCodeOf(n: number): string {
  const body = String(n).padStart(10, '0');
  return `${body}${residentCodeCheckDigit(body)}`;
}

/** A valid 個人番号 from a small number (check digit included). */
export function myNumberOf(n: number): string {
  const body = String(n).padStart(11, '0');
  return `${body}${myNumberCheckDigit(body)}`;
}
