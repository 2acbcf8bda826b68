import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.ts';
import { MachiError } from '../errors/index.ts';
import {
  addDays,
  ageOn,
  daysInMonth,
  endOfMonthAfter,
  isLeapYear,
  parseIsoDate,
  todayInTokyo,
  toIsoDate,
} from './calendar.ts';

describe('parseIsoDate', () => {
  it('accepts real days, including 29 February in leap years', () => {
    expect(parseIsoDate('2025-04-01')).toBe('2025-04-01');
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2000-02-29')).toBe('2000-02-29');
    expect(parseIsoDate('2025-12-31')).toBe('2025-12-31');
  });

  it('refuses days the calendar does not have, saying which', () => {
    expect(() => parseIsoDate('2025-02-29')).toThrowError('Month 2 of 2025 has 28 days; there is no day 29.');
    expect(() => parseIsoDate('1900-02-29')).toThrowError(/has 28 days/);
    expect(() => parseIsoDate('2025-04-31')).toThrowError(/has 30 days/);
    expect(() => parseIsoDate('2025-13-01')).toThrowError(/no month 13/);
    expect(() => parseIsoDate('2025-00-10')).toThrowError(/no month 0/);
    expect(() => parseIsoDate('2025-01-00')).toThrowError(/no day 0/);
    expect(() => parseIsoDate('0000-01-01')).toThrowError(/outside the years/);
  });

  it('is strict about the shape and reports the value as date-invalid', () => {
    for (const bad of [
      '2025-4-1',
      '2025/04/01',
      '25-04-01',
      ' 2025-04-01',
      '2025-04-01T00:00',
      '',
      '２０２５-04-01',
    ]) {
      expect(() => parseIsoDate(bad), bad).toThrowError(/YYYY-MM-DD/);
    }
    try {
      parseIsoDate('2025/04/01');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MachiError);
      expect(error).toMatchObject({ code: 'date-invalid', status: 400, extensions: { value: '2025/04/01' } });
    }
    expect(() => parseIsoDate(20250401)).toThrowError(expect.objectContaining({ code: 'date-invalid' }));
    expect(() => parseIsoDate(null)).toThrow(MachiError);
  });
});

describe('leap years and month lengths', () => {
  it('follows the Gregorian century rule', () => {
    expect([1900, 2000, 2024, 2025, 2100].map(isLeapYear)).toEqual([false, true, true, false, false]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(2025, 13)).toBe(0);
  });
});

describe('toIsoDate / todayInTokyo', () => {
  it('takes the calendar day in Asia/Tokyo, not UTC', () => {
    expect(toIsoDate(new Date('2025-03-31T14:59:59.999Z'))).toBe('2025-03-31');
    expect(toIsoDate(new Date('2025-03-31T15:00:00Z'))).toBe('2025-04-01');
    expect(toIsoDate(new Date('2024-12-31T15:00:00Z'))).toBe('2025-01-01');
    expect(todayInTokyo(fixedClock(new Date('2019-04-30T15:00:00Z')))).toBe('2019-05-01');
  });

  it('refuses an invalid Date', () => {
    expect(() => toIsoDate(new Date('nonsense'))).toThrowError(
      expect.objectContaining({ code: 'date-invalid' }),
    );
  });
});

describe('addDays', () => {
  it('crosses months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2025-04-01', 365)).toBe('2026-04-01');
  });

  it('refuses to leave the years 1–9999', () => {
    expect(() => addDays('9999-12-31', 1)).toThrowError(/leaves the years/);
  });
});

describe('endOfMonthAfter', () => {
  it('gives the last day of the month N months on, across years and February', () => {
    expect(endOfMonthAfter('2026-01-15', 12)).toBe('2027-01-31');
    expect(endOfMonthAfter('2026-03-31', 12)).toBe('2027-03-31');
    expect(endOfMonthAfter('2027-02-10', 0)).toBe('2027-02-28');
    expect(endOfMonthAfter('2027-11-30', 3)).toBe('2028-02-29');
  });
});

describe('ageOn', () => {
  it('counts whole years, one more from the birthday on', () => {
    expect(ageOn('1961-04-01', '2026-03-31')).toBe(64);
    expect(ageOn('1961-04-01', '2026-04-01')).toBe(65);
    expect(ageOn('2026-11-30', '2026-11-30')).toBe(0);
  });

  it('makes one born on 29 February a year older on 1 March in other years', () => {
    expect(ageOn('2008-02-29', '2025-02-28')).toBe(16);
    expect(ageOn('2008-02-29', '2025-03-01')).toBe(17);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });

  it('refuses a date that is not one', () => {
    expect(() => ageOn('1961-02-30', '2026-01-01')).toThrow(MachiError);
  });
});
