import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, isRefusal } from '../types.ts';
import { sanitizePdf } from './index.ts';
import { decodedText, outputProblems, pageTexts } from './test-checks.ts';
import { corpus, encrypted, HOSTILE, japanese, NOT_A_PDF, onePage, textDocument } from './test-corpus.ts';

const rebuild = { limits: DEFAULT_LIMITS, mode: 'rebuild' } as const;

async function refusalOf(input: Uint8Array, limits = DEFAULT_LIMITS): Promise<string> {
  try {
    await sanitizePdf(input, { limits, mode: 'rebuild' });
  } catch (error) {
    if (isRefusal(error)) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('sanitizePdf: hostile PDFs are rebuilt without their active content', () => {
  for (const { name, expect: wanted } of HOSTILE) {
    it(name, async () => {
      const input = await corpus[name]();
      // The corpus itself must carry what it claims to.
      if (name !== 'objectStream' && name !== 'brokenXref' && name !== 'openAction') {
        expect(decodedText(input)).toMatch(/\/(JS|AA|Launch|URI|EmbeddedFile|XFA|SubmitForm)\b/);
      }
      const result = await sanitizePdf(input, rebuild);
      expect(result.mediaType).toBe('application/pdf');
      expect(result.pages).toBe(1);
      for (const [kind, detail] of wanted) {
        expect(result.removed).toContainEqual(expect.objectContaining(detail ? { kind, detail } : { kind }));
      }
      expect(await outputProblems(result.output)).toEqual([]);
      expect(result.actions.join(' ')).toMatch(/absent by construction/);
    });
  }

  it('reports nothing for a plain file, and keeps its text', async () => {
    const result = await sanitizePdf(onePage(), rebuild);
    expect(result.removed).toEqual([]);
    expect(await pageTexts(result.output)).toEqual(['Hello, sanitizer']);
  });

  it('keeps the final revision of an incrementally updated file, not the first', async () => {
    const result = await sanitizePdf(await corpus.incrementalUpdate(), rebuild);
    expect(result.removed).toContainEqual({ kind: 'incremental-update', count: 1 });
    expect(await pageTexts(result.output)).toEqual(['Appended later']);
  });

  it('reports the URI host only, never its path or query', async () => {
    const result = await sanitizePdf(await corpus.uri(), rebuild);
    expect(JSON.stringify(result.removed)).not.toMatch(/id=123|\/p\b/);
  });
});

describe('sanitizePdf: Japanese text', () => {
  it('stays extractable after a rebuild, horizontal and vertical', async () => {
    const result = await sanitizePdf(japanese(), rebuild);
    const [text] = await pageTexts(result.output);
    expect(text).toContain('無害化のテスト文書');
    expect(text).toContain('縦書きの文');
  });

  it('keeps characters outside the BMP', async () => {
    const result = await sanitizePdf(japanese('𠮷野家の牛丼', '髙橋'), rebuild);
    const [text] = await pageTexts(result.output);
    expect(text).toContain('𠮷野家の牛丼');
    expect(text).toContain('髙橋');
  });

  it('comes out as UTF-8 in text mode, pages split by form feeds', async () => {
    const result = await sanitizePdf(japanese(), { limits: DEFAULT_LIMITS, mode: 'text' });
    expect(result.mediaType).toBe('text/plain; charset=utf-8');
    expect(new TextDecoder().decode(result.output)).toContain('無害化のテスト文書');
    const three = await sanitizePdf(await textDocument(3), { limits: DEFAULT_LIMITS, mode: 'text' });
    const pages = new TextDecoder().decode(three.output).split('\f');
    expect(pages).toHaveLength(3);
    expect(pages[2]).toContain('Line 49 of page 3');
  });

  it('reports active content in text mode too', async () => {
    const result = await sanitizePdf(await corpus.javascript(), { limits: DEFAULT_LIMITS, mode: 'text' });
    expect(result.removed.map((r) => r.kind)).toContain('javascript');
  });
});

describe('sanitizePdf: refusals', () => {
  it('refuses what is not a PDF', async () => {
    expect(await refusalOf(NOT_A_PDF)).toBe('malformed');
  });

  it('refuses a truncated PDF', async () => {
    const whole = await textDocument(2);
    expect(await refusalOf(whole.subarray(0, Math.floor(whole.length / 2)))).toBe('malformed');
  });

  it('refuses a PDF that needs a password', async () => {
    expect(await refusalOf(encrypted('user-secret'))).toBe('encrypted');
  });

  it('opens a PDF with an owner password only, and says its restrictions are gone', async () => {
    const result = await sanitizePdf(encrypted(''), rebuild);
    expect(await pageTexts(result.output)).toEqual(['Secret text']);
    expect(result.warnings.join(' ')).toMatch(/owner password/);
  });

  it('refuses too many pages and too many bytes', async () => {
    const three = await textDocument(3);
    expect(await refusalOf(three, { ...DEFAULT_LIMITS, maxPages: 2 })).toBe('too-many-pages');
    expect(await refusalOf(three, { ...DEFAULT_LIMITS, maxBytes: 100 })).toBe('too-large');
  });

  it('scales a page down to the pixel limit, and refuses an absurd one', async () => {
    const small = await sanitizePdf(onePage(), {
      ...rebuild,
      limits: { ...DEFAULT_LIMITS, maxPixels: 500_000 },
    });
    expect(small.warnings.join(' ')).toMatch(/dpi/);
    expect(await refusalOf(onePage(), { ...DEFAULT_LIMITS, maxPixels: 10_000 })).toBe('too-many-pixels');
  });
});
