/**
 * The PDF sanitizer (無害化). Two modes:
 * - 'rebuild': each page re-drawn as an image with an invisible text layer, in a brand-new PDF;
 * - 'text': the text alone, as UTF-8.
 * Either way the report lists the active and hidden content the original held (none of which can
 * survive: the output is written from pixels and text, never from the original's objects).
 *
 * Encryption: a file that needs a password to open is refused. One with only an owner password
 * (anyone can open it; it merely asks readers to restrict printing/copying) is opened like any
 * other; the rebuilt file carries no encryption or restrictions, and a warning says so.
 */
import { isRefusal, type PdfMode, type Rebuilt, Refusal, type SanitizeLimits } from '../types.ts';
import { Findings } from './findings.ts';
import { inspectObjects } from './inspect-objects.ts';
import { openPdf } from './pdfjs.ts';
import { rebuild } from './rebuild.ts';
import { inspectStructure } from './structure.ts';
import { extractText } from './text-mode.ts';

export { renderScale, TARGET_DPI } from './rebuild.ts';

export interface PdfOptions {
  readonly limits: SanitizeLimits;
  readonly mode: PdfMode;
}

export async function sanitizePdf(input: Uint8Array, options: PdfOptions): Promise<Rebuilt> {
  const { limits, mode } = options;
  if (input.byteLength > limits.maxBytes) {
    throw new Refusal('too-large', `The PDF is ${input.byteLength} bytes; the limit is ${limits.maxBytes}.`);
  }
  const structure = inspectStructure(input);
  if (!structure.isPdf) throw new Refusal('malformed', 'The file is not a PDF (no %PDF- header).');
  if (structure.eofMarkers === 0) {
    throw new Refusal('malformed', 'The PDF is truncated (it has no end-of-file marker).');
  }

  const { pdfjs, doc } = await openPdf(input, limits.maxPixels);
  try {
    if (doc.numPages > limits.maxPages) {
      throw new Refusal(
        'too-many-pages',
        `The PDF has ${doc.numPages} pages; the limit is ${limits.maxPages}.`,
      );
    }
    const warnings: string[] = [];
    const findings = new Findings();
    if (!(await inspectObjects(input, findings))) {
      warnings.push('The list of active content is incomplete: the PDF objects could not all be read.');
    }
    if (structure.incrementalUpdates > 0)
      findings.add('incremental-update', undefined, structure.incrementalUpdates);
    if (structure.brokenXref) findings.add('broken-xref', structure.brokenXref);
    if (
      /\/Encrypt\b/.test(Buffer.from(input.subarray(Math.max(0, input.length - 65536))).toString('latin1'))
    ) {
      warnings.push('The PDF was encrypted with an owner password only; its use restrictions are not kept.');
    }
    const removed = findings.toRemoved();

    if (mode === 'text') {
      const output = await extractText(doc);
      return {
        output,
        mediaType: 'text/plain; charset=utf-8',
        actions: [
          `extracted the text of ${doc.numPages} pages`,
          'dropped everything else (layout, images, active content)',
        ],
        removed,
        warnings,
        pages: doc.numPages,
      };
    }

    const result = await rebuild(pdfjs, doc, limits);
    const k = result.kinds;
    const actions = [
      `rendered ${result.pages} pages at ${result.minDpi < 150 ? `${result.minDpi}–150` : '150'} dpi ` +
        `(${k.jpeg} as JPEG, ${k.grey} as lossless grey, ${k.palette} as lossless palette)`,
      'rebuilt the PDF from the page images with an invisible, searchable text layer',
      'nothing of the original object structure was copied: scripts, actions, links, attachments, forms, ' +
        'metadata, signatures and earlier revisions are absent by construction',
    ];
    if (result.minDpi < 150)
      warnings.push(`Some pages were rendered at ${result.minDpi} dpi to stay within the pixel limit.`);
    return {
      output: result.output,
      mediaType: 'application/pdf',
      actions,
      removed,
      warnings,
      pages: result.pages,
    };
  } catch (error) {
    if (isRefusal(error)) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new Refusal('malformed', `The PDF could not be processed (${detail.slice(0, 200)}).`);
  } finally {
    await doc.loadingTask.destroy().catch(() => undefined);
  }
}
