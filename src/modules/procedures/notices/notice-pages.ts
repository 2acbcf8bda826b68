/**
 * Sets text on A4 pages from the top down, starting a new page when one is full — the small
 * layout engine a notice needs, and no more: left, right or centred lines, an inset, and a
 * label in a column to the left of the text it names (as 記 items are set).
 */
import { type PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { breakLines } from './line-break.ts';
import type { NoticeFontWeight } from './notice-fonts.ts';

/** A4 portrait in points (210 × 297 mm, ISO 216). */
export const A4: [number, number] = [595.28, 841.89];
const MM = 72 / 25.4;
/** 30 mm at the top leaves room for a punch or a binder; 25 mm elsewhere, as 公用文 are set. */
const MARGIN = { top: 30 * MM, bottom: 25 * MM, left: 25 * MM, right: 25 * MM };
/** 10.5 pt, the body size of Japanese office documents. */
export const BODY_SIZE = 10.5;
const LEADING = 1.75;
const INK = rgb(0, 0, 0);

export interface TextStyle {
  readonly size?: number;
  readonly weight?: NoticeFontWeight;
  readonly align?: 'left' | 'center' | 'right';
  /** Inset of every line from the left margin, in points. */
  readonly indent?: number;
  /** Set at the inset on the first line; the text itself starts `width` points further right. */
  readonly label?: { readonly text: string; readonly width: number };
}

export class NoticePages {
  readonly pages: PDFPage[] = [];
  private page: PDFPage;
  private y = 0;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Readonly<Record<NoticeFontWeight, PDFFont>>,
  ) {
    this.page = this.newPage();
  }

  /** The width between the margins. */
  get width(): number {
    return A4[0] - MARGIN.left - MARGIN.right;
  }

  private newPage(): PDFPage {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = A4[1] - MARGIN.top;
    return this.page;
  }

  /** Vertical space, in points; none at the top of a page. */
  gap(points: number): void {
    if (this.y < A4[1] - MARGIN.top) this.y -= points;
  }

  /** Starts a new page unless `points` of height are left: keeps a heading with what follows it. */
  keepRoom(points: number): void {
    if (this.y - points < MARGIN.bottom) this.newPage();
  }

  write(text: string, style: TextStyle = {}): void {
    const size = style.size ?? BODY_SIZE;
    const font = this.fonts[style.weight ?? 'regular'];
    const measure = (line: string) => font.widthOfTextAtSize(line, size);
    const lineHeight = size * LEADING;
    const left = MARGIN.left + (style.indent ?? 0);
    const textLeft = left + (style.label?.width ?? 0);
    const width = MARGIN.left + this.width - textLeft;
    breakLines(text, width, measure).forEach((line, index) => {
      this.keepRoom(lineHeight);
      this.y -= lineHeight;
      // The baseline sits so that the em box is centred in the line's height.
      const baseline = this.y + (lineHeight - size) / 2 + size * 0.12;
      if (index === 0 && style.label) {
        this.page.drawText(style.label.text, { x: left, y: baseline, size, font, color: INK });
      }
      const free = width - measure(line);
      const x =
        style.align === 'right' ? textLeft + free : style.align === 'center' ? textLeft + free / 2 : textLeft;
      if (line !== '') this.page.drawText(line, { x, y: baseline, size, font, color: INK });
    });
  }

  /** The same small line at the foot of every page, e.g. its number. */
  footer(text: (page: number, count: number) => string): void {
    const size = 9;
    const font = this.fonts.regular;
    this.pages.forEach((page, index) => {
      const line = text(index + 1, this.pages.length);
      const x = MARGIN.left + (this.width - font.widthOfTextAtSize(line, size)) / 2;
      page.drawText(line, { x, y: MARGIN.bottom / 2, size, font, color: INK });
    });
  }
}
