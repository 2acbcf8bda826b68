import { describe, expect, it } from 'vitest';
import {
  ZENGIN_RECORD_BYTES,
  type ZenginRequester,
  zenginFile,
  zenginRecords,
  zenginText,
} from './zengin.ts';

const requester: ZenginRequester = {
  requesterCode: '1234567890',
  requesterName: 'チヨダク',
  transferDate: '2026-04-30',
  bankCode: '0001',
  bankName: 'ミズホ',
  branchCode: '001',
  branchName: 'トウキヨウ',
  accountType: '1',
  accountNumber: '1234567',
};

const transfers = [
  {
    bankCode: '0005',
    branchCode: '123',
    accountType: '1' as const,
    accountNumber: '7654321',
    payeeName: 'カ）カンダシヨウテン',
    amount: 12_345,
    customerCode: 'M-KANDA',
  },
  {
    bankCode: '0009',
    branchCode: '456',
    accountType: '2' as const,
    accountNumber: '1111111',
    payeeName: 'ヤマダ　パンテン',
    amount: 980,
    customerCode: 'M-YAMADA',
  },
];

/** The characters of a record between two 1-based positions, as the format's tables count them. */
const field = (record: Buffer, from: number, to: number) => record.subarray(from - 1, to).toString('latin1');

describe('the Zengin bulk-transfer file', () => {
  it('writes header, data, trailer and end records of exactly 120 bytes each', () => {
    const file = zenginFile(requester, transfers);
    const records = zenginRecords(file);
    expect(file.length).toBe(5 * (ZENGIN_RECORD_BYTES + 2));
    expect(records.map((one) => one.length)).toEqual(Array(5).fill(ZENGIN_RECORD_BYTES));
    expect(records.map((one) => field(one, 1, 1))).toEqual(['1', '2', '2', '8', '9']);
  });

  it('puts each field at its position, and a trailer whose count and total match the data', () => {
    const [header, first, second, trailer, end] = zenginRecords(zenginFile(requester, transfers));
    expect(field(header!, 1, 4)).toBe('1210');
    expect(field(header!, 5, 14)).toBe('1234567890');
    expect(field(header!, 55, 58)).toBe('0430');
    expect(field(first!, 2, 5)).toBe('0005');
    expect(field(first!, 21, 23)).toBe('123');
    expect(field(first!, 43, 43)).toBe('1');
    expect(field(first!, 44, 50)).toBe('7654321');
    expect(field(first!, 81, 90)).toBe('0000012345');
    expect(field(second!, 81, 90)).toBe('0000000980');
    expect(field(first!, 92, 101)).toBe('M-KANDA   ');
    expect(field(trailer!, 2, 7)).toBe('000002');
    expect(field(trailer!, 8, 19)).toBe('000000013325');
    expect(field(end!, 1, 1)).toBe('9');
    expect(end!.subarray(1).every((byte) => byte === 0x20)).toBe(true);
  });

  it('writes kana as JIS X 0201 single bytes (ﾔﾏﾀﾞ = B3 CF C0 DE)', () => {
    const [, , second] = zenginRecords(zenginFile(requester, transfers));
    expect([...second!.subarray(50, 54)]).toEqual([0xd4, 0xcf, 0xc0, 0xde]);
    expect(zenginText('ヤマダ　パンテン', 'name')).toBe('ﾔﾏﾀﾞ ﾊﾟﾝﾃﾝ');
    expect(zenginText('キッテ', 'name')).toBe('ｷﾂﾃ');
    expect(zenginText('ミツビシユーエフジエイ', 'name')).toBe('ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ');
  });

  it.each([
    ['a kanji name', { payeeName: '神田商店' }, /cannot be written/],
    ['a name too long', { payeeName: 'ア'.repeat(31) }, /longer than 30/],
    ['an account number of 8 digits', { accountNumber: '12345678' }, /at most 7 digits/],
    ['a zero amount', { amount: 0 }, /amount/],
    ['a fractional amount', { amount: 10.5 }, /amount/],
  ])('refuses %s', (_, change, message) => {
    expect(() => zenginFile(requester, [{ ...transfers[0]!, ...change }])).toThrow(message);
  });
});
