import {
  isKatakanaName,
  isValidCivilDate,
  MachiError,
  normalizeDigitsAndLetters,
  toHalfWidthAscii,
  toKatakana,
} from '../../../core/index.ts';
import { myNumberCheckDigit, residentCodeCheckDigit } from '../identifiers/index.ts';
import { type ResidentCsvColumn, residentCsvColumns } from './csv-format.ts';

/** Where each column sits in a row, from the header. */
export type ColumnIndex = Readonly<Record<ResidentCsvColumn, number>>;

/** Reads the header row; a file without the right header is refused as a whole (`csv-invalid`). */
export function readHeader(fields: readonly string[] | undefined): ColumnIndex {
  if (!fields) throw new MachiError('csv-invalid', 'The file is empty: a header row is required.');
  const names = fields.map((name) => name.trim());
  const index: Partial<Record<ResidentCsvColumn, number>> = {};
  for (const [position, name] of names.entries()) {
    if (!(residentCsvColumns as readonly string[]).includes(name)) {
      throw new MachiError('csv-invalid', `Line 1: unknown column "${name.slice(0, 40)}" in the header.`, {
        line: 1,
      });
    }
    if (index[name as ResidentCsvColumn] !== undefined) {
      throw new MachiError('csv-invalid', `Line 1: the column ${name} appears twice.`, { line: 1 });
    }
    index[name as ResidentCsvColumn] = position;
  }
  const missing = residentCsvColumns.filter((column) => index[column] === undefined);
  if (missing.length > 0) {
    throw new MachiError('csv-invalid', `Line 1: the header lacks ${missing.join(', ')}.`, {
      line: 1,
      missing,
    });
  }
  return index as ColumnIndex;
}

/** A row that passed every check, in the form it is stored. */
export interface ValidRow {
  readonly residentCode: string;
  readonly myNumber: string;
  readonly familyName: string;
  readonly givenName: string;
  readonly familyNameKana: string;
  readonly givenNameKana: string;
  readonly sex: string;
  readonly birthDate: string;
  /** '' when absent (NULL in the table). */
  readonly postalCode: string;
  readonly address: string;
  readonly householdKey: string;
  readonly relationship: string;
  readonly addressSince: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Control characters and U+FFFD (what invalid UTF-8 decodes to) never belong in a name or address.
const BAD_TEXT = /[\p{Cc}\ufffd]/u;

function digits(value: string, length: number): string | undefined {
  if (value.length === length && /^\d+$/.test(value)) return value;
  const normalized = normalizeDigitsAndLetters(value.trim());
  return normalized.length === length && /^\d+$/.test(normalized) ? normalized : undefined;
}

function dateProblem(value: string): string | undefined {
  const match = DATE.exec(value);
  if (!match) return 'is not a date written YYYY-MM-DD';
  if (!isValidCivilDate(Number(match[1]), Number(match[2]), Number(match[3])))
    return 'is not a real calendar day';
  if (value < '1868-01-01') return 'is before 1868';
  return undefined;
}

function text(value: string, column: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new RowProblem(`${column} is empty`);
  if (trimmed.length > max) throw new RowProblem(`${column} is longer than ${max} characters`);
  if (BAD_TEXT.test(trimmed)) throw new RowProblem(`${column} contains a control character or invalid UTF-8`);
  return trimmed;
}

function kana(value: string, column: string): string {
  const trimmed = value.trim();
  if (isKatakanaName(trimmed)) return trimmed;
  if (trimmed === '') throw new RowProblem(`${column} is empty`);
  const converted = toKatakana(trimmed).replace(/[ \u3000]+/g, '\u3000');
  if (isKatakanaName(converted)) return converted;
  throw new RowProblem(`${column} must be written in katakana`);
}

/** A reason a row is refused. The message names the column, never the value (personal data). */
class RowProblem extends Error {}

/**
 * Checks one data row; returns the row as stored, or the reason it is refused.
 * `today` ('YYYY-MM-DD', Asia/Tokyo) bounds birth and address dates.
 */
export function validateRow(
  fields: readonly string[],
  columns: ColumnIndex,
  today: string,
): ValidRow | string {
  if (fields.length !== residentCsvColumns.length) {
    return `expected ${residentCsvColumns.length} columns, found ${fields.length}`;
  }
  try {
    const field = (column: ResidentCsvColumn) => fields[columns[column]]!;
    const residentCode = digits(field('resident_code'), 11);
    if (!residentCode) return 'resident_code must be 11 digits';
    if (residentCodeCheckDigit(residentCode.slice(0, 10)) !== residentCode.charCodeAt(10) - 48) {
      return 'resident_code: the check digit does not match';
    }
    const myNumber = digits(field('my_number'), 12);
    if (!myNumber) return 'my_number must be 12 digits';
    if (myNumberCheckDigit(myNumber.slice(0, 11)) !== myNumber.charCodeAt(11) - 48) {
      return 'my_number: the check digit does not match';
    }
    const familyName = text(field('family_name'), 'family_name', 50);
    const givenName = text(field('given_name'), 'given_name', 50);
    const familyNameKana = kana(field('family_name_kana'), 'family_name_kana');
    const givenNameKana = kana(field('given_name_kana'), 'given_name_kana');
    const sex = field('sex').trim();
    if (sex !== '1' && sex !== '2' && sex !== '9') return 'sex must be 1, 2 or 9 (ISO/IEC 5218)';
    const birthDate = field('birth_date').trim();
    const birthProblem = dateProblem(birthDate);
    if (birthProblem) return `birth_date ${birthProblem}`;
    if (birthDate > today) return 'birth_date is in the future';
    let postalCode = field('postal_code').trim();
    if (postalCode !== '') {
      const match = /^(\d{3})-?(\d{4})$/.exec(toHalfWidthAscii(postalCode));
      if (!match) return 'postal_code must be 7 digits';
      postalCode = match[1]! + match[2]!;
    }
    const address = text(field('address'), 'address', 200);
    const householdKey = text(field('household_key'), 'household_key', 64);
    const relationship = text(field('relationship'), 'relationship', 20);
    const addressSince = field('address_since').trim();
    const sinceProblem = dateProblem(addressSince);
    if (sinceProblem) return `address_since ${sinceProblem}`;
    if (addressSince > today) return 'address_since is in the future';
    if (addressSince < birthDate) return 'address_since is before birth_date';
    return {
      residentCode,
      myNumber,
      familyName,
      givenName,
      familyNameKana,
      givenNameKana,
      sex,
      birthDate,
      postalCode,
      address,
      householdKey,
      relationship,
      addressSince,
    };
  } catch (error) {
    if (error instanceof RowProblem) return error.message;
    throw error;
  }
}
