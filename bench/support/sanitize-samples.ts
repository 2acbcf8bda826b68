// Sample files for `npm run bench sanitize`, made here (nothing downloaded): text pages as a
// word processor writes them, scanned pages as a scanner does (one JPEG per page), and
// 12-megapixel photos as a phone takes them.
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const A4 = { width: 595.28, height: 841.89 };
const LINE = 'Application for child allowance - applicant, household, bank account, signature. ';

/** A PDF of `pages` A4 pages of 11 pt text, 50 lines each. */
export async function textPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = pdf.addPage([A4.width, A4.height]);
    for (let line = 0; line < 50; line++) {
      page.drawText(`${p + 1}.${line + 1} ${LINE}`.slice(0, 95), {
        x: 50,
        y: 790 - line * 14.5,
        size: 11,
        font,
      });
    }
  }
  return pdf.save();
}

/** Speckled paper with dark "text" bars: what a 200 dpi grey scan of a form compresses like. */
function scanCanvas(width: number, height: number, seed: number) {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  const image = context.createImageData(width, height);
  let state = seed;
  for (let i = 0; i < image.data.length; i += 4) {
    state = (state * 1103515245 + 12345) >>> 0;
    const y = Math.floor(i / 4 / width);
    const x = (i / 4) % width;
    const ink = y % 48 < 22 && x > 120 && x < width - 120 && (x >> 5) % 7 !== 0;
    const value = ink ? 40 + (state & 31) : 235 + (state & 15);
    image.data[i] = value;
    image.data[i + 1] = value;
    image.data[i + 2] = value;
    image.data[i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

/** A PDF of `pages` scanned A4 pages (200 dpi JPEG, as office scanners send them). */
export async function scanPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const width = Math.round((A4.width / 72) * 200);
  const height = Math.round((A4.height / 72) * 200);
  for (let p = 0; p < pages; p++) {
    const jpeg = await pdf.embedJpg(scanCanvas(width, height, p + 1).encodeSync('jpeg', 75));
    pdf.addPage([A4.width, A4.height]).drawImage(jpeg, { x: 0, y: 0, width: A4.width, height: A4.height });
  }
  return pdf.save();
}

/** A 4000 × 3000 photo-like JPEG (smooth gradients with sensor noise), quality 92. */
export function photoJpeg(seed: number): Uint8Array {
  const width = 4000;
  const height = 3000;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, `hsl(${(seed * 47) % 360}, 60%, 70%)`);
  gradient.addColorStop(1, `hsl(${(seed * 47 + 120) % 360}, 50%, 30%)`);
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  const noise = context.getImageData(0, 0, width, height);
  let state = seed;
  for (let i = 0; i < noise.data.length; i += 4) {
    state = (state * 1103515245 + 12345) >>> 0;
    const delta = (state & 15) - 8;
    noise.data[i] = noise.data[i]! + delta;
    noise.data[i + 1] = noise.data[i + 1]! + delta;
    noise.data[i + 2] = noise.data[i + 2]! + delta;
  }
  context.putImageData(noise, 0, 0);
  return canvas.encodeSync('jpeg', 92);
}
