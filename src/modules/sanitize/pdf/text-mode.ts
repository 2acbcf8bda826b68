/** Text mode: the original's text only, page by page, as UTF-8 plain text (pages split by form feeds). */
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { Refusal } from '../types.ts';

export async function extractText(doc: PDFDocumentProxy): Promise<Uint8Array> {
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    let content: Awaited<ReturnType<typeof page.getTextContent>>;
    try {
      content = await page.getTextContent();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Refusal('malformed', `The text of page ${n} could not be read (${detail.slice(0, 200)}).`);
    }
    let text = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      text += item.str;
      if (item.hasEOL) text += '\n';
    }
    // Control characters other than tab and newline mean nothing in plain text and can upset viewers.
    pages.push(`${stripControls(text).trimEnd()}\n`);
    page.cleanup();
  }
  return new TextEncoder().encode(pages.join('\f'));
}

/** Drops C0 controls except tab and newline, and DEL (form feed included: it separates pages). */
function stripControls(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) continue;
    out += ch;
  }
  return out;
}
