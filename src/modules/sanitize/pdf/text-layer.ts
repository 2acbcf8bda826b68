/**
 * The rebuilt PDF's invisible text layer (render mode 3), so the page stays searchable and selectable.
 *
 * Japanese (any script, in fact) is written with one embedded glyphless TrueType font as a Type0 /
 * Identity-H font, plus an Identity-V twin for vertical (縦書き) runs. Codes are assigned per document
 * in order of first use, two bytes each, and a /ToUnicode CMap maps every code back to its character
 * (astral characters and private-use gaiji included), which is all text extraction needs.
 * Each run is stretched (Tz for horizontal, Tc for vertical) to the width pdf.js measured in the
 * original, so selections line up with the picture.
 */
import { type PDFContext, type PDFRef, PDFString } from 'pdf-lib';
import { glyphlessFont } from './glyphless-font.ts';

/** A pdf.js text item, as much of it as the layer needs. */
export interface TextRun {
  readonly str: string;
  /** The run's matrix in the original's user space (font size included). */
  readonly transform: readonly number[];
  readonly width: number;
  readonly height: number;
  readonly vertical: boolean;
}

type Matrix = readonly [number, number, number, number, number, number];

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

const num = (v: number): string => {
  const s = v.toFixed(3);
  return s.includes('.') ? s.replace(/\.?0+$/, '') || '0' : s;
};

const MAX_CODES = 0xffff;

/** The two fonts and the character ↔ code table, shared by all pages of one document. */
export class TextLayerFont {
  private readonly codes = new Map<string, number>();
  private refs?: { horizontal: PDFRef; vertical: PDFRef };

  constructor(private readonly context: PDFContext) {}

  /** The fonts' references, reserved on first use so a text-less document gets no font at all. */
  private get reserved(): { horizontal: PDFRef; vertical: PDFRef } {
    this.refs ??= { horizontal: this.context.nextRef(), vertical: this.context.nextRef() };
    return this.refs;
  }
  get horizontal(): PDFRef {
    return this.reserved.horizontal;
  }
  get vertical(): PDFRef {
    return this.reserved.vertical;
  }

  private encode(chars: readonly string[]): string {
    let hex = '';
    for (const ch of chars) {
      let code = this.codes.get(ch);
      if (code === undefined) {
        // 65,535 distinct characters in one document is absurd; past that, reuse code 1 rather than fail.
        if (this.codes.size >= MAX_CODES) code = 1;
        else {
          code = this.codes.size + 1;
          this.codes.set(ch, code);
        }
      }
      hex += code.toString(16).padStart(4, '0');
    }
    return hex;
  }

  /**
   * Content-stream operators drawing `runs` invisibly. `toPage` maps the original's user space to
   * the new page's (it folds in rotation and the crop box origin).
   */
  operators(runs: readonly TextRun[], toPage: Matrix): string {
    const ops: string[] = [];
    let font = '';
    for (const run of runs) {
      const chars = Array.from(run.str);
      if (chars.length === 0 || run.str.trim() === '' || run.transform.length < 6) continue;
      const t = run.transform as unknown as Matrix;
      const m = multiply(toPage, t);
      const want = run.vertical ? 'Fv' : 'Fh';
      if (font !== want) ops.push(`/${want} 1 Tf`);
      font = want;
      // Text space is the run's own: one unit is the font size, each glyph advances one unit.
      const size = run.vertical ? Math.hypot(t[2], t[3]) : Math.hypot(t[0], t[1]);
      if (!(size > 0)) continue;
      const advance = (run.vertical ? run.height : run.width) / size / chars.length;
      const fit = run.vertical
        ? `${num(1 - advance)} Tc 100 Tz`
        : `0 Tc ${num(Math.min(Math.max(advance * 100, 1), 10_000))} Tz`;
      ops.push(`${m.map(num).join(' ')} Tm ${fit} <${this.encode(chars)}> Tj`);
    }
    return ops.length === 0 ? '' : `BT 3 Tr\n${ops.join('\n')}\nET\n`;
  }

  /** Writes the font objects; call once, after the last page. */
  finish(): void {
    if (!this.refs) return;
    const ctx = this.context;
    const fontFile = ctx.flateStream(glyphlessFont(), {});
    const descriptor = ctx.obj({
      Type: 'FontDescriptor',
      FontName: 'MachiGlyphless',
      Flags: 4,
      FontBBox: [0, -120, 1000, 880],
      ItalicAngle: 0,
      Ascent: 880,
      Descent: -120,
      CapHeight: 700,
      StemV: 80,
      FontFile2: ctx.register(fontFile),
    });
    // Every code shows glyph 1 (empty, 1 em): code 0 is unused and stays .notdef.
    const gids = new Uint8Array((this.codes.size + 1) * 2);
    for (let i = 3; i < gids.length; i += 2) gids[i] = 1; // big-endian 0x0001
    const cidFont = ctx.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: 'MachiGlyphless',
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: ctx.register(descriptor),
      DW: 1000,
      DW2: [880, -1000],
      CIDToGIDMap: ctx.register(ctx.flateStream(gids, {})),
    });
    const cidRef = ctx.register(cidFont);
    const toUnicode = ctx.register(ctx.flateStream(this.toUnicodeCMap(), {}));
    for (const [ref, encoding] of [
      [this.refs.horizontal, 'Identity-H'],
      [this.refs.vertical, 'Identity-V'],
    ] as const) {
      const dict = ctx.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: 'MachiGlyphless',
        Encoding: encoding,
        DescendantFonts: [cidRef],
        ToUnicode: toUnicode,
      });
      ctx.assign(ref, dict);
    }
  }

  private toUnicodeCMap(): string {
    const lines: string[] = [];
    const entries = [...this.codes];
    for (let i = 0; i < entries.length; i += 100) {
      const chunk = entries.slice(i, i + 100);
      lines.push(`${chunk.length} beginbfchar`);
      for (const [ch, code] of chunk) {
        const utf16 = Buffer.from(ch, 'utf16le').swap16().toString('hex');
        lines.push(`<${code.toString(16).padStart(4, '0')}> <${utf16}>`);
      }
      lines.push('endbfchar');
    }
    return [
      '/CIDInit /ProcSet findresource begin',
      '12 dict begin',
      'begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      '/CMapName /Adobe-Identity-UCS def',
      '/CMapType 2 def',
      '1 begincodespacerange',
      '<0000> <FFFF>',
      'endcodespacerange',
      ...lines,
      'endcmap',
      'CMapName currentdict /CMapName defineresource pop',
      'end',
      'end',
    ].join('\n');
  }
}
