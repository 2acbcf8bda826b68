/**
 * Test support: a corpus of PDFs generated on the spot (nothing downloaded), most of them hostile.
 * Each builder returns the bytes; `HOSTILE` lists them with the report kinds a sanitizer must find.
 */
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument, PDFName, PDFString, rgb, StandardFonts } from 'pdf-lib';
import { appendRevision, latin1, type RawObject, rc4Security, writePdf } from './test-pdf-writer.ts';

const HELLO = { body: '<< >>', stream: 'BT /F1 24 Tf 72 720 Td (Hello, sanitizer) Tj ET' };
const HELVETICA = { body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' };

/** A one-page document: objects 1 catalog, 2 pages, 3 page, 4 contents, 5 font, then `extra` from 6. */
export function onePage(
  opts: { catalog?: string; page?: string; extra?: RawObject[]; skew?: number } = {},
): Uint8Array {
  const objects: RawObject[] = [
    { body: `<< /Type /Catalog /Pages 2 0 R ${opts.catalog ?? ''} >>` },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      body: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R ${opts.page ?? ''} >>`,
    },
    HELLO,
    HELVETICA,
    ...(opts.extra ?? []),
  ];
  return writePdf(objects, { trailer: '/Root 1 0 R', ...(opts.skew ? { xrefSkew: opts.skew } : {}) });
}

const link = (action: string) =>
  `<< /Type /Annot /Subtype /Link /Rect [72 700 300 740] /Border [0 0 0] /A ${action} >>`;

export const corpus = {
  javascript: () =>
    onePage({
      catalog: '/OpenAction 6 0 R /Names << /JavaScript 7 0 R >>',
      extra: [
        { body: '<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>' },
        { body: '<< /Names [(boot) 8 0 R] >>' },
        { body: '<< /S /JavaScript /JS 9 0 R >>' },
        { body: '<< >>', stream: 'this.exportDataObject({cName: "x", nLaunch: 2});' },
      ],
    }),
  openAction: () => onePage({ catalog: '/OpenAction [3 0 R /Fit]' }),
  pageAA: () => onePage({ page: '/AA << /O << /S /Named /N /NextPage >> >>' }),
  launch: () =>
    onePage({ page: '/Annots [6 0 R]', extra: [{ body: link('<< /S /Launch /F (cmd.exe) >>') }] }),
  uri: () =>
    onePage({
      page: '/Annots [6 0 R]',
      extra: [{ body: link('<< /S /URI /URI (https://evil.example.com/p?id=123) >>') }],
    }),
  embeddedFile: () =>
    onePage({
      catalog: '/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>',
      page: '/Annots [8 0 R]',
      extra: [
        { body: '<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>' },
        { body: '<< /Type /EmbeddedFile >>', stream: 'MZ not really a program' },
        { body: '<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 20 20] /FS 6 0 R >>' },
      ],
    }),
  xfa: () =>
    onePage({
      catalog: '/AcroForm << /Fields [] /XFA 6 0 R >>',
      extra: [
        {
          body: '<< >>',
          stream: '<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><script>x()</script></xdp:xdp>',
        },
      ],
    }),
  submitForm: () =>
    onePage({
      page: '/Annots [6 0 R]',
      extra: [{ body: link('<< /S /SubmitForm /F (https://collect.example.net/) >>') }],
    }),
  /** A second revision replaces the page's contents and adds a JavaScript OpenAction. */
  incrementalUpdate: () =>
    appendRevision(
      onePage(),
      new Map([
        [1, { body: '<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>' }],
        [4, { body: '<< >>', stream: 'BT /F1 24 Tf 72 720 Td (Appended later) Tj ET' }],
        [6, { body: '<< /S /JavaScript /JS (app.alert\\(2\\)) >>' }],
      ]),
      '/Root 1 0 R',
    ),
  /** Every xref offset is 7 bytes off, so readers must rebuild the table by scanning. */
  brokenXref: () => onePage({ skew: 7 }),
  /** JavaScript hidden in a compressed object stream (pdf-lib writes one, with an xref stream). */
  objectStream: async () => {
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]).drawText('packed', { x: 20, y: 100, size: 12 });
    const action = doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(3)') });
    doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action));
    return doc.save({ useObjectStreams: true });
  },
};

/** Builders and what the report must list for each (kind, optionally detail). */
export const HOSTILE: ReadonlyArray<{ name: keyof typeof corpus; expect: ReadonlyArray<[string, string?]> }> =
  [
    { name: 'javascript', expect: [['javascript'], ['open-action']] },
    { name: 'openAction', expect: [['open-action']] },
    { name: 'pageAA', expect: [['additional-actions']] },
    { name: 'launch', expect: [['launch']] },
    { name: 'uri', expect: [['uri', 'evil.example.com']] },
    { name: 'embeddedFile', expect: [['embedded-file']] },
    { name: 'xfa', expect: [['xfa']] },
    { name: 'submitForm', expect: [['submit-form']] },
    { name: 'incrementalUpdate', expect: [['incremental-update'], ['javascript'], ['open-action']] },
    { name: 'brokenXref', expect: [['broken-xref']] },
    { name: 'objectStream', expect: [['javascript'], ['open-action']] },
  ];

const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16().toString('hex');

/**
 * Japanese text in a non-embedded Adobe-Japan1 font (UniJIS-UTF16 CMaps, which pdf.js ships), so no
 * CJK font file is needed: one horizontal line and one vertical (縦書き) column.
 */
export function japanese(horizontal = '無害化のテスト文書', vertical = '縦書きの文'): Uint8Array {
  const cid =
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> /FontDescriptor 7 0 R /DW 1000 >>';
  const type0 = (enc: string) =>
    `<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular /Encoding /${enc} /DescendantFonts [6 0 R] >>`;
  return writePdf(
    [
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      {
        body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 8 0 R >> >> /Contents 4 0 R >>',
      },
      {
        body: '<< >>',
        stream: `BT /F1 24 Tf 72 720 Td <${utf16be(horizontal)}> Tj ET BT /F2 20 Tf 500 700 Td <${utf16be(vertical)}> Tj ET`,
      },
      { body: type0('UniJIS-UTF16-H') },
      { body: cid },
      {
        body: '<< /Type /FontDescriptor /FontName /KozMinPr6N-Regular /Flags 6 /FontBBox [-437 -340 1147 1317] /ItalicAngle 0 /Ascent 1317 /Descent -349 /CapHeight 742 /StemV 80 >>',
      },
      { body: type0('UniJIS-UTF16-V') },
    ],
    { trailer: '/Root 1 0 R' },
  );
}

/** RC4-encrypted; with a user password it cannot be opened, with an owner password only it can. */
export function encrypted(userPassword: string, ownerPassword = 'owner'): Uint8Array {
  return writePdf(
    [
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      {
        body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
      },
      { body: '<< >>', stream: 'BT /F1 24 Tf 72 720 Td (Secret text) Tj ET' },
      HELVETICA,
    ],
    { trailer: '/Root 1 0 R', security: rc4Security(userPassword, ownerPassword) },
  );
}

/** A text document of `pages` pages, 50 lines each, some in red. */
export async function textDocument(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595, 842]);
    for (let i = 0; i < 50; i++) {
      page.drawText(`Line ${i} of page ${p + 1}: the quick brown fox jumps over the lazy dog.`, {
        x: 50,
        y: 800 - i * 15,
        size: 11,
        font,
        color: i % 10 === 0 ? rgb(0.8, 0, 0) : rgb(0, 0, 0),
      });
    }
  }
  return doc.save();
}

/** Like a colour scan: one noisy 200 dpi A4 JPEG per page (paper texture, text-like strokes, a photo). */
export async function scanDocument(pages: number): Promise<Uint8Array> {
  const w = 1654;
  const h = 2339; // A4 at 200 dpi
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  const doc = await PDFDocument.create();
  for (let p = 0; p < pages; p++) {
    const img = ctx.createImageData(w, h);
    let seed = 12345 + p;
    for (let i = 0; i < img.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const noise = (seed >> 16) % 24;
      img.data[i] = 236 - noise;
      img.data[i + 1] = 232 - noise;
      img.data[i + 2] = 222 - noise;
      img.data[i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    ctx.fillStyle = '#222';
    ctx.font = '36px sans-serif';
    for (let y = 200; y < h - 900; y += 60)
      ctx.fillText('Scanned line of text to make the page look like a letter.', 150, y);
    const gradient = ctx.createLinearGradient(150, h - 800, w - 150, h - 200);
    gradient.addColorStop(0, '#3a6ea5');
    gradient.addColorStop(1, '#c96');
    ctx.fillStyle = gradient;
    ctx.fillRect(150, h - 800, w - 300, 600);
    const jpeg = await canvas.encode('jpeg', 85);
    const image = await doc.embedJpg(jpeg);
    doc.addPage([595.28, 841.89]).drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
  }
  return doc.save();
}

export const NOT_A_PDF = latin1('GIF89a this is not a PDF at all');
