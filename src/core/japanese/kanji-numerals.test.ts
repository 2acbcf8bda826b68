import { describe, expect, it } from 'vitest';
import { parseKanjiNumber, toKanjiNumber } from './kanji-numerals.ts';

describe('kanji numerals', () => {
  it('reads numerals with multipliers', () => {
    const cases: [string, number][] = [
      ['一', 1],
      ['十', 10],
      ['十一', 11],
      ['二十', 20],
      ['三十一', 31],
      ['六十四', 64],
      ['百', 100],
      ['百一', 101],
      ['千九百八十九', 1989],
      ['二千二十五', 2025],
      ['弐拾参', 23],
    ];
    for (const [text, n] of cases) expect(parseKanjiNumber(text), text).toBe(n);
  });

  it('reads positional numerals', () => {
    expect(parseKanjiNumber('二〇二五')).toBe(2025);
    expect(parseKanjiNumber('一九八九')).toBe(1989);
    expect(parseKanjiNumber('〇七')).toBe(7);
  });

  it('refuses malformed numerals', () => {
    for (const bad of ['', '十十', '百千', '二三十', '二十〇', '二〇二五〇', 'a', '十a', '二千〇五']) {
      expect(parseKanjiNumber(bad), bad).toBeUndefined();
    }
  });

  it('writes 0–9999 and reads back every one of them', () => {
    expect(toKanjiNumber(7)).toBe('七');
    expect(toKanjiNumber(10)).toBe('十');
    expect(toKanjiNumber(64)).toBe('六十四');
    expect(toKanjiNumber(2025)).toBe('二千二十五');
    expect(toKanjiNumber(0)).toBe('〇');
    for (let n = 1; n <= 9999; n++) expect(parseKanjiNumber(toKanjiNumber(n))).toBe(n);
    expect(() => toKanjiNumber(10000)).toThrow(RangeError);
    expect(() => toKanjiNumber(1.5)).toThrow(RangeError);
  });
});
