/**
 * Whether text is a table (RFC 4180 CSV, or tab-separated): most non-empty lines of the
 * first hundred split into the same number (> 1) of fields. Quoted fields may hold the
 * delimiter and line breaks. Plain prose with a comma or two is not a table.
 */
export function looksLikeCsv(text: string): boolean {
  return delimiterOf(text) !== undefined;
}

/** The table's delimiter, or undefined when the text is not a table. */
export function delimiterOf(text: string): ',' | '\t' | undefined {
  const sample = text.slice(0, 64 * 1024);
  for (const delimiter of [',', '\t'] as const) {
    const counts = fieldCounts(sample, delimiter, 100);
    if (counts.length === 0) continue;
    const tally = new Map<number, number>();
    for (const count of counts) tally.set(count, (tally.get(count) ?? 0) + 1);
    const [fields, lines] = [...tally.entries()].sort((a, b) => b[1] - a[1])[0]!;
    if (fields > 1 && lines >= Math.ceil(counts.length * 0.8)) return delimiter;
  }
  return undefined;
}

function fieldCounts(text: string, delimiter: string, maxLines: number): number[] {
  const counts: number[] = [];
  let fields = 1;
  let quoted = false;
  let empty = true;
  for (let i = 0; i < text.length && counts.length < maxLines; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (c === '"') {
      quoted = true;
      empty = false;
    } else if (c === delimiter) {
      fields++;
      empty = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (!empty) counts.push(fields);
      fields = 1;
      empty = true;
    } else if (c !== ' ') {
      empty = false;
    }
  }
  if (!empty && counts.length < maxLines) counts.push(fields);
  return counts;
}
