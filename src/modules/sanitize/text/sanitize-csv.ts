import { decodeText } from '../detect/decode-text.ts';
import { delimiterOf } from '../detect/looks-like-csv.ts';
import { type Rebuilt, Refusal, type SanitizeLimits } from '../types.ts';
import { cleanText, encodingAction } from './clean-text.ts';
import { rewriteCsv } from './rewrite-csv.ts';

/**
 * CSV (or TSV): decoded, cleaned, every cell checked for formula injection, and written again
 * as UTF-8 with CRLF record ends and only the quoting it needs, so nothing of the original's
 * byte layout is carried over.
 */
export function sanitizeCsv(input: Uint8Array, limits: SanitizeLimits): Rebuilt {
  const decoded = decodeText(input);
  if (!decoded) {
    throw new Refusal('encoding-unknown', 'The CSV is neither UTF-8, UTF-16 nor Shift_JIS (CP932).');
  }
  const { text, removed } = cleanText(decoded, limits);
  const delimiter = delimiterOf(text) ?? ',';
  const { output, records, formulas } = rewriteCsv(text, delimiter);
  return {
    output,
    mediaType: delimiter === '\t' ? 'text/tab-separated-values; charset=utf-8' : 'text/csv; charset=utf-8',
    actions: [
      encodingAction(decoded),
      ...(formulas > 0
        ? [`prefixed ${formulas} cell(s) that a spreadsheet would run as formulas with '`]
        : []),
      `wrote ${records} record(s) as UTF-8 CSV with CRLF record ends`,
    ],
    removed: formulas > 0 ? [...removed, { kind: 'formula', count: formulas }] : removed,
    warnings: [],
  };
}
