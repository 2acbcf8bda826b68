/**
 * The resident CSV that `machi registry import` reads and `machi registry generate` writes.
 *
 * - UTF-8 (a leading BOM is tolerated), RFC 4180 quoting ("…", "" inside), LF or CRLF.
 * - A header row is required; it names the columns below (any order, no others, none missing).
 * - One person per row:
 *     resident_code     住民票コード, 11 digits with its check digit
 *     my_number         個人番号, 12 digits with its check digit
 *     family_name       氏
 *     given_name        名
 *     family_name_kana  氏 (フリガナ); hiragana and half-width kana are turned into full-width katakana
 *     given_name_kana   名 (フリガナ)
 *     sex               ISO/IEC 5218: 1 male, 2 female, 9 not applicable
 *     birth_date        YYYY-MM-DD
 *     postal_code       7 digits (100-0001 is accepted); may be empty
 *     address           the address within the municipality (町名・丁目・番地・号, building)
 *     household_key     any text that groups the persons of one 世帯 within this file
 *     relationship      続柄 to the head: 世帯主 for the head, e.g. 妻, 子, 父
 *     address_since     YYYY-MM-DD, the day the address took effect (住所を定めた日)
 * - Blank lines are ignored. Line numbers in reports count physical lines, the header is line 1.
 */

import { csvField } from '../../../core/index.ts';
export const residentCsvColumns = [
  'resident_code',
  'my_number',
  'family_name',
  'given_name',
  'family_name_kana',
  'given_name_kana',
  'sex',
  'birth_date',
  'postal_code',
  'address',
  'household_key',
  'relationship',
  'address_since',
] as const;

export type ResidentCsvColumn = (typeof residentCsvColumns)[number];

/** One row of the resident CSV, as strings. */
export type ResidentCsvRow = Record<ResidentCsvColumn, string>;

/** The 続柄 that marks the head of household (世帯主). */
export const HEAD_OF_HOUSEHOLD = '世帯主';

/** One CSV line (with its LF) in the column order above. */
export function residentCsvLine(row: ResidentCsvRow): string {
  let line = '';
  for (let i = 0; i < residentCsvColumns.length; i++) {
    if (i > 0) line += ',';
    line += csvField(row[residentCsvColumns[i]!]);
  }
  return `${line}\n`;
}

export const residentCsvHeader = `${residentCsvColumns.join(',')}\n`;
