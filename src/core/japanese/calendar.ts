import { type Clock, systemClock } from '../clock.ts';
import { MachiError } from '../errors/index.ts';

/** A calendar day with no time and no zone; written 'YYYY-MM-DD' (ISO 8601 calendar date). */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Gregorian rule: every 4th year, except centuries, except every 400th (2000 is leap, 1900 is not). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return MONTH_DAYS[month - 1] ?? 0;
}

export function isValidCivilDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

export function formatIsoDate(date: CivilDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/**
 * The one way this folder builds a `date-invalid` error. `value` echoes what the person typed
 * (cut to 40 characters) back to them in problem+json; `detail` says what is wrong.
 */
export function dateInvalid(detail: string, value: unknown): MachiError {
  return new MachiError(
    'date-invalid',
    detail,
    typeof value === 'string' ? { value: value.slice(0, 40) } : {},
  );
}

/**
 * Throws `date-invalid` unless year/month/day is a real Gregorian day.
 * `yearLabel` names the year the way the person wrote it (e.g. '令和7年 (2025)').
 */
export function checkCivilDate(
  year: number,
  month: number,
  day: number,
  value: unknown,
  yearLabel = String(year),
): CivilDate {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw dateInvalid(`Year ${yearLabel} is outside the years 1–9999 that Machi handles.`, value);
  }
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw dateInvalid(`There is no month ${month}; months run from 1 to 12.`, value);
  }
  const last = daysInMonth(year, month);
  if (!Number.isInteger(day) || day < 1 || day > last) {
    throw dateInvalid(`Month ${month} of ${yearLabel} has ${last} days; there is no day ${day}.`, value);
  }
  return { year, month, day };
}

/** Strict 'YYYY-MM-DD' (four-digit year, two-digit month and day) checked against the calendar. */
export function parseCivilDate(text: unknown): CivilDate {
  const match = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (!match) {
    throw dateInvalid('A date must be written YYYY-MM-DD, e.g. 2025-04-01.', text);
  }
  return checkCivilDate(Number(match[1]), Number(match[2]), Number(match[3]), text);
}

/** Strict 'YYYY-MM-DD' → the same string, once the calendar says the day exists (2024-02-29 yes, 2025-02-29 no). */
export function parseIsoDate(text: unknown): string {
  return formatIsoDate(parseCivilDate(text));
}

/**
 * Japan Standard Time is UTC+9 with no daylight saving since September 1951 (the tz database's
 * Asia/Tokyo). Every instant Machi records (filings, sign-ins, audit) is later than that, so a
 * fixed offset is exact and, unlike Intl, does not depend on the ICU data Node was built with.
 */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** An instant as people in Japan read it: Asia/Tokyo (UTC+9, no daylight saving), to the minute, e.g. 2026-11-30 14:05. */
export function tokyoDateTime(at: Date | string): string {
  const shifted = new Date(new Date(at).getTime() + JST_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
}

/** The calendar day in Asia/Tokyo at that instant: 2025-03-31T15:00:00Z is '2025-04-01'. */
export function toIsoDate(instant: Date): string {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw dateInvalid('The time is not a valid instant.', undefined);
  const tokyo = new Date(time + JST_OFFSET_MS);
  return formatIsoDate({
    year: tokyo.getUTCFullYear(),
    month: tokyo.getUTCMonth() + 1,
    day: tokyo.getUTCDate(),
  });
}

export function todayInTokyo(clock: Clock = systemClock): string {
  return toIsoDate(clock.now());
}

/** The day `days` after (or before, if negative) a 'YYYY-MM-DD' day. */
export function addDays(isoDate: string, days: number): string {
  const { year, month, day } = parseCivilDate(isoDate);
  const at = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  at.setUTCFullYear(year, month - 1, day + days);
  const result = at.getUTCFullYear();
  if (Number.isNaN(result) || result < 1 || result > 9999) {
    throw dateInvalid(`Adding ${days} days to ${isoDate} leaves the years 1–9999.`, isoDate);
  }
  return formatIsoDate({ year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() });
}

/** The last day of the month `months` after `isoDate`'s month: '2026-01-15', 12 → '2027-01-31'. */
export function endOfMonthAfter(isoDate: string, months: number): string {
  const { year, month } = parseCivilDate(isoDate);
  const at = new Date(0);
  // Day 0 of the month after is the last day of the month wanted.
  at.setUTCFullYear(year, month + months, 0);
  return formatIsoDate({ year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() });
}

/**
 * Age in whole years on `day` of someone born on `birthDate` (both 'YYYY-MM-DD'). One is a year
 * older from one's birthday on (年齢計算ニ関スル法律: at the end of the day before it); born on
 * 29 February, from 1 March in years without one.
 */
export function ageOn(birthDate: string, day: string): number {
  const born = parseCivilDate(birthDate);
  const on = parseCivilDate(day);
  const hadBirthday = on.month > born.month || (on.month === born.month && on.day >= born.day);
  return on.year - born.year - (hadBirthday ? 0 : 1);
}
