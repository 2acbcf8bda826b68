import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { MachiError } from '../../../core/index.ts';
import { renderNoticePdf } from './render-notice.ts';
import { REJECTION_REASONS, sampleNotice } from './test-notices.ts';
import { pageTexts } from './test-pdf-text.ts';

/** pdf.js returns one item per drawn line; spaces between items vary, so compare without them. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

async function rendered(overrides: Parameters<typeof sampleNotice>[0] = {}) {
  const pdf = await renderNoticePdf(sampleNotice(overrides));
  return { pdf, texts: await pageTexts(pdf) };
}

function fontFiles(doc: PDFDocument): PDFDict[] {
  const descriptors: PDFDict[] = [];
  doc.context.enumerateIndirectObjects().forEach(([, object]) => {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('FontDescriptor')) {
      descriptors.push(object);
    }
  });
  return descriptors;
}

describe('renderNoticePdf', () => {
  it('makes an A4 PDF whose Japanese text pdf.js extracts: title, addressee, receipt number, 和暦 dates', async () => {
    const { pdf, texts } = await rendered();
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    expect(doc.getTitle()).toBe('児童手当 認定通知書');
    expect(doc.getAuthor()).toBe('千代田区長');

    const text = squeeze(texts.join(''));
    for (const expected of [
      '児童手当認定通知書',
      '山田太郎様',
      'R7-131016-000123',
      '千代子発第123号',
      '令和7年4月1日',
      '令和7年3月10日付けで申請のあった児童手当等の受給資格及び児童手当の額についての認定請求については',
      '千代田区長',
      '支給額は月額10,000円',
    ]) {
      expect(text).toContain(expected);
    }
    // An approval carries no 教示 unless asked for.
    expect(text).not.toContain('審査請求');
  });

  it('embeds its own Japanese font, subset, so a notice stays small', async () => {
    const { pdf } = await rendered();
    const doc = await PDFDocument.load(pdf);
    const descriptors = fontFiles(doc);
    expect(descriptors.length).toBe(2); // regular and bold
    for (const descriptor of descriptors) {
      expect(descriptor.get(PDFName.of('FontFile2'))).toBeDefined();
      expect(String(descriptor.get(PDFName.of('FontName')))).toMatch(/^\/BIZUDMincho-(Regular|Bold)/);
    }
    expect(pdf.length).toBeLessThan(300 * 1024);
  });

  it('gives a rejection its reasons and the 教示 for 審査請求 (3 months) and 取消訴訟 (6 months)', async () => {
    const { texts } = await rendered({
      title: '児童手当 認定請求却下通知書',
      outcome: 'rejected',
      decision: '認定請求を却下します。',
      reasons: REJECTION_REASONS,
    });
    const text = squeeze(texts.join(''));
    expect(text).toContain('児童手当認定請求却下通知書');
    expect(text).toContain('次の理由により却下したので通知します');
    expect(text).toContain(squeeze(REJECTION_REASONS));
    expect(text).toContain('3か月以内に、千代田区長に対して審査請求をすることができます');
    expect(text).toContain('6か月以内に、千代田区を被告として');
    expect(text).toContain('千代田区を代表する者は千代田区長となります');
  });

  it('names another 審査庁 when told, and gives an approval the 教示 on request', async () => {
    const { texts } = await rendered({ appeal: { reviewAuthority: '東京都知事' } });
    expect(squeeze(texts.join(''))).toContain('東京都知事に対して審査請求をすることができます');
  });

  it('runs long reasons over several pages, wrapped within the margins, numbered', async () => {
    const reasons = Array.from({ length: 40 }, (_, i) => `${i + 1}. ${REJECTION_REASONS}`).join('\n');
    const { pdf, texts } = await rendered({ outcome: 'rejected', reasons });
    expect(texts.length).toBeGreaterThan(1);
    const all = squeeze(texts.join(''));
    expect(all).toContain(squeeze(`40. ${REJECTION_REASONS}`));
    texts.forEach((text, index) => {
      expect(squeeze(text)).toContain(`${index + 1}/${texts.length}`);
    });
    expect(pdf.length).toBeLessThan(300 * 1024);
  });

  it('refuses a rejection without reasons (行政手続法第8条)', async () => {
    await expect(renderNoticePdf(sampleNotice({ outcome: 'rejected' }))).rejects.toMatchObject({
      code: 'validation-failed',
      extensions: { field: 'reasons' },
    });
  });

  it('refuses text the font cannot show rather than print a gap, naming code points only', async () => {
    const error = await renderNoticePdf(sampleNotice({ addressee: { name: '山田 🀄' } })).catch((e) => e);
    expect(error).toBeInstanceOf(MachiError);
    expect(error.code).toBe('validation-failed');
    expect(error.detail).toContain('U+1F004');
    expect(error.detail).not.toContain('山田');
  });

  it('drops variation selectors, keeping the base character (IVS in a registered name)', async () => {
    const { texts } = await rendered({ addressee: { name: '葛\u{E0100}飾 花子' } });
    expect(squeeze(texts.join(''))).toContain('葛飾花子様');
  });
});
