import qrcode from 'qrcode-generator';
import { html, type SafeHtml } from '../../../core/index.ts';

/** Four modules of light margin all round: the quiet zone ISO/IEC 18004 asks readers to have. */
const QUIET_ZONE = 4;

/**
 * A QR code (ISO/IEC 18004, error correction M) as inline SVG: one path of dark modules on a
 * white square, drawn crisp at any size, so a phone's camera can read it off a tablet. Inline
 * SVG needs no script or data URL, so the page keeps its strict CSP. `label` is what a screen
 * reader says instead of the picture. Text of any script is encoded as UTF-8.
 */
export function qrSvg(text: string, label: string): SafeHtml {
  const code = qrcode(0, 'M');
  // Byte mode in UTF-8 (an EMV code's name in Japanese is UTF-8): the library takes each
  // character's low byte, so it is handed the UTF-8 bytes one character each.
  code.addData(Buffer.from(text, 'utf8').toString('latin1'), 'Byte');
  code.make();
  const count = code.getModuleCount();
  const size = count + 2 * QUIET_ZONE;
  const squares: string[] = [];
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (code.isDark(row, col)) squares.push(`M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`);
    }
  }
  return html`<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${label}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${squares.join('')}"/></svg>`;
}
