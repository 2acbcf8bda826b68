import { type ZenginRequester, type ZenginTransfer, zenginRecords } from './zengin.ts';

/** A Zengin file read back as data: the header's requester (and 取組日 as MMDD) and each transfer. */
export interface ZenginContent {
  readonly requester: Omit<ZenginRequester, 'transferDate'>;
  /** The header's 取組日, MMDD: the file carries no year. */
  readonly transferMonthDay: string;
  readonly transfers: ZenginTransfer[];
}

/** JIS X 0201 to text: 0xA1–0xDF are the half-width katakana U+FF61–U+FF9F, the rest ASCII. */
function jisText(bytes: Buffer): string {
  return String.fromCharCode(
    ...[...bytes].map((byte) => (byte >= 0xa1 && byte <= 0xdf ? byte + 0xfec0 : byte)),
  );
}

/** Field `from`–`to` of a record, 1-based and inclusive as 全銀協's layout tables number them. */
const field = (record: Buffer, from: number, to: number) => jisText(record.subarray(from - 1, to));
/** A left-justified text field without its padding (zenginFile pads with spaces again). */
const alpha = (record: Buffer, from: number, to: number) => field(record, from, to).replace(/ +$/, '');

function kind(record: Buffer, expected: string, at: number): void {
  if (field(record, 1, 1) !== expected)
    throw new Error(`Zengin record ${at + 1} is not of kind ${expected}.`);
}

/**
 * Reads a 総合振込 file that zenginFile wrote back into its header and transfers, so that the
 * same file can be made again elsewhere from data alone (lgwan takes no file from the internet
 * zone). Checks the record kinds and the trailer's count and total; throws on anything else.
 */
export function readZenginFile(file: Buffer): ZenginContent {
  const records = zenginRecords(file);
  const header = records[0];
  if (!header || records.length < 3) throw new Error('A Zengin file has a header, a trailer and an end.');
  kind(header, '1', 0);
  if (field(header, 2, 4) !== '210') throw new Error('Not a 総合振込 file (種別コード 21, コード区分 0).');
  const trailer = records[records.length - 2]!;
  kind(trailer, '8', records.length - 2);
  kind(records[records.length - 1]!, '9', records.length - 1);
  const transfers = records.slice(1, -2).map((record, index): ZenginTransfer => {
    kind(record, '2', index + 1);
    const customerCode = alpha(record, 92, 101);
    return {
      bankCode: field(record, 2, 5),
      bankName: alpha(record, 6, 20),
      branchCode: field(record, 21, 23),
      branchName: alpha(record, 24, 38),
      accountType: field(record, 43, 43) as ZenginTransfer['accountType'],
      accountNumber: field(record, 44, 50),
      payeeName: alpha(record, 51, 80),
      amount: Number(field(record, 81, 90)),
      ...(customerCode ? { customerCode } : {}),
    };
  });
  const total = transfers.reduce((sum, transfer) => sum + transfer.amount, 0);
  if (Number(field(trailer, 2, 7)) !== transfers.length || Number(field(trailer, 8, 19)) !== total) {
    throw new Error("The Zengin trailer's count or total does not match its records.");
  }
  return {
    requester: {
      requesterCode: field(header, 5, 14),
      requesterName: alpha(header, 15, 54),
      bankCode: field(header, 59, 62),
      bankName: alpha(header, 63, 77),
      branchCode: field(header, 78, 80),
      branchName: alpha(header, 81, 95),
      accountType: field(header, 96, 96) as ZenginRequester['accountType'],
      accountNumber: field(header, 97, 103),
    },
    transferMonthDay: field(header, 55, 58),
    transfers,
  };
}
