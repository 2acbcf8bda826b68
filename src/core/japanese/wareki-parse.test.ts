import { describe, expect, it } from 'vitest';
import { MachiError } from '../errors/index.ts';
import { addDays } from './calendar.ts';
import { formatWareki } from './era.ts';
import { parseWareki } from './wareki-parse.ts';

function errorOf(text: unknown): MachiError {
  try {
    parseWareki(text);
  } catch (error) {
    if (error instanceof MachiError) return error;
    throw error;
  }
  throw new Error(`parseWareki(${String(text)}) did not throw`);
}

describe('parseWareki: the forms people write', () => {
  it.each([
    ['令和7年4月1日', '2025-04-01'],
    ['令和元年5月1日', '2019-05-01'],
    ['令和７年４月１日', '2025-04-01'],
    ['令和七年四月一日', '2025-04-01'],
    ['昭和六十四年一月七日', '1989-01-07'],
    ['平成元年一月八日', '1989-01-08'],
    ['令和07年04月01日', '2025-04-01'],
    ['令和7年4月1', '2025-04-01'],
    [' 令和 7 年 4 月 1 日 ', '2025-04-01'],
    ['令和\u30007年4月1日', '2025-04-01'],
    ['㋿7年4月1日', '2025-04-01'],
    ['㍻31年4月30日', '2019-04-30'],
    ['R7.4.1', '2025-04-01'],
    ['R07/04/01', '2025-04-01'],
    ['r7-4-1', '2025-04-01'],
    ['Ｒ７．４．１', '2025-04-01'],
    ['R元.5.1', '2019-05-01'],
    ['令和7.4.1', '2025-04-01'],
    ['H31.4.30', '2019-04-30'],
    ['S64.1.7', '1989-01-07'],
    ['T15.12.24', '1926-12-24'],
    ['M45.7.29', '1912-07-29'],
    ['明治6年1月1日', '1873-01-01'],
    ['2025-04-01', '2025-04-01'],
    ['2025/4/1', '2025-04-01'],
    ['2025.4.1', '2025-04-01'],
    ['２０２５－０４－０１', '2025-04-01'],
    ['2025年4月1日', '2025-04-01'],
    ['二〇二五年四月一日', '2025-04-01'],
    ['2024-02-29', '2024-02-29'],
  ])('%s → %s', (text, iso) => {
    expect(parseWareki(text)).toBe(iso);
  });
});

describe('parseWareki: the old era after an era change', () => {
  it('normalises dates written in the old era', () => {
    expect(parseWareki('平成31年5月1日')).toBe('2019-05-01');
    expect(parseWareki('H31.5.1')).toBe('2019-05-01');
    expect(parseWareki('昭和64年1月8日')).toBe('1989-01-08');
    expect(parseWareki('平成32年3月31日')).toBe('2020-03-31');
    expect(parseWareki('平成36年12月31日')).toBe('2024-12-31');
  });

  it('refuses a year too far past the end of the era', () => {
    expect(() => parseWareki('平成37年1月1日')).toThrowError(/too far past its end — write the date in 令和/);
    expect(() => parseWareki('平成40年1月1日')).toThrowError(/平成40年 is too far/);
    expect(() => parseWareki('S70.1.1')).toThrowError(/昭和70年 is too far/);
  });

  it('can be made stricter', () => {
    expect(() => parseWareki('平成31年5月1日', { graceYears: 0 })).not.toThrow();
    expect(() => parseWareki('平成32年1月1日', { graceYears: 0 })).toThrowError(/too far/);
  });
});

describe('parseWareki: impossible dates', () => {
  it('refuses a day before the era began', () => {
    const error = errorOf('令和元年4月1日');
    expect(error.code).toBe('date-invalid');
    expect(error.detail).toBe('令和 began on 2019-05-01; 2019-04-01 is before it, in the previous era.');
    expect(error.extensions).toEqual({ value: '令和元年4月1日' });
    expect(() => parseWareki('平成元年1月7日')).toThrowError(/平成 began on 1989-01-08/);
    expect(() => parseWareki('R1.4.30')).toThrowError(/before it/);
  });

  it('refuses days that do not exist', () => {
    expect(errorOf('令和7年2月30日').detail).toBe(
      'Month 2 of 令和7年 (2025) has 28 days; there is no day 30.',
    );
    expect(() => parseWareki('令和6年2月29日')).not.toThrow();
    expect(() => parseWareki('令和7年2月29日')).toThrowError(/has 28 days/);
    expect(() => parseWareki('令和7年13月1日')).toThrowError(/no month 13/);
    expect(() => parseWareki('令和7年4月0日')).toThrowError(/no day 0/);
    expect(() => parseWareki('2025/2/30')).toThrowError(/has 28 days/);
    expect(() => parseWareki('令和0年4月1日')).toThrowError(/first year of an era is 元年/);
  });

  it('refuses 和暦 dates from the lunisolar calendar', () => {
    expect(() => parseWareki('明治5年12月2日')).toThrowError(/lunisolar/);
    expect(() => parseWareki('明治元年10月23日')).toThrowError(/lunisolar/);
  });

  it('refuses what is not a date, echoing only what was typed', () => {
    for (const bad of [
      '',
      '   ',
      '令和',
      '令和7年',
      '令和7年4月',
      'X7.4.1',
      'R7.4',
      'R7.4/1',
      '25-04-01',
      '2025-04-01-01',
      '令和十十年1月1日',
      'tomorrow',
    ]) {
      const error = errorOf(bad);
      expect(error.code, bad).toBe('date-invalid');
    }
    expect(errorOf('tomorrow').detail).toMatch(/令和7年4月1日, R7.4.1 or 2025-04-01/);
    expect(errorOf('令和十十年1月1日').detail).toMatch(/「十十」 is not a number/);
    expect(errorOf('x'.repeat(100)).extensions['value']).toHaveLength(40);
    expect(errorOf(20250401).extensions).toEqual({});
  });
});

describe('round trips', () => {
  it('parses back every day from 1989 to 2030 in every written form', () => {
    let checked = 0;
    for (let day = '1989-01-01'; day <= '2030-12-31'; day = addDays(day, 1)) {
      expect(parseWareki(formatWareki(day))).toBe(day);
      expect(parseWareki(formatWareki(day, { style: 'abbr' }))).toBe(day);
      expect(parseWareki(formatWareki(day, { style: 'abbr', pad: true }))).toBe(day);
      expect(parseWareki(formatWareki(day, { numerals: 'kanji' }))).toBe(day);
      expect(parseWareki(formatWareki(day, { gannen: false }))).toBe(day);
      checked += 1;
    }
    expect(checked).toBe(15_340);
  });

  it('parses back the first and last day of every era', () => {
    for (const day of [
      '1873-01-01',
      '1912-07-29',
      '1912-07-30',
      '1926-12-24',
      '1926-12-25',
      '1989-01-07',
      '1989-01-08',
      '2019-04-30',
      '2019-05-01',
    ]) {
      expect(parseWareki(formatWareki(day))).toBe(day);
      expect(parseWareki(formatWareki(day, { style: 'abbr' }))).toBe(day);
    }
  });
});
