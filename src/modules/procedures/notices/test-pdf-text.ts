// Test support: the text pdf.js extracts from a PDF, page by page — what a reader's
// "select all, copy" or a search index gets. Loaded as src/modules/sanitize/pdf/pdfjs.ts
// loads it (that file is the sanitize module's own, so it is not imported from here).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('pdfjs-dist/package.json'));

/** pdfjs-dist 6 calls these Node 22 built-ins; Node 20 (the project's floor) lacks them. */
function polyfill(): void {
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const created = new Promise((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise: created, resolve, reject };
  };
  const proto = ArrayBuffer.prototype as unknown as { transferToFixedLength?: unknown };
  proto.transferToFixedLength ??= function (this: ArrayBuffer, length = this.byteLength) {
    const copy = new ArrayBuffer(length);
    new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
    return copy;
  };
}

let loading: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  loading ??= (async () => {
    polyfill();
    const pdfjs: PdfJs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const worker = (await import(pathToFileURL(join(packageDir, 'legacy/build/pdf.worker.mjs')).href)) as {
      WorkerMessageHandler: unknown;
    };
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = {
      WorkerMessageHandler: worker.WorkerMessageHandler,
    };
    return pdfjs;
  })();
  return loading;
}

/** Each page's text as pdf.js extracts it, the items joined without separators. */
export async function pageTexts(pdf: Uint8Array): Promise<string[]> {
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(pdf),
    verbosity: 0,
    useSystemFonts: false,
    disableFontFace: true,
    isOffscreenCanvasSupported: false,
    standardFontDataUrl: `${join(packageDir, 'standard_fonts')}/`,
  }).promise;
  try {
    const texts: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      texts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
    }
    return texts;
  } finally {
    await doc.loadingTask.destroy();
  }
}
