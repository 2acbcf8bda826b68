/** Test support: independent checks on a sanitizer's output PDF. */
import { inflateSync } from 'node:zlib';
import { Findings } from './findings.ts';
import { inspectObjects } from './inspect-objects.ts';
import { openPdf } from './pdfjs.ts';
import { inspectStructure } from './structure.ts';
import { asLatin1 } from './test-pdf-writer.ts';

const ACTIVE =
  /\/(JS|JavaScript|OpenAction|AA|Launch|URI|EmbeddedFiles?|XFA|AcroForm|SubmitForm|GoToR|RichMedia|Annots)\b/;

/** Every stream inflated (where it is Flate) and appended to the raw bytes, as one latin1 string. */
export function decodedText(pdf: Uint8Array): string {
  const raw = asLatin1(pdf);
  let all = raw;
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      all += inflateSync(pdf.subarray(start, end), { finishFlush: 2 }).toString('latin1');
    } catch {
      // images in DCT and the like: not Flate
    }
  }
  return all;
}

/** What a re-parse of the output finds: active-content tokens, report kinds, revisions. */
export async function outputProblems(pdf: Uint8Array): Promise<string[]> {
  const problems: string[] = [];
  const token = ACTIVE.exec(decodedText(pdf));
  if (token) problems.push(`token ${token[0]}`);
  const findings = new Findings();
  if (!(await inspectObjects(pdf, findings))) problems.push('pdf-lib cannot parse the output');
  for (const r of findings.toRemoved()) problems.push(`report kind ${r.kind}`);
  const s = inspectStructure(pdf);
  if (s.eofMarkers !== 1 || s.xrefSections !== 1 || s.brokenXref)
    problems.push(`structure ${JSON.stringify(s)}`);
  return problems;
}

/** The text pdf.js extracts from each page. */
export async function pageTexts(pdf: Uint8Array): Promise<string[]> {
  const { doc } = await openPdf(pdf, 50_000_000);
  try {
    const out: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      out.push(content.items.map((i) => ('str' in i ? i.str : '')).join(''));
    }
    return out;
  } finally {
    await doc.loadingTask.destroy();
  }
}
