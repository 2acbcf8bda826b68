import { MachiError } from '../../core/index.ts';

/** A calendar day as 'YYYY-MM-DD' (ISO 8601), checked to exist (no 2023-02-29). */
export function parseIsoDate(input: unknown, field: string): string {
  if (typeof input === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(input)) {
    const [y, m, d] = input.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1868) {
      return input;
    }
  }
  throw new MachiError('date-invalid', `${field} must be a real calendar date written YYYY-MM-DD.`, {
    field,
  });
}
