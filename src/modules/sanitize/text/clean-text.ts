import type { DecodedText } from '../detect/decode-text.ts';
import { Refusal, type Removed, type SanitizeLimits } from '../types.ts';

// Controls other than TAB, LF, CR; DEL; C1; and the bidi overrides that make text display
// differently from what it is (Trojan Source, CVE-2021-42574). Same set as the gateway's.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what we remove.
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export interface CleanText {
  /** The text with LF line ends, without a byte-order mark or unsafe characters. */
  readonly text: string;
  readonly removed: Removed[];
}

function checkLineLengths(text: string, limits: SanitizeLimits): void {
  let line = 1;
  for (let start = 0; start <= text.length; line++) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (stop - start > limits.maxLineLength) {
      throw new Refusal(
        'line-too-long',
        `Line ${line} has ${stop - start} characters; at most ${limits.maxLineLength} are accepted.`,
      );
    }
    if (end === -1) break;
    start = end + 1;
  }
}

/**
 * Normalises line ends to LF, drops the byte-order mark and unsafe characters, and refuses a
 * line longer than the limit: a reader downstream should not have to hold a megabyte-long
 * line, and cutting one silently would change the content. Works on the whole text at once
 * (a few copies of it, never an object per line), so a 50 MB file stays within a worker's memory.
 */
export function cleanText(decoded: DecodedText, limits: SanitizeLimits): CleanText {
  const withoutBom = decoded.text.startsWith('\uFEFF') ? decoded.text.slice(1) : decoded.text;
  const text = withoutBom.replace(/\r\n?/g, '\n');
  checkLineLengths(text, limits);
  let unsafe = 0;
  const clean = text.replace(UNSAFE, () => {
    unsafe++;
    return '';
  });
  return { text: clean, removed: unsafe > 0 ? [{ kind: 'control-character', count: unsafe }] : [] };
}

export function encodingAction(decoded: DecodedText): string {
  return decoded.encoding === 'utf-8'
    ? 'checked the text is valid UTF-8'
    : `converted the text from ${decoded.encoding.toUpperCase()} to UTF-8`;
}
