import { MachiError, toHalfWidthAscii, toHalfwidthKatakana } from '../../../core/index.ts';

/**
 * The Zengin bulk-transfer file (全銀協規定 総合振込, 種別コード 21): fixed records of exactly
 * 120 bytes — one header (1), a data record (2) per payee, a trailer (8) with the count and
 * total, an end record (9) — in JIS X 0201: digits, upper-case Latin letters, a few symbols
 * and half-width katakana, one byte each (Shift_JIS 0x20–0x7E and 0xA1–0xDF). Records are
 * separated by CR LF, as banks' transfer software expects from a file.
 */

export interface ZenginRequester {
  /** 振込依頼人コード, 10 digits, given by the bank. */
  readonly requesterCode: string;
  /** 振込依頼人名, kana (e.g. ﾁﾖﾀﾞｸ). */
  readonly requesterName: string;
  /** 取組日: the day the transfers are to be made, 'YYYY-MM-DD'. */
  readonly transferDate: string;
  readonly bankCode: string;
  readonly bankName: string;
  readonly branchCode: string;
  readonly branchName: string;
  /** 1 普通, 2 当座. */
  readonly accountType: '1' | '2';
  readonly accountNumber: string;
}

export interface ZenginTransfer {
  readonly bankCode: string;
  readonly bankName?: string;
  readonly branchCode: string;
  readonly branchName?: string;
  readonly accountType: '1' | '2' | '4';
  readonly accountNumber: string;
  /** 受取人名, kana. */
  readonly payeeName: string;
  /** Yen, 1 to 9,999,999,999. */
  readonly amount: number;
  /** 顧客コード1: ours, e.g. the merchant id (digits and letters). */
  readonly customerCode?: string;
}

export const ZENGIN_RECORD_BYTES = 120;
/** 受取人名: the most characters a data record carries (a merchant's account holder is checked against it when kept). */
export const ZENGIN_PAYEE_NAME_WIDTH = 30;

const invalid = (detail: string) => new MachiError('validation-failed', detail);

/**
 * Zengin's character set: 0–9, A–Z, space, ( ) - . / , 「 」 ¥ and the half-width katakana
 * (large ones; banks fold small ｧｨｩｪｫｬｭｮｯ into large, so we do too).
 */
const SMALL_TO_LARGE: Record<string, string> = {
  ｧ: 'ｱ',
  ｨ: 'ｲ',
  ｩ: 'ｳ',
  ｪ: 'ｴ',
  ｫ: 'ｵ',
  ｬ: 'ﾔ',
  ｭ: 'ﾕ',
  ｮ: 'ﾖ',
  ｯ: 'ﾂ',
};
const ALLOWED = /^[0-9A-Z ().,\-/｢｣\\\uff71-\uff9f\uff66]$/;

/** Text as Zengin writes it: kana half-width, letters upper-case, small kana large, the long vowel ｰ as - (the set has no ｰ; banks write ﾕ-ｴﾌ). */
export function zenginText(text: string, what: string): string {
  const half = [...toHalfwidthKatakana(toHalfWidthAscii(text)).toUpperCase()]
    .map((c) => SMALL_TO_LARGE[c] ?? c)
    .map((c) => (c === '\u00a5' ? '\\' : c === '\uff70' ? '-' : c));
  const bad = half.find((c) => !ALLOWED.test(c));
  if (bad !== undefined) {
    // The character goes with the refusal, so that a page can say which one to change.
    throw new MachiError('validation-failed', `${what}: 「${bad}」 cannot be written in a Zengin file.`, {
      character: bad,
    });
  }
  return half.join('');
}

/** JIS X 0201 bytes of text already in the Zengin set: ASCII as is, U+FF61–U+FF9F as 0xA1–0xDF. */
function jisBytes(text: string): number[] {
  return [...text].map((c) => {
    const code = c.charCodeAt(0);
    return code >= 0xff61 && code <= 0xff9f ? code - 0xfec0 : code;
  });
}

/** A left-justified, space-padded field; too long is an error, never a silent cut. */
function alpha(text: string, width: number, what: string): number[] {
  const bytes = jisBytes(zenginText(text, what));
  if (bytes.length > width) throw invalid(`${what} is longer than ${width} characters in the Zengin file.`);
  return [...bytes, ...Array(width - bytes.length).fill(0x20)];
}

/** A right-justified, zero-padded number field. */
function digits(value: string | number, width: number, what: string): number[] {
  const text = String(value);
  if (!/^\d+$/.test(text) || text.length > width) throw invalid(`${what} must be at most ${width} digits.`);
  return jisBytes(text.padStart(width, '0'));
}

const spaces = (width: number) => Array(width).fill(0x20) as number[];

function record(parts: number[][]): Buffer {
  const bytes = Buffer.from(parts.flat());
  if (bytes.length !== ZENGIN_RECORD_BYTES)
    throw new Error(`A Zengin record came out ${bytes.length} bytes.`);
  return bytes;
}

/** The whole file: header, one data record per transfer, trailer and end, CR LF after each. */
export function zenginFile(requester: ZenginRequester, transfers: readonly ZenginTransfer[]): Buffer {
  const [, month, day] = requester.transferDate.split('-');
  const header = record([
    digits(1, 1, 'データ区分'),
    digits(21, 2, '種別コード'),
    digits(0, 1, 'コード区分'),
    digits(requester.requesterCode, 10, 'The requester code'),
    alpha(requester.requesterName, 40, 'The requester name'),
    digits(`${month}${day}`, 4, 'The transfer date'),
    digits(requester.bankCode, 4, 'The bank code'),
    alpha(requester.bankName, 15, 'The bank name'),
    digits(requester.branchCode, 3, 'The branch code'),
    alpha(requester.branchName, 15, 'The branch name'),
    digits(requester.accountType, 1, 'The account type'),
    digits(requester.accountNumber, 7, 'The account number'),
    spaces(17),
  ]);
  let total = 0;
  const data = transfers.map((transfer, index) => {
    const what = `Transfer ${index + 1}`;
    if (!Number.isSafeInteger(transfer.amount) || transfer.amount < 1 || transfer.amount > 9_999_999_999) {
      throw invalid(`${what}: the amount must be 1 to 9,999,999,999 yen.`);
    }
    total += transfer.amount;
    return record([
      digits(2, 1, 'データ区分'),
      digits(transfer.bankCode, 4, `${what}: the bank code`),
      alpha(transfer.bankName ?? '', 15, `${what}: the bank name`),
      digits(transfer.branchCode, 3, `${what}: the branch code`),
      alpha(transfer.branchName ?? '', 15, `${what}: the branch name`),
      spaces(4),
      digits(transfer.accountType, 1, `${what}: the account type`),
      digits(transfer.accountNumber, 7, `${what}: the account number`),
      alpha(transfer.payeeName, ZENGIN_PAYEE_NAME_WIDTH, `${what}: the payee name`),
      digits(transfer.amount, 10, `${what}: the amount`),
      digits(0, 1, '新規コード'),
      alpha(transfer.customerCode ?? '', 10, `${what}: the customer code`),
      spaces(10),
      spaces(1),
      spaces(1),
      spaces(7),
    ]);
  });
  const trailer = record([
    digits(8, 1, 'データ区分'),
    digits(transfers.length, 6, 'The number of transfers'),
    digits(total, 12, 'The total'),
    spaces(101),
  ]);
  const end = record([digits(9, 1, 'データ区分'), spaces(119)]);
  const crlf = Buffer.from('\r\n');
  return Buffer.concat([header, ...data, trailer, end].flatMap((one) => [one, crlf]));
}

/** Reads a file back into its records (each exactly 120 bytes), as a checker would. */
export function zenginRecords(file: Buffer): Buffer[] {
  const records: Buffer[] = [];
  for (let at = 0; at < file.length; at += ZENGIN_RECORD_BYTES + 2) {
    const one = file.subarray(at, at + ZENGIN_RECORD_BYTES);
    if (one.length !== ZENGIN_RECORD_BYTES)
      throw invalid(`Record ${records.length + 1} is ${one.length} bytes, not 120.`);
    if (file[at + ZENGIN_RECORD_BYTES] !== 0x0d || file[at + ZENGIN_RECORD_BYTES + 1] !== 0x0a) {
      throw invalid(`Record ${records.length + 1} is not followed by CR LF.`);
    }
    records.push(one);
  }
  return records;
}
