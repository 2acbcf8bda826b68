/**
 * Loads pdf.js for Node and opens a document with every network, script and system-font path shut.
 *
 * - In Node pdf.js runs its "worker" on the main thread (a fake worker); we hand it the worker module
 *   ourselves through `globalThis.pdfjsWorker` so nothing depends on pdf.js guessing a relative path.
 *   The sanitizer as a whole runs in its own worker process, so blocking this thread is fine.
 * - CMaps (needed for Japanese fonts that are not embedded), the standard fonts and the wasm decoders
 *   (JBIG2, JPEG 2000: common in scans) are read from the installed package's own folders.
 * - pdfjs-dist 6 has no `isEvalSupported` option any more: it never compiles PDF functions with eval.
 */
import './polyfills.ts';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { Refusal } from '../types.ts';

export type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('pdfjs-dist/package.json'));
const folder = (name: string): string => `${join(packageDir, name)}/`;

let loading: Promise<PdfJs> | undefined;

/** pdf.js, loaded once (after the Node 20 polyfills) with its worker code on this thread. */
export function loadPdfJs(): Promise<PdfJs> {
  loading ??= (async () => {
    const pdfjs: PdfJs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const workerUrl = pathToFileURL(join(packageDir, 'legacy/build/pdf.worker.mjs')).href;
    const worker = (await import(workerUrl)) as { WorkerMessageHandler: unknown };
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = {
      WorkerMessageHandler: worker.WorkerMessageHandler,
    };
    return pdfjs;
  })();
  return loading;
}

/** Opens `bytes` (copied: pdf.js may detach what it is given), mapping pdf.js's errors to refusals. */
export async function openPdf(
  bytes: Uint8Array,
  maxImagePixels: number,
): Promise<{ pdfjs: PdfJs; doc: PDFDocumentProxy }> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0, // errors only: pdf.js warnings about hostile files would flood the logs
    cMapUrl: folder('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: folder('standard_fonts'),
    wasmUrl: folder('wasm'),
    iccUrl: folder('iccs'),
    useSystemFonts: false,
    useWorkerFetch: false,
    disableFontFace: true,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    disableRange: true,
    disableStream: true,
    // pdf.js skips any embedded image larger than this instead of decoding it: a decompression-bomb guard.
    maxImageSize: maxImagePixels,
  });
  try {
    return { pdfjs, doc: await task.promise };
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw toRefusal(error);
  }
}

export function toRefusal(error: unknown): Refusal {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return new Refusal('encrypted', 'The PDF is protected by a password and cannot be opened.');
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new Refusal('malformed', `The PDF could not be read (${detail.slice(0, 200)}).`);
}
