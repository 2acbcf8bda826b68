import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { formatWareki } from '../../../core/index.ts';
import { appealInstructions } from './appeal-instructions.ts';
import { appealOf, checkNotice, type DispositionNotice } from './notice.ts';
import { checkCoverage, noticeFontFiles, withoutVariationSelectors } from './notice-fonts.ts';
import { BODY_SIZE, NoticePages } from './notice-pages.ts';

/** The instant of a day given as YYYY-MM-DD: its start in Japan, for the PDF's dates. */
const instantOf = (day: Date | string) => (typeof day === 'string' ? new Date(`${day}T00:00:00+09:00`) : day);

/** The notice's text with what the font cannot take out of the way (see notice-fonts.ts). */
function cleaned(notice: DispositionNotice): DispositionNotice {
  const clean = (text: string) => withoutVariationSelectors(text).replace(/\t/g, ' ');
  return {
    ...notice,
    documentNumber: clean(notice.documentNumber),
    addressee: {
      name: clean(notice.addressee.name),
      ...(notice.addressee.address === undefined ? {} : { address: clean(notice.addressee.address) }),
    },
    title: clean(notice.title),
    procedure: {
      name: clean(notice.procedure.name),
      ...(notice.procedure.legalBasis === undefined
        ? {}
        : { legalBasis: clean(notice.procedure.legalBasis) }),
    },
    receiptNumber: clean(notice.receiptNumber),
    decision: clean(notice.decision),
    ...(notice.reasons === undefined ? {} : { reasons: clean(notice.reasons) }),
  };
}

/** The 記 items: numbered, each label in a column of its own. */
function items(notice: DispositionNotice): [string, string][] {
  const list: [string, string][] = [
    ['手続の名称', notice.procedure.name],
    ['受付番号', notice.receiptNumber],
    ['申請年月日', formatWareki(notice.filedOn)],
  ];
  if (notice.procedure.legalBasis) list.push(['根拠法令', notice.procedure.legalBasis]);
  list.push(['決定の内容', notice.decision]);
  if (notice.reasons) list.push([notice.outcome === 'rejected' ? '却下の理由' : '理由', notice.reasons]);
  return list;
}

/**
 * A disposition notice (処分通知) as an A4 PDF, laid out as a municipality's 通知書 is: document
 * number and date (和暦) at the top right, the addressee, the 処分庁, the title, the opening
 * sentence, the 記 items (procedure, receipt number, filing date, decision, reasons) and, for a
 * decision that can be contested, the 教示. All of it is real text in an embedded, subset
 * Japanese font — selectable, searchable, readable by screen readers — over as many pages as
 * it takes. Unsigned: signNoticePdf signs it.
 */
export async function renderNoticePdf(input: DispositionNotice): Promise<Uint8Array> {
  checkNotice(input);
  const notice = cleaned(input);
  const appeal = appealOf(notice);
  const fontFiles = await noticeFontFiles();
  const issued = formatWareki(notice.issuedOn);
  const filed = formatWareki(notice.filedOn);
  const opening =
    `　${filed}付けで申請のあった${notice.procedure.name}については、` +
    (notice.outcome === 'approved'
      ? '次のとおり決定したので通知します。'
      : '次の理由により却下したので通知します。');
  const remedies =
    appeal &&
    appealInstructions({
      reviewAuthority: appeal.reviewAuthority,
      defendant: notice.municipality.name,
      representative: notice.municipality.headTitle,
    });
  const signatureNote = `この通知書には${notice.municipality.headTitle}の電子署名が付されています。`;
  checkCoverage(
    [notice.documentNumber, notice.addressee.name, notice.addressee.address ?? '', notice.title, opening]
      .concat(items(notice).flat(), remedies ? [remedies.review, remedies.lawsuit] : [], [signatureNote])
      .join('\n'),
    fontFiles,
  );

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const fonts = {
    regular: await doc.embedFont(fontFiles.regular, { subset: true }),
    bold: await doc.embedFont(fontFiles.bold, { subset: true }),
  };
  doc.setTitle(notice.title, { showInWindowTitleBar: true });
  doc.setAuthor(notice.municipality.headTitle);
  doc.setSubject(`${notice.procedure.name}（受付番号 ${notice.receiptNumber}）`);
  doc.setLanguage('ja-JP');
  doc.setCreator('Machi');
  doc.setProducer('Machi');
  doc.setCreationDate(instantOf(notice.issuedOn));
  doc.setModificationDate(instantOf(notice.issuedOn));

  const pages = new NoticePages(doc, fonts);
  pages.write(notice.documentNumber, { align: 'right' });
  pages.write(issued, { align: 'right' });
  pages.gap(BODY_SIZE);
  if (notice.addressee.address) pages.write(notice.addressee.address);
  pages.write(`${notice.addressee.name}　様`, { size: 12 });
  pages.gap(BODY_SIZE);
  pages.write(notice.municipality.headTitle, { align: 'right', size: 12 });
  pages.gap(BODY_SIZE * 2);
  pages.write(notice.title, { align: 'center', size: 16, weight: 'bold' });
  pages.gap(BODY_SIZE * 1.5);
  pages.write(opening);
  pages.gap(BODY_SIZE / 2);
  pages.write('記', { align: 'center' });
  pages.gap(BODY_SIZE / 2);
  items(notice).forEach(([label, value], index) => {
    pages.write(value, { label: { text: `${index + 1}　${label}`, width: BODY_SIZE * 8 } });
    pages.gap(BODY_SIZE / 3);
  });
  if (remedies) {
    pages.gap(BODY_SIZE * 1.5);
    pages.keepRoom(BODY_SIZE * 1.75 * 4); // the heading never stands alone at the foot of a page
    pages.write('（教示）', { weight: 'bold' });
    pages.write(remedies.review, { label: { text: '1', width: BODY_SIZE * 1.5 } });
    pages.gap(BODY_SIZE / 3);
    pages.write(remedies.lawsuit, { label: { text: '2', width: BODY_SIZE * 1.5 } });
  }
  pages.gap(BODY_SIZE * 1.5);
  pages.write(signatureNote, { size: 9 });
  pages.footer((page, count) => `${page} / ${count}`);
  return doc.save({ useObjectStreams: false });
}
