import { Refusal } from '../types.ts';
import { neutralizeFormula } from './neutralize-formula.ts';

const QUOTE = 0x22;
const LF = 0x0a;

/** Collects output text and encodes it to UTF-8 in chunks, so no giant string is built. */
class Utf8Chunks {
  private readonly encoder = new TextEncoder();
  private readonly chunks: Uint8Array[] = [];
  private pending: string[] = [];
  private pendingLength = 0;

  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 1 << 20) this.flush();
  }

  private flush(): void {
    this.chunks.push(this.encoder.encode(this.pending.join('')));
    this.pending = [];
    this.pendingLength = 0;
  }

  bytes(): Uint8Array {
    this.flush();
    return Buffer.concat(this.chunks);
  }
}

function quoted(cell: string, delimiter: string): string {
  const needs = cell.includes('"') || cell.includes(delimiter) || cell.includes('\n') || cell.startsWith("'");
  return needs ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** The index of the next delimiter or LF at or after `from`, or the end. */
function fieldEnd(text: string, from: number, delimiter: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === delimiter || c === LF) return i;
    i++;
  }
  return i;
}

export interface RewrittenCsv {
  readonly output: Uint8Array;
  readonly records: number;
  readonly formulas: number;
}

/**
 * Reads RFC 4180 records from `text` (LF line ends) and writes them again, each cell checked
 * for formula injection and quoted only where it must be, records ended by CRLF (§2). Lenient
 * where spreadsheets are: a quote inside an unquoted field is text, and so is anything after
 * a closing quote up to the delimiter. An unclosed quote is refused, since where the field
 * ends would be a guess.
 */
export function rewriteCsv(text: string, delimiter: ',' | '\t'): RewrittenCsv {
  const out = new Utf8Chunks();
  const separator = delimiter.charCodeAt(0);
  let records = 0;
  let formulas = 0;
  let i = 0;
  while (i < text.length) {
    records++;
    for (let first = true; ; first = false) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        value = '';
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1)
            throw new Refusal('malformed', `Record ${records} has a quote that is never closed.`);
          value += text.slice(from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        const end = fieldEnd(text, i, separator);
        value += text.slice(i, end);
        i = end;
      } else {
        const end = fieldEnd(text, i, separator);
        value = text.slice(i, end);
        i = end;
      }
      const safe = neutralizeFormula(value);
      if (safe !== value) formulas++;
      if (!first) out.write(delimiter);
      out.write(quoted(safe, delimiter));
      if (text.charCodeAt(i) === separator) {
        i++;
        continue;
      }
      i++; // the LF, or past the end
      out.write('\r\n');
      break;
    }
  }
  return { output: out.bytes(), records, formulas };
}
