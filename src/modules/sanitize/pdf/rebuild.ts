/**
 * Rebuild mode: every page is rendered by pdf.js to pixels and a new PDF is written from those
 * pixels plus an invisible text layer. Nothing of the original's object graph is copied, so its
 * scripts, actions, attachments, forms, metadata and earlier revisions cannot reach the output.
 *
 * Two canvases alternate: while one page's pixels are being compressed (JPEG by the canvas library,
 * Flate by zlib, both off the main thread) the next page renders on the other canvas.
 */
import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { PDFDocument, PDFHexString, PDFName, type PDFRef } from 'pdf-lib';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { Refusal, type SanitizeLimits } from '../types.ts';
import { encodePage, JPEG_QUALITY, type PageImage } from './page-image.ts';
import type { PdfJs } from './pdfjs.ts';
import { TextLayerFont, type TextRun } from './text-layer.ts';

export const TARGET_DPI = 150;
/** Below this a page is unreadable: such a page is refused rather than shrunk further. */
const MIN_DPI = 30;
/** Skia's practical side limit. */
const MAX_SIDE = 16_384;

interface Slot {
  canvas: Canvas;
  ctx: SKRSContext2D;
  busy?: Promise<void>;
}

export interface RebuildResult {
  readonly output: Uint8Array;
  readonly pages: number;
  readonly minDpi: number;
  readonly kinds: Record<PageImage['kind'], number>;
}

/** The render scale for a page of `w`×`h` points: 150 dpi, less if the pixel limit demands it. */
export function renderScale(w: number, h: number, maxPixels: number): number {
  let scale = TARGET_DPI / 72;
  const pixels = w * scale * h * scale;
  if (pixels > maxPixels) scale *= Math.sqrt(maxPixels / pixels);
  scale = Math.min(scale, MAX_SIDE / Math.max(w, h, 1));
  if (scale * 72 < MIN_DPI) {
    throw new Refusal(
      'too-many-pixels',
      `A page (${Math.round(w)}×${Math.round(h)} pt) is too large to render.`,
    );
  }
  return scale;
}

export async function rebuild(
  pdfjs: PdfJs,
  doc: PDFDocumentProxy,
  limits: SanitizeLimits,
): Promise<RebuildResult> {
  const out = await PDFDocument.create({ updateMetadata: false });
  const font = new TextLayerFont(out.context);
  const slots: Slot[] = [0, 1].map(() => {
    const canvas = createCanvas(1, 1);
    return { canvas, ctx: canvas.getContext('2d') };
  });
  type Entry = { image?: PageImage; size: [number, number]; text: string };
  const pages: Entry[] = [];
  const kinds = { jpeg: 0, grey: 0, palette: 0 };
  let minDpi = TARGET_DPI;

  for (let n = 1; n <= doc.numPages; n++) {
    const slot = slots[n % 2]!;
    await slot.busy; // this canvas's previous page must be fully encoded first
    const page = await doc.getPage(n);
    const base = page.getViewport({ scale: 1 });
    const scale = renderScale(base.width, base.height, limits.maxPixels);
    minDpi = Math.min(minDpi, Math.round(scale * 72));
    const viewport = page.getViewport({ scale });
    const width = Math.max(1, Math.ceil(viewport.width));
    const height = Math.max(1, Math.ceil(viewport.height));
    if (slot.canvas.width !== width || slot.canvas.height !== height) {
      slot.canvas.width = width;
      slot.canvas.height = height;
    }
    await renderPage(pdfjs, page, slot, viewport);
    const entry: Entry = { size: [base.width, base.height], text: await textOperators(page, base, font) };
    pages.push(entry);
    const rgba = slot.canvas.data();
    const { canvas } = slot;
    slot.busy = encodePage(rgba, width, height, () => canvas.encode('jpeg', JPEG_QUALITY)).then((image) => {
      entry.image = image;
      kinds[image.kind]++;
    });
    page.cleanup();
  }
  await Promise.all(slots.map((s) => s.busy));

  for (const { image, size, text } of pages) addPage(out, image!, size, text, font);
  font.finish();
  const output = await out.save({ useObjectStreams: false, addDefaultPage: false });
  return { output, pages: pages.length, minDpi, kinds };
}

async function renderPage(
  pdfjs: PdfJs,
  page: PDFPageProxy,
  slot: Slot,
  viewport: ReturnType<PDFPageProxy['getViewport']>,
): Promise<void> {
  try {
    await page.render({
      canvas: slot.canvas as unknown as HTMLCanvasElement,
      canvasContext: slot.ctx as unknown as CanvasRenderingContext2D,
      viewport,
      intent: 'display',
      // Draw annotation appearances (stamps, filled-in form fields) into the picture: that is what
      // the reader saw; the annotations themselves, and any actions on them, are not carried over.
      annotationMode: pdfjs.AnnotationMode.ENABLE,
    }).promise;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Refusal(
      'malformed',
      `Page ${page.pageNumber} could not be rendered (${detail.slice(0, 200)}).`,
    );
  }
}

/** The page's text, as invisible-text operators placed on the new page (whose origin is bottom-left). */
async function textOperators(
  page: PDFPageProxy,
  base: ReturnType<PDFPageProxy['getViewport']>,
  font: TextLayerFont,
): Promise<string> {
  const content = await page.getTextContent();
  const vertical = new Set(
    Object.entries(content.styles)
      .filter(([, s]) => s.vertical)
      .map(([k]) => k),
  );
  const runs: TextRun[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str === '') continue;
    runs.push({
      str: item.str,
      transform: item.transform as number[],
      width: item.width,
      height: item.height,
      vertical: vertical.has(item.fontName),
    });
  }
  const [a, b, c, d, e, f] = base.transform as [number, number, number, number, number, number];
  // viewport.transform maps user space to y-down device space; flip it back to PDF's y-up.
  const toPage = [a, -b, c, -d, e, base.height - f] as const;
  return font.operators(runs, toPage);
}

function addPage(
  out: PDFDocument,
  image: PageImage,
  [w, h]: [number, number],
  text: string,
  font: TextLayerFont,
): void {
  const ctx = out.context;
  const colorSpace =
    image.kind === 'grey'
      ? 'DeviceGray'
      : image.kind === 'palette'
        ? [
            PDFName.of('Indexed'),
            PDFName.of('DeviceRGB'),
            image.palette!.length / 3 - 1,
            PDFHexString.of(Buffer.from(image.palette!).toString('hex')),
          ]
        : 'DeviceRGB';
  const imageRef = ctx.register(
    ctx.stream(image.data, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: image.width,
      Height: image.height,
      BitsPerComponent: image.bitsPerComponent,
      ColorSpace: colorSpace,
      Filter: image.filter,
    }),
  );
  const page = out.addPage([w, h]);
  const fonts: Record<string, PDFRef> = text ? { Fh: font.horizontal, Fv: font.vertical } : {};
  page.node.set(PDFName.of('Resources'), ctx.obj({ XObject: { Im0: imageRef }, Font: fonts }));
  const content = `q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q\n${text}`;
  page.node.set(PDFName.of('Contents'), ctx.register(ctx.flateStream(content)));
}
