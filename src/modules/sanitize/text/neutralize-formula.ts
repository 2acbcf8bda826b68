/**
 * Formula injection (CSV injection, CWE-1236): a spreadsheet opening the CSV runs a cell
 * that starts with =, +, -, @, TAB or CR as a formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`).
 * Such a cell gets a leading apostrophe, which spreadsheets show as text (OWASP's advice);
 * plain numbers such as -5 or +3.5 are left as they are, since they compute nothing.
 */
const TRIGGER = /^[\s]*[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function isFormula(cell: string): boolean {
  return TRIGGER.test(cell) && !NUMBER.test(cell.trim());
}

export function neutralizeFormula(cell: string): string {
  return isFormula(cell) ? `'${cell}` : cell;
}
