import { spreadsheetCsv } from '../../../core/index.ts';

/** One merchant's line of a settlement run: paid (`skipped` null), or skipped and why. */
export interface SettlementLine {
  readonly merchantId: string;
  readonly name: string;
  /** Points the merchant held; fee and payout are 0 when it was skipped. */
  readonly received: number;
  readonly fee: number;
  readonly payout: number;
  readonly skipped: string | null;
}

const HEADER = ['merchant', 'name', 'received', 'fee', 'payout', 'status'] as const;
const SKIPPED = 'skipped: ';

/**
 * The run's CSV report for people (UTF-8 with BOM, spreadsheetCsv). One function writes it
 * wherever it is made — by the run in the internet zone, and again in lgwan from the lines
 * the answer carried — so both copies are the same bytes.
 */
export function settlementReportCsv(lines: readonly SettlementLine[]): string {
  return spreadsheetCsv(
    HEADER,
    lines.map((line) => [
      line.merchantId,
      line.name,
      line.received,
      line.fee,
      line.payout,
      line.skipped === null ? 'paid' : `${SKIPPED}${line.skipped}`,
    ]),
  );
}

/** The cells of a CSV that spreadsheetCsv wrote (RFC 4180 quoting, CRLF, a BOM first). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let at = 0; at < body.length; at += 1) {
    const c = body[at]!;
    if (quoted) {
      if (c === '"' && body[at + 1] === '"') {
        cell += '"';
        at += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && body[at + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      at += 1;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** spreadsheetCsv puts an apostrophe before text a spreadsheet would run as a formula; this takes it off. */
const text = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/**
 * Reads a stored report back into its lines (the internet zone sends them to lgwan as data,
 * never the file). Throws on anything settlementReportCsv would not have written.
 */
export function readSettlementReport(csv: string): SettlementLine[] {
  const [header, ...rows] = csvRows(csv);
  if (header?.join(',') !== HEADER.join(',')) throw new Error('Not a settlement report.');
  return rows.map((cells, index) => {
    const [merchantId, name, received, fee, payout, status] = cells;
    const numbers = [received, fee, payout].map(Number);
    if (cells.length !== HEADER.length || numbers.some((n) => !Number.isSafeInteger(n))) {
      throw new Error(`Line ${index + 2} of the settlement report cannot be read.`);
    }
    const state = status ?? '';
    if (state !== 'paid' && !state.startsWith(SKIPPED)) {
      throw new Error(`Line ${index + 2} of the settlement report has an unknown status.`);
    }
    return {
      merchantId: text(merchantId ?? ''),
      name: text(name ?? ''),
      received: numbers[0]!,
      fee: numbers[1]!,
      payout: numbers[2]!,
      skipped: state === 'paid' ? null : state.slice(SKIPPED.length),
    };
  });
}
