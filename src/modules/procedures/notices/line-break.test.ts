import { describe, expect, it } from 'vitest';
import { breakLines } from './line-break.ts';

/** Every character one unit wide: a line of width 10 holds 10 characters. */
const measure = (text: string) => [...text].length;

describe('breakLines', () => {
  it('breaks Japanese between any two characters at the width', () => {
    expect(breakLines('あいうえおかきくけこさしすせそ', 10, measure)).toEqual([
      'あいうえおかきくけこ',
      'さしすせそ',
    ]);
  });

  it('hangs closing punctuation past the margin rather than start a line with it (行頭禁則)', () => {
    expect(breakLines('あいうえおかきくけこ。さしす', 10, measure)).toEqual([
      'あいうえおかきくけこ。',
      'さしす',
    ]);
    expect(breakLines('あいうえおかきくけこ」。さ', 10, measure)).toEqual(['あいうえおかきくけこ」。', 'さ']);
  });

  it('carries an opening bracket over to the next line (行末禁則)', () => {
    expect(breakLines('あいうえおかきくけ「こさ」', 10, measure)).toEqual(['あいうえおかきくけ', '「こさ」']);
  });

  it('keeps a receipt number or an amount whole', () => {
    expect(breakLines('受付番号はR7-131016-000123です', 20, measure)).toEqual([
      '受付番号は',
      'R7-131016-000123です',
    ]);
    expect(breakLines('月額は合計で10,000円です', 10, measure)).toEqual(['月額は合計で', '10,000円です']);
  });

  it('breaks a word wider than the line between its letters', () => {
    expect(breakLines('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 10, measure)).toEqual([
      'ABCDEFGHIJ',
      'KLMNOPQRST',
      'UVWXYZ',
    ]);
  });

  it('ends paragraphs at newlines, keeps empty lines and a leading full-width indent', () => {
    expect(breakLines('　あいう\n\nかき', 10, measure)).toEqual(['　あいう', '', 'かき']);
  });

  it('drops the space a wrapped Latin line would otherwise start with', () => {
    expect(breakLines('alpha beta gamma', 10, measure)).toEqual(['alpha beta', 'gamma']);
  });
});
