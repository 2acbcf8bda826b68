import { MachiError } from '../errors/index.ts';
import { DASH_LIKE, toHalfWidthAscii } from './width.ts';

/**
 * A Japanese postal code (郵便番号) as typed — '〒100-0001', '１００－０００１', '100 0001' —
 * → its 7 digits '1000001', the form Japan Post's KEN_ALL data uses. Throws `validation-failed`.
 */
export function normalizePostalCode(text: unknown): string {
  if (typeof text !== 'string') throw new MachiError('validation-failed', 'The postal code must be text.');
  const ascii = toHalfWidthAscii(text)
    .replace(/^\s*〒/, '')
    .replace(DASH_LIKE, '-')
    .trim();
  const match = /^(\d{3})[- ]?(\d{4})$/.exec(ascii);
  if (!match) {
    throw new MachiError(
      'validation-failed',
      'A postal code is 7 digits, written like 100-0001 or 1000001.',
      {
        value: text.slice(0, 20),
      },
    );
  }
  return `${match[1]}${match[2]}`;
}

/** '1000001' (or anything normalizePostalCode accepts) → '100-0001'. */
export function formatPostalCode(text: string): string {
  const digits = normalizePostalCode(text);
  return `${digits.slice(0, 3)}-${digits.slice(3)}`;
}
