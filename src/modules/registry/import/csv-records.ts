/**
 * A streaming RFC 4180 reader that knows the physical line each record starts on and
 * recovers after a bad record, so that one broken line costs one line, not the rest of the
 * file. (csv-parse's skip_records_with_error swallows the good line after a stray quote, and
 * reports where a record ends, not where it starts.)
 *
 * Records without a quote — nearly all of them — take a fast path: one indexOf and a split.
 */
export type CsvRecord =
  | { readonly line: number; readonly fields: string[]; readonly error?: undefined }
  | { readonly line: number; readonly fields?: undefined; readonly error: string };

/** A record longer than this is refused; it also bounds what an unclosed quote can hold back. */
const MAX_RECORD_CHARS = 64 * 1024;
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

type Quoted =
  | { kind: 'ok'; fields: string[]; next: number }
  | { kind: 'more' }
  | { kind: 'unterminated' }
  | { kind: 'error'; error: string; at: number };

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Parses one record that contains a quote, starting at `pos`. */
function parseQuotedRecord(text: string, pos: number, final: boolean): Quoted {
  const n = text.length;
  const fields: string[] = [];
  let i = pos;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const k = text.indexOf('"', j);
        if (k === -1) return final ? { kind: 'unterminated' } : { kind: 'more' };
        value += text.slice(j, k);
        if (k + 1 >= n && !final) return { kind: 'more' };
        if (text.charCodeAt(k + 1) === QUOTE) {
          value += '"';
          j = k + 2;
          continue;
        }
        i = k + 1;
        break;
      }
      fields.push(value);
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === LF) return { kind: 'ok', fields, next: i + 1 };
      if (c === CR && text.charCodeAt(i + 1) === LF) return { kind: 'ok', fields, next: i + 2 };
      if (i >= n || (c === CR && i + 1 >= n))
        return final ? { kind: 'ok', fields, next: n } : { kind: 'more' };
      return {
        kind: 'error',
        error: `column ${fields.length}: a closing quote must be followed by a comma or the end of the line`,
        at: i,
      };
    }
    let k = i;
    let c = 0;
    while (k < n) {
      c = text.charCodeAt(k);
      if (c === COMMA || c === LF) break;
      if (c === QUOTE) {
        return {
          kind: 'error',
          error: `column ${fields.length + 1}: a quote inside an unquoted field`,
          at: k,
        };
      }
      k++;
    }
    if (k >= n && !final) return { kind: 'more' };
    if (k >= n || c === LF) {
      const end = k > i && text.charCodeAt(k - 1) === CR ? k - 1 : k;
      fields.push(text.slice(i, end));
      return { kind: 'ok', fields, next: k + 1 };
    }
    fields.push(text.slice(i, k));
    i = k + 1;
  }
}

/** Parser state carried from one chunk of text to the next. */
class CsvState {
  rest = '';
  line = 1;
  /** Drop text up to the next newline (after a line too long to keep). */
  discarding = false;

  parse(input: string, final: boolean, out: CsvRecord[]): void {
    let text = this.rest + input;
    let pos = 0;
    if (this.discarding) {
      const nl = text.indexOf('\n');
      if (nl === -1) {
        this.rest = '';
        return;
      }
      this.discarding = false;
      this.line++;
      pos = nl + 1;
    }
    const n = text.length;
    // Cached: searching for the next quote from every line would be quadratic in the chunk size.
    let quote = text.indexOf('"', pos);
    while (pos < n) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1 && !final) {
        if (n - pos > MAX_RECORD_CHARS) {
          out.push({ line: this.line, error: `the line is longer than ${MAX_RECORD_CHARS} characters` });
          this.discarding = true;
          pos = n;
        }
        break;
      }
      const end = nl === -1 ? n : nl;
      if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
      if (quote === -1 || quote >= end) {
        const last = end > pos && text.charCodeAt(end - 1) === CR ? end - 1 : end;
        if (last > pos) out.push({ line: this.line, fields: text.slice(pos, last).split(',') });
        this.line++;
        pos = end + 1;
        continue;
      }
      const record = parseQuotedRecord(text, pos, final);
      if (record.kind === 'ok') {
        out.push({ line: this.line, fields: record.fields });
        this.line += countNewlines(text, pos, record.next - 1) + 1;
        pos = record.next;
        continue;
      }
      if (record.kind === 'more' && n - pos <= MAX_RECORD_CHARS) break;
      if (record.kind === 'error') {
        // Resume on the line after the error; a record that began earlier is lost with it.
        out.push({ line: this.line, error: record.error });
        const skipTo = text.indexOf('\n', record.at);
        this.line += countNewlines(text, pos, record.at) + 1;
        if (skipTo === -1) {
          this.discarding = !final;
          pos = n;
        } else pos = skipTo + 1;
        continue;
      }
      // Unterminated (at the end, or holding back more than a record may be): resume on the
      // next physical line, so the rows after a stray opening quote are still read.
      out.push({ line: this.line, error: 'a quoted field is not closed' });
      this.line++;
      pos = end + 1;
    }
    this.rest = pos < n ? text.slice(pos) : '';
    text = '';
  }
}

/**
 * Reads CSV records from a byte (or text) stream, yielding them in batches, one batch per
 * chunk read. Invalid UTF-8 becomes U+FFFD, which the row validation refuses.
 */
export type CsvSource = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

export async function* readCsvRecords(source: CsvSource) {
  const decoder = new TextDecoder('utf-8');
  const state = new CsvState();
  let started = false;
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (!started && text.length > 0) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: CsvRecord[] = [];
    state.parse(text, false, out);
    if (out.length > 0) yield out;
  }
  const out: CsvRecord[] = [];
  state.parse(decoder.decode(), true, out);
  if (out.length > 0) yield out;
}
