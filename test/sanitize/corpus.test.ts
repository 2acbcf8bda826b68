// The acceptance corpus of 無害化, made here (nothing downloaded), sent as residents send files:
// through POST /api/v1/uploads of the internet zone. Each file's output is parsed again and
// must hold none of the active content, or the file is refused; meanwhile the zone keeps
// answering other requests.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exifGpsZipJpeg,
  pngBombHugeHeader,
  pngBombIdat,
  rgbPng,
} from '../../src/modules/sanitize/image/test-corpus.ts';
import { jpegMarkers, pngChunks } from '../../src/modules/sanitize/image/test-inspect.ts';
import {
  docmWithMacros,
  docxWithRemoteTemplate,
  nestedBomb,
  PARAGRAPH,
  xlsxWithDde,
} from '../../src/modules/sanitize/ooxml/test-corpus.ts';
import { inspectPackage } from '../../src/modules/sanitize/ooxml/test-inspect.ts';
import { outputProblems } from '../../src/modules/sanitize/pdf/test-checks.ts';
import { corpus, HOSTILE } from '../../src/modules/sanitize/pdf/test-corpus.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { openZonesWithPki, rebuiltOf, type SignedInResident, signedInResident, upload } from './support.ts';

let zones: ThreeZones & { remove(): void };
let resident: SignedInResident;
/** Health checks made while the corpus was being sanitized: every one must be answered. */
const health: { status: number; ms: number }[] = [];
let polling = true;
let poller: Promise<void>;

beforeAll(async () => {
  zones = await openZonesWithPki();
  resident = await signedInResident(zones, 901);
  poller = (async () => {
    while (polling) {
      const started = performance.now();
      const response = await zones.internet.app.inject({ method: 'GET', url: '/healthz' });
      health.push({ status: response.statusCode, ms: performance.now() - started });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
});
afterAll(async () => {
  polling = false;
  await poller;
  await zones?.close();
  zones?.remove();
});

const text = (value: string) => new TextEncoder().encode(value);
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

async function rebuilt(bytes: Uint8Array, contentType?: string) {
  const response = await upload(zones, resident, bytes, contentType);
  expect(response.statusCode, response.body).toBe(201);
  const { uploadId, report } = response.json();
  return { report, output: await rebuiltOf(zones, uploadId) };
}

async function refused(bytes: Uint8Array) {
  const response = await upload(zones, resident, bytes);
  expect(response.statusCode, response.body).toBe(422);
  return response.json() as { type: string; reason: string; detectedType: string };
}

describe('PDF: rebuilt, and the report names what the original held', () => {
  it.each(HOSTILE.map((item) => [item.name, item]))('%s', async (_, item) => {
    const { report, output } = await rebuilt(await corpus[item.name](), 'application/pdf');
    expect(report.detectedType).toBe('pdf');
    for (const [kind] of item.expect)
      expect(report.removed.map((r: { kind: string }) => r.kind)).toContain(kind);
    expect(await outputProblems(output)).toEqual([]);
  });
});

describe('images', () => {
  it('a JPEG with GPS EXIF and a ZIP appended (polyglot): pixels only', async () => {
    const { report, output } = await rebuilt(exifGpsZipJpeg(), 'image/jpeg');
    expect(report.removed.map((r: { kind: string }) => r.kind)).toEqual(
      expect.arrayContaining(['exif', 'gps', 'trailing-data']),
    );
    const { markers, trailing } = jpegMarkers(output);
    expect(markers.filter((m) => m >= 0xe1 && m <= 0xef)).toEqual([]); // no APP1–APP15
    expect(trailing).toBe(0);
    expect(latin1(output)).not.toContain('PK\x03\x04');
    expect(latin1(output)).not.toMatch(/Exif|GPS/);
  });

  it('PNG decompression bombs are refused before they are decoded', async () => {
    expect(await refused(pngBombHugeHeader())).toMatchObject({
      reason: 'too-many-pixels',
      detectedType: 'png',
    });
    expect(await refused(pngBombIdat())).toMatchObject({ reason: 'compression-ratio', detectedType: 'png' });
  });

  it('a PNG comes back as a PNG with image chunks only', async () => {
    const { output } = await rebuilt(rgbPng(8, 8, () => [10, 20, 30]));
    expect(pngChunks(output).types.filter((t) => /tEXt|zTXt|iTXt|iCCP|eXIf/.test(t))).toEqual([]);
  });
});

describe('refused by type', () => {
  it('an SVG with a script', async () => {
    const svg = text(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("//evil.example")</script></svg>',
    );
    expect(await refused(svg)).toMatchObject({ reason: 'type-not-allowed', detectedType: 'svg' });
  });

  it('a nested zip bomb', async () => {
    expect(await refused(nestedBomb(4, 16))).toMatchObject({ type: '/problems/file-refused' });
  });

  it('a file whose name and content type lie: a program sent as 申請書.pdf', async () => {
    const program = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, ...text('%PDF-1.7 this is no PDF')]);
    const response = await upload(zones, resident, program, 'application/pdf');
    expect(response.json()).toMatchObject({ reason: 'type-not-allowed', detectedType: 'executable' });
  });
});

describe('Office documents: rebuilt from an allow-list', () => {
  it('a DOCM with macros becomes a DOCX without them', async () => {
    const { report, output } = await rebuilt(docmWithMacros());
    expect(report.detectedType).toBe('docm');
    expect(report.output.mediaType).toMatch(/wordprocessingml\.document$/);
    const pkg = inspectPackage(output);
    expect(pkg.names.join()).not.toMatch(/vbaProject|vbaData/i);
    expect(pkg.text('word/document.xml')).toContain(PARAGRAPH);
  });

  it('a DOCX with a remote template loses the external relationship', async () => {
    const { report, output } = await rebuilt(docxWithRemoteTemplate());
    expect(report.removed).toContainEqual(expect.objectContaining({ kind: 'external-relationship' }));
    expect(inspectPackage(output).allXml).not.toMatch(/TargetMode|evil\.example|attachedTemplate/);
  });

  it('an XLSX with DDE loses the DDE formulas and links, keeping cached values', async () => {
    const { report, output } = await rebuilt(xlsxWithDde());
    expect(report.removed.map((r: { kind: string }) => r.kind)).toContain('dde');
    const xml = inspectPackage(output).allXml;
    expect(xml).not.toMatch(/cmd\||MSEXCEL|ddeLink|RTD\(|externalLink/);
    expect(xml).toContain('計算');
  });
});

describe('CSV', () => {
  it('formula injection is neutralised', async () => {
    const { report, output } = await rebuilt(
      text('氏名,メモ\r\n山田,"=HYPERLINK(""http://evil.example"",""x"")"\r\n佐藤,@SUM(A1)\r\n'),
    );
    expect(report.removed).toContainEqual({ kind: 'formula', count: 2 });
    const rows = parse(Buffer.from(output).toString('utf8')) as string[][];
    expect(rows.slice(1).map((row) => row[1]![0])).toEqual(["'", "'"]);
  });

  it('Shift_JIS comes out as UTF-8', async () => {
    // 「氏名,住所\r\n山田,千代田区\r\n」 in Shift_JIS.
    const sjis = Buffer.from('8e8196bc2c8f5a8f8a0d0a8e5293632c90e791e393638be60d0a', 'hex');
    const { report, output } = await rebuilt(new Uint8Array(sjis));
    expect(report.detectedType).toBe('csv');
    expect(Buffer.from(output).toString('utf8')).toBe('氏名,住所\r\n山田,千代田区\r\n');
  });
});

describe('the zone meanwhile', () => {
  it('answered every health check while the corpus was sanitized', () => {
    expect(health.length).toBeGreaterThan(5);
    expect(health.every((check) => check.status === 200)).toBe(true);
  });
});
