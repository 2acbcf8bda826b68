import { describe, expect, it } from 'vitest';
import { refusalOf as refusal } from '../test-support.ts';
import { DEFAULT_LIMITS, type Rebuilt, Refusal } from '../types.ts';
import { writeZip } from '../zip/index.ts';
import { detectOoxml, sanitizeOoxml } from './index.ts';
import {
  contentTypes,
  docmWithMacros,
  docxFiles,
  docxWithActiveXAndOle,
  docxWithDdeFields,
  docxWithRemoteTemplate,
  docxWithXxe,
  minimalDocx,
  minimalXlsx,
  PARAGRAPH,
  PNG_1X1,
  pack,
  rels,
  xlsxFiles,
  xlsxWithDde,
} from './test-corpus.ts';
import { inspectPackage } from './test-inspect.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SML = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

const kinds = (r: Rebuilt) => r.removed.map((x) => `${x.kind}:${x.detail ?? ''}`);

describe('sanitizeOoxml on DOCX', () => {
  it('rebuilds a plain document: text, picture and styles stay; links and personal metadata go', async () => {
    const r = await sanitizeOoxml(minimalDocx(), DEFAULT_LIMITS);
    expect(r.mediaType).toBe(DOCX);
    const p = inspectPackage(r.output);
    expect(p.text('word/document.xml')).toContain(PARAGRAPH);
    expect(p.text('word/document.xml')).toContain('リンク'); // the hyperlink's text, now plain
    expect(p.text('word/document.xml')).not.toContain('w:hyperlink');
    expect(p.names).toContain('word/media/image1.png');
    expect(p.text('docProps/core.xml')).not.toContain('山田');
    expect(p.text('docProps/core.xml')).toContain('<dc:title>申請書</dc:title>');
    expect(p.text('docProps/app.xml')).not.toMatch(/Company|HyperlinkBase/);
    expect(kinds(r)).toEqual(['external-relationship:link.example']);
    expect(r.warnings.join()).toMatch(/passed as they are/);
  });

  it('is deterministic and idempotent', async () => {
    const once = await sanitizeOoxml(minimalDocx(), DEFAULT_LIMITS);
    const again = await sanitizeOoxml(minimalDocx(), DEFAULT_LIMITS);
    const twice = await sanitizeOoxml(once.output, DEFAULT_LIMITS);
    expect(again.output).toEqual(once.output);
    expect(twice.output).toEqual(once.output);
    expect(twice.removed).toEqual([]);
  });

  it('turns a DOCM into a DOCX without its macros', async () => {
    const input = docmWithMacros();
    expect(detectOoxml(input, DEFAULT_LIMITS)).toBe('docm');
    const r = await sanitizeOoxml(input, DEFAULT_LIMITS);
    const p = inspectPackage(r.output);
    expect(r.mediaType).toBe(DOCX);
    expect(detectOoxml(r.output, DEFAULT_LIMITS)).toBe('docx');
    expect(kinds(r)).toEqual(expect.arrayContaining(['macro:word/vbaProject.bin', 'macro:word/vbaData.xml']));
    expect(p.text('[Content_Types].xml')).toContain('wordprocessingml.document.main+xml');
    expect(p.text('word/document.xml')).toContain(PARAGRAPH);
    expect(r.actions.join()).toMatch(/macro-enabled DOCM into a plain DOCX/);
  });

  it('removes a remote template (attachedTemplate to http://evil.example)', async () => {
    const r = await sanitizeOoxml(docxWithRemoteTemplate(), DEFAULT_LIMITS);
    const p = inspectPackage(r.output);
    expect(kinds(r)).toContain('external-relationship:evil.example');
    expect(p.allXml).not.toMatch(/evil\.example|attachedTemplate|linkStyles/);
    expect(p.names).not.toContain('word/_rels/settings.xml.rels');
  });

  it('refuses a part that declares a DTD (XXE)', async () => {
    const r = await refusal(sanitizeOoxml(docxWithXxe(), DEFAULT_LIMITS));
    expect(r.reason).toBe('malformed');
    expect(r.message).toMatch(/word\/document\.xml declares a DTD/);
  });

  it('removes ActiveX controls and OLE objects, parts and references', async () => {
    const r = await sanitizeOoxml(docxWithActiveXAndOle(), DEFAULT_LIMITS);
    const p = inspectPackage(r.output);
    expect(kinds(r)).toEqual(
      expect.arrayContaining([
        'ole-object:w:object',
        'activex:w:control',
        'ole-object:word/embeddings/oleObject1.bin',
        'activex:word/activeX/activeX1.xml',
        'activex:word/activeX/activeX1.bin',
        'part:word/media/image2.emf',
      ]),
    );
    expect(p.allXml).not.toMatch(/w:object|w:control|OLEObject|activeX/);
    expect(p.text('word/document.xml')).toContain(PARAGRAPH);
  });

  it('removes DDE and INCLUDE fields, also hidden by nesting, keeping their displayed results', async () => {
    const r = await sanitizeOoxml(docxWithDdeFields(), DEFAULT_LIMITS);
    const doc = inspectPackage(r.output).text('word/document.xml');
    expect(kinds(r)).toEqual(
      expect.arrayContaining(['dde:DDEAUTO', 'dde:INCLUDEPICTURE', 'dde:nested field']),
    );
    expect(doc).not.toMatch(/DDEAUTO|INCLUDEPICTURE|QUOTE|cmd|fldSimple|evil/);
    for (const shown of ['表示結果', '画像', '隠し', PARAGRAPH]) expect(doc).toContain(shown);
    expect(doc).toContain(' PAGE '); // harmless fields stay
    expect(doc.match(/fldCharType="begin"/g)).toHaveLength(1);
    expect(doc.match(/fldCharType="end"/g)).toHaveLength(1);
  });

  it('matches elements by namespace, not by prefix', async () => {
    const f = docxFiles(
      '<w:p><w:r><x:object xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/></w:r></w:p>',
    );
    const r = await sanitizeOoxml(pack(f), DEFAULT_LIMITS);
    expect(kinds(r)).toContain('ole-object:w:object');
    expect(inspectPackage(r.output).text('word/document.xml')).not.toContain('object');
  });

  it('removes a chart whole, but keeps a picture whose SVG alternative and click link are dropped', async () => {
    const C = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
    const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
    const chart = `<w:p><w:r><w:drawing><wp:inline><wp:docPr id="7" name="Chart"/><a:graphic><a:graphicData uri="${C}"><c:chart xmlns:c="${C}" r:id="rId30"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`;
    const svg = `<w:p><w:r><w:drawing><wp:inline><wp:docPr id="8" name="Icon"><a:hlinkClick xmlns:a="${A}" r:id="rId31"/></wp:docPr><a:graphic><a:graphicData uri="pic"><a:blip r:embed="rId10"><a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}"><asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="rId32"/></a:ext></a:extLst></a:blip></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`;
    const f = docxFiles(chart + svg);
    f['word/_rels/document.xml.rels'] = rels([
      { id: 'rId10', type: 'image', target: 'media/image1.png' },
      { id: 'rId30', type: 'chart', target: 'charts/chart1.xml' },
      { id: 'rId31', type: 'hyperlink', target: 'http://click.example/', external: true },
      { id: 'rId32', type: 'image', target: 'media/image3.svg' },
    ]);
    f['word/charts/chart1.xml'] = `<c:chartSpace xmlns:c="${C}"/>`;
    f['word/media/image3.svg'] = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    const r = await sanitizeOoxml(pack(f), DEFAULT_LIMITS);
    const doc = inspectPackage(r.output).text('word/document.xml');
    expect(doc).not.toMatch(/c:chart|svgBlip|extLst|hlinkClick|name="Chart"/);
    expect(doc).toContain('name="Icon"/>');
    expect(doc).toContain('<a:blip r:embed="rId10"/>');
    expect(kinds(r)).toEqual(
      expect.arrayContaining([
        'part:word/charts/chart1.xml',
        'part:word/media/image3.svg',
        'external-relationship:click.example',
      ]),
    );
  });

  it('passes images through the sanitizeImage hook, and drops one it refuses', async () => {
    const seen: string[] = [];
    const ok = await sanitizeOoxml(minimalDocx(), DEFAULT_LIMITS, {
      sanitizeImage: async (bytes, type) => {
        seen.push(type);
        return bytes;
      },
    });
    expect(seen).toEqual(['png']);
    expect(ok.actions.join()).toMatch(/re-encoded 1 embedded image/);
    const dropped = await sanitizeOoxml(minimalDocx(), DEFAULT_LIMITS, {
      sanitizeImage: async () => {
        throw new Refusal('malformed', 'bad image');
      },
    });
    const p = inspectPackage(dropped.output);
    expect(p.names).not.toContain('word/media/image1.png');
    // The picture frame stays, empty (a visible trace), without a reference to the dropped image.
    expect(p.text('word/document.xml')).toContain('<a:blip/>');
    expect(dropped.warnings.join()).toMatch(/could not be re-encoded/);
    expect(kinds(dropped).filter((k) => k === 'part:word/media/image1.png')).toHaveLength(1);
  });

  it('refuses what is not Word or Excel', async () => {
    const plain = writeZip([{ name: 'a.txt', data: new TextEncoder().encode('hi') }]);
    expect(detectOoxml(plain, DEFAULT_LIMITS)).toBeUndefined();
    expect(detectOoxml(new TextEncoder().encode('plain text'), DEFAULT_LIMITS)).toBeUndefined();
    expect((await refusal(sanitizeOoxml(plain, DEFAULT_LIMITS))).reason).toBe('type-not-allowed');
  });
});

describe('sanitizeOoxml on XLSX', () => {
  it('rebuilds a plain workbook: strings, values and harmless formulas stay; calcChain goes', async () => {
    const input = minimalXlsx();
    expect(detectOoxml(input, DEFAULT_LIMITS)).toBe('xlsx');
    const r = await sanitizeOoxml(input, DEFAULT_LIMITS);
    const p = inspectPackage(r.output);
    expect(r.mediaType).toBe(XLSX);
    expect(p.text('xl/sharedStrings.xml')).toContain(PARAGRAPH);
    expect(p.text('xl/worksheets/sheet1.xml')).toContain('<f>B1*2</f><v>84</v>');
    expect(p.names).not.toContain('xl/calcChain.xml');
    expect(kinds(r)).toEqual(['part:xl/calcChain.xml']);
  });

  it('removes DDE formulas (keeping cached values), ddeLink and external workbook links', async () => {
    const r = await sanitizeOoxml(xlsxWithDde(), DEFAULT_LIMITS);
    const p = inspectPackage(r.output);
    const sheet = p.text('xl/worksheets/sheet1.xml');
    expect(kinds(r)).toEqual(
      expect.arrayContaining([
        'dde:DDE formula',
        'dde:RTD',
        'dde:cmd',
        'external-relationship:files.evil.example',
        'external-relationship:external workbook',
        'macro:Auto_Open name',
      ]),
    );
    for (const f of sheet.match(/<f[ >][^<]*<\/f>/g) ?? [])
      expect(f.replace(/"[^"]*"/g, '')).not.toContain('|');
    expect(sheet).not.toMatch(/cmd|RTD|MSEXCEL/);
    expect(sheet).toContain('<c r="A2"><v>0</v></c>');
    expect(sheet).toContain('<c r="B2" t="inlineStr"><is><t xml:space="preserve">計算</t></is></c>');
    expect(sheet).toContain('<f>"a|b"&amp;"c"</f>'); // a pipe inside a string literal is text
    const workbook = p.text('xl/workbook.xml');
    expect(workbook).not.toMatch(/externalReference|definedName|Auto_Open/);
  });

  it('keeps pictures and tables of a sheet; drops charts, OLE objects, controls and external links', async () => {
    const XDR = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';
    const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
    const C = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
    const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
    const f = xlsxFiles();
    f['[Content_Types].xml'] = contentTypes({
      '/xl/workbook.xml': `${SML}.sheet.main+xml`,
      '/xl/worksheets/sheet1.xml': `${SML}.worksheet+xml`,
      '/xl/sharedStrings.xml': `${SML}.sharedStrings+xml`,
      '/xl/styles.xml': `${SML}.styles+xml`,
      '/xl/drawings/drawing1.xml': 'application/vnd.openxmlformats-officedocument.drawing+xml',
      '/xl/charts/chart1.xml': 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml',
      '/xl/tables/table1.xml': `${SML}.table+xml`,
    });
    f['xl/worksheets/sheet1.xml'] =
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="${MC}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData><hyperlinks><hyperlink ref="A1" r:id="rId4"/></hyperlinks><drawing r:id="rId1"/><mc:AlternateContent><mc:Choice Requires="x14"><oleObjects><oleObject progId="Package" shapeId="1025" r:id="rId5"/></oleObjects></mc:Choice></mc:AlternateContent><controls><control shapeId="1026" r:id="rId6" name="Button"/></controls><tableParts count="1"><tablePart r:id="rId2"/></tableParts></worksheet>`;
    f['xl/worksheets/_rels/sheet1.xml.rels'] = rels([
      { id: 'rId1', type: 'drawing', target: '../drawings/drawing1.xml' },
      { id: 'rId2', type: 'table', target: '../tables/table1.xml' },
      { id: 'rId4', type: 'hyperlink', target: 'https://phish.example/login', external: true },
      { id: 'rId5', type: 'oleObject', target: '../embeddings/oleObject1.bin' },
      { id: 'rId6', type: 'control', target: '../activeX/activeX1.xml' },
    ]);
    const anchor = (inner: string) =>
      `<xdr:twoCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>${inner}<xdr:clientData/></xdr:twoCellAnchor>`;
    f['xl/drawings/drawing1.xml'] =
      `<xdr:wsDr xmlns:xdr="${XDR}" xmlns:a="${A}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
      anchor(
        '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="写真"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId1"/></xdr:blipFill><xdr:spPr/></xdr:pic>',
      ) +
      anchor(
        `<xdr:graphicFrame><xdr:nvGraphicFramePr><xdr:cNvPr id="3" name="グラフ"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm/><a:graphic><a:graphicData uri="${C}"><c:chart xmlns:c="${C}" r:id="rId2"/></a:graphicData></a:graphic></xdr:graphicFrame>`,
      ) +
      '</xdr:wsDr>';
    f['xl/drawings/_rels/drawing1.xml.rels'] = rels([
      { id: 'rId1', type: 'image', target: '../media/image1.png' },
      { id: 'rId2', type: 'chart', target: '../charts/chart1.xml' },
    ]);
    f['xl/media/image1.png'] = PNG_1X1;
    f['xl/charts/chart1.xml'] = `<c:chartSpace xmlns:c="${C}"/>`;
    f['xl/tables/table1.xml'] =
      '<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" name="T" displayName="T" ref="A1:A2" tableType="queryTable" connectionId="1"><tableColumns count="1"><tableColumn id="1" name="申請" queryTableFieldId="1"/></tableColumns></table>';
    f['xl/embeddings/oleObject1.bin'] = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]);
    const r = await sanitizeOoxml(pack(f), DEFAULT_LIMITS);
    const p = inspectPackage(r.output);
    const sheet = p.text('xl/worksheets/sheet1.xml');
    const drawing = p.text('xl/drawings/drawing1.xml');
    expect(sheet).not.toMatch(/hyperlink|oleObject|control|AlternateContent/);
    expect(sheet).toContain(
      '<drawing r:id="rId1"/><tableParts count="1"><tablePart r:id="rId2"/></tableParts>',
    );
    expect(drawing).toContain('name="写真"');
    expect(drawing).not.toMatch(/グラフ|c:chart/);
    expect(p.names).toEqual(expect.arrayContaining(['xl/media/image1.png', 'xl/tables/table1.xml']));
    expect(p.text('xl/tables/table1.xml')).not.toMatch(/queryTable|connectionId/);
    expect(kinds(r)).toEqual(
      expect.arrayContaining([
        'external-relationship:phish.example',
        'ole-object:oleObject',
        'activex:control',
        'part:xl/charts/chart1.xml',
        'ole-object:xl/embeddings/oleObject1.bin',
      ]),
    );
  });

  it('turns an XLSM with a macro sheet into an XLSX, renumbering sheet-local names', async () => {
    const f = xlsxFiles();
    f['[Content_Types].xml'] = contentTypes(
      {
        '/xl/workbook.xml': 'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
        '/xl/worksheets/sheet1.xml': `${SML}.worksheet+xml`,
        '/xl/worksheets/sheet2.xml': `${SML}.worksheet+xml`,
        '/xl/macrosheets/sheet1.xml': 'application/vnd.ms-excel.macrosheet+xml',
        '/xl/sharedStrings.xml': `${SML}.sharedStrings+xml`,
        '/xl/styles.xml': `${SML}.styles+xml`,
      },
      { bin: 'application/vnd.ms-office.vbaProject' },
    );
    f['xl/workbook.xml'] =
      `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="1"/></bookViews><sheets><sheet name="A" sheetId="1" r:id="rId1"/><sheet name="M" sheetId="2" r:id="rId7"/><sheet name="B" sheetId="3" r:id="rId8"/></sheets><definedNames><definedName name="_xlnm.Auto_Open">M!$A$1</definedName><definedName name="_xlnm.Print_Area" localSheetId="2">B!$A$1</definedName><definedName name="m" localSheetId="1">M!$A$1</definedName></definedNames></workbook>`;
    f['xl/_rels/workbook.xml.rels'] = rels([
      { id: 'rId1', type: 'worksheet', target: 'worksheets/sheet1.xml' },
      { id: 'rId2', type: 'sharedStrings', target: 'sharedStrings.xml' },
      { id: 'rId3', type: 'styles', target: 'styles.xml' },
      {
        id: 'rId7',
        type: 'http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet',
        target: 'macrosheets/sheet1.xml',
      },
      { id: 'rId8', type: 'worksheet', target: 'worksheets/sheet2.xml' },
      {
        id: 'rId9',
        type: 'http://schemas.microsoft.com/office/2006/relationships/vbaProject',
        target: 'vbaProject.bin',
      },
    ]);
    f['xl/worksheets/sheet2.xml'] = f['xl/worksheets/sheet1.xml']!;
    f['xl/macrosheets/sheet1.xml'] =
      '<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData/></xm:macrosheet>';
    f['xl/vbaProject.bin'] = new Uint8Array([1, 2, 3]);
    const input = pack(f);
    expect(detectOoxml(input, DEFAULT_LIMITS)).toBe('xlsm');
    const r = await sanitizeOoxml(input, DEFAULT_LIMITS);
    const workbook = inspectPackage(r.output).text('xl/workbook.xml');
    expect(r.mediaType).toBe(XLSX);
    expect(kinds(r)).toEqual(
      expect.arrayContaining([
        'macro:xl/macrosheets/sheet1.xml',
        'macro:xl/vbaProject.bin',
        'macro:Auto_Open name',
      ]),
    );
    expect(workbook).toContain(
      '<sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="3" r:id="rId8"/>',
    );
    expect(workbook).toContain('<definedName name="_xlnm.Print_Area" localSheetId="1">B!$A$1</definedName>');
    expect(workbook).not.toMatch(/name="m"|activeTab|Auto_Open/);
  });
});
