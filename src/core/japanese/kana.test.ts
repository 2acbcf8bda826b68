import { describe, expect, it } from 'vitest';
import { MachiError } from '../errors/index.ts';
import {
  halfwidthKanaToFullwidth,
  isKatakanaName,
  normalizeKanaInput,
  toHalfwidthKatakana,
  toKatakana,
} from './kana.ts';

describe('toKatakana', () => {
  it('turns hiragana into katakana', () => {
    expect(toKatakana('やまだ たろう')).toBe('ヤマダ タロウ');
    expect(toKatakana('ぁゔゕゖゝゞ')).toBe('ァヴヵヶヽヾ');
  });

  it('widens half-width katakana, joining ﾞ and ﾟ to the letter before', () => {
    expect(toKatakana('ｶﾞ')).toBe('ガ');
    expect(toKatakana('ﾊﾟﾋﾟﾌﾟ')).toBe('パピプ');
    expect(toKatakana('ｳﾞｧｲｵﾘﾝ')).toBe('ヴァイオリン');
    expect(toKatakana('ｽｽﾞｷ ｲﾁﾛｰ')).toBe('スズキ イチロー');
    expect(toKatakana('ｽﾐｽ･ｼﾞｮﾝ')).toBe('スミス・ジョン');
    expect(toKatakana('ﾜﾞ')).toBe('ヷ');
  });

  it('composes spacing and combining voiced marks (NFD input from macOS)', () => {
    expect(toKatakana('カ\u3099')).toBe('ガ');
    expect(toKatakana('か゛')).toBe('ガ');
    expect(toKatakana('ハ゜')).toBe('パ');
    expect(toKatakana('ガ'.normalize('NFD'))).toBe('ガ');
  });

  it('keeps a mark that cannot join as a visible spacing mark', () => {
    expect(toKatakana('ｱﾞ')).toBe('ア゛');
    expect(toKatakana('ﾞ')).toBe('゛');
    expect(toKatakana('カﾟ')).toBe('カ゜');
  });

  it('leaves other text alone', () => {
    expect(toKatakana('山田 ABC ０１')).toBe('山田 ABC ０１');
  });

  it('halfwidthKanaToFullwidth keeps hiragana', () => {
    expect(halfwidthKanaToFullwidth('やまだ ﾀﾛｳ')).toBe('やまだ タロウ');
  });
});

describe('isKatakanaName', () => {
  it('accepts katakana, ー, ・ between words and single spaces between parts', () => {
    for (const ok of [
      'ヤマダ',
      'ヤマダ\u3000タロウ',
      'ヤマダ タロウ',
      'スミス・ジョン',
      'ヴァン',
      'イチロー',
      'ジョン\u3000フィッツジェラルド\u3000ケネディ',
    ]) {
      expect(isKatakanaName(ok), ok).toBe(true);
    }
  });

  it('refuses everything else', () => {
    for (const bad of [
      '',
      'やまだ',
      '山田',
      'ﾔﾏﾀﾞ',
      'ヤマダ  タロウ',
      ' ヤマダ',
      'ヤマダ ',
      'ーヤマ',
      'スミス・・ジョン',
      '・スミス',
      'スミス・',
      'ヤマダ\u3000ーイチ',
      'ヤマダ1',
      'ヤマダ-タロウ',
      'ヽヤマ',
    ]) {
      expect(isKatakanaName(bad), bad).toBe(false);
    }
  });
});

describe('normalizeKanaInput', () => {
  it('returns full-width katakana with one full-width space', () => {
    expect(normalizeKanaInput(' やまだ   たろう ')).toBe('ヤマダ\u3000タロウ');
    expect(normalizeKanaInput('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダ\u3000タロウ');
    expect(normalizeKanaInput('ヤマダ\u3000 タロウ')).toBe('ヤマダ\u3000タロウ');
    expect(normalizeKanaInput('すみす·じょん')).toBe('スミス・ジョン');
  });

  it('names the first character that cannot be in a kana name, and nothing else', () => {
    try {
      normalizeKanaInput('やま田 たろう');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MachiError);
      const e = error as MachiError;
      expect(e.code).toBe('validation-failed');
      expect(e.detail).toMatch(/^「田」 \(U\+7530\) cannot be used in a katakana name/);
      expect(e.extensions).toEqual({ character: '田', codePoint: 'U+7530', position: 2 });
      expect(JSON.stringify(e.extensions)).not.toContain('ヤマ');
    }
    expect(() => normalizeKanaInput('イチロ-')).toThrowError(/「-」 .*write ー/);
    expect(() => normalizeKanaInput('ヤマダ1')).toThrowError(/「1」/);
    expect(() => normalizeKanaInput('𠮷ダ')).toThrowError(/「𠮷」 \(U\+20BB7\)/);
  });

  it('explains misplaced ー and ・ and refuses empty input', () => {
    expect(() => normalizeKanaInput('ーヤマ')).toThrowError(/must start with a katakana letter/);
    expect(() => normalizeKanaInput('スミス・・ジョン')).toThrowError(/may not be doubled/);
    expect(() => normalizeKanaInput('  \u3000 ')).toThrowError('The katakana name is empty.');
    expect(() => normalizeKanaInput(undefined)).toThrowError(
      expect.objectContaining({ code: 'validation-failed' }),
    );
  });
});

describe('toHalfwidthKatakana', () => {
  it('writes full-width katakana and hiragana as half-width, splitting voiced marks', () => {
    expect(toHalfwidthKatakana('ヤマダ　タロウ')).toBe('ﾔﾏﾀﾞ　ﾀﾛｳ');
    expect(toHalfwidthKatakana('かぶしきがいしゃ パン・ヴィ')).toBe('ｶﾌﾞｼｷｶﾞｲｼｬ ﾊﾟﾝ･ｳﾞｨ');
    expect(toHalfwidthKatakana('ｶﾞ')).toBe('ｶﾞ');
  });

  it('keeps what has no half-width form, for the caller to refuse', () => {
    expect(toHalfwidthKatakana('ヵ山')).toBe('ヵ山');
  });
});
