import { describe, expect, it } from 'vitest';
import { formatWareki, warekiOf } from './era.ts';

describe('formatWareki', () => {
  it('writes the era date, with 元年 for year 1', () => {
    expect(formatWareki('2025-04-01')).toBe('令和7年4月1日');
    expect(formatWareki('2019-05-01')).toBe('令和元年5月1日');
    expect(formatWareki('2020-01-01')).toBe('令和2年1月1日');
    expect(formatWareki('1873-01-01')).toBe('明治6年1月1日');
  });

  it('changes era on the first day of the new one', () => {
    expect(formatWareki('1912-07-29')).toBe('明治45年7月29日');
    expect(formatWareki('1912-07-30')).toBe('大正元年7月30日');
    expect(formatWareki('1926-12-24')).toBe('大正15年12月24日');
    expect(formatWareki('1926-12-25')).toBe('昭和元年12月25日');
    expect(formatWareki('1989-01-07')).toBe('昭和64年1月7日');
    expect(formatWareki('1989-01-08')).toBe('平成元年1月8日');
    expect(formatWareki('2019-04-30')).toBe('平成31年4月30日');
    expect(formatWareki('2019-05-01')).toBe('令和元年5月1日');
  });

  it('offers abbreviated, English, kanji-numeral and 1年 forms', () => {
    expect(formatWareki('2025-04-01', { style: 'abbr' })).toBe('R7.4.1');
    expect(formatWareki('2025-04-01', { style: 'abbr', pad: true })).toBe('R07.04.01');
    expect(formatWareki('2019-05-01', { style: 'abbr' })).toBe('R1.5.1');
    expect(formatWareki('1989-01-07', { style: 'abbr' })).toBe('S64.1.7');
    expect(formatWareki('2025-04-01', { style: 'en' })).toBe('April 1, Reiwa 7 (2025)');
    expect(formatWareki('2019-05-01', { style: 'en' })).toBe('May 1, Reiwa 1 (2019)');
    expect(formatWareki('1989-01-07', { numerals: 'kanji' })).toBe('昭和六十四年一月七日');
    expect(formatWareki('2019-05-01', { numerals: 'kanji' })).toBe('令和元年五月一日');
    expect(formatWareki('2019-05-01', { gannen: false })).toBe('令和1年5月1日');
  });

  it('takes an instant in Asia/Tokyo', () => {
    expect(formatWareki(new Date('2019-04-30T15:00:00Z'))).toBe('令和元年5月1日');
    expect(formatWareki(new Date('2019-04-30T14:59:59Z'))).toBe('平成31年4月30日');
  });

  it('refuses days before the Gregorian calendar (1873) and malformed days', () => {
    expect(() => formatWareki('1872-12-31')).toThrowError(/lunisolar/);
    expect(() => formatWareki('1868-10-23')).toThrowError(expect.objectContaining({ code: 'date-invalid' }));
    expect(() => formatWareki('2025-02-29')).toThrowError(/has 28 days/);
    expect(() => formatWareki('2025/04/01')).toThrowError(/YYYY-MM-DD/);
  });

  it('exposes the parts', () => {
    expect(warekiOf('2025-04-01')).toMatchObject({
      era: { name: '令和', letter: 'R' },
      year: 7,
      month: 4,
      day: 1,
    });
  });
});
