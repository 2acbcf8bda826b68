/** One CSV field: quoted only when it must be (RFC 4180 §2.6–2.7). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// A cell starting with one of these is a formula to a spreadsheet (CSV injection, OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV for people who open it in Excel: UTF-8 with a BOM (without it Excel reads Shift_JIS
 * and the Japanese is garbled), CRLF line ends, and any text that a spreadsheet would run
 * as a formula prefixed with an apostrophe. Numbers stay numbers.
 */
export function spreadsheetCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const cell = (value: string | number | null) => {
    if (value === null) return '';
    if (typeof value === 'number') return String(value);
    return csvField(FORMULA_START.test(value) ? `'${value}` : value);
  };
  const lines = [header, ...rows].map((row) => row.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
