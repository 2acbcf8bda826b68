import { describe, expect, it } from 'vitest';
import { readSettlementReport, type SettlementLine, settlementReportCsv } from './settlement-report.ts';
import { type ZenginRequester, zenginFile } from './zengin.ts';
import { readZenginFile } from './zengin-read.ts';

const requester: ZenginRequester = {
  requesterCode: '0123456789',
  requesterName: 'ﾁﾖﾀﾞｸ (ｶｲｹｲ)',
  transferDate: '2026-12-10',
  bankCode: '0001',
  bankName: 'ミズホ',
  branchCode: '001',
  branchName: 'トウキョウ',
  accountType: '2',
  accountNumber: '0000042',
};

describe('a Zengin file read back as data', () => {
  it('makes the same bytes again from what it reads, whatever the names hold', () => {
    const transfers = [
      {
        bankCode: '0005',
        bankName: 'ﾐﾂﾋﾞｼ',
        branchCode: '123',
        branchName: ' ﾎﾝﾃﾝ',
        accountType: '1' as const,
        accountNumber: '42',
        payeeName: 'カ）パンドミー ｢ﾆｼ｣/A.B,C\\',
        amount: 9_999_999_999,
        customerCode: 'm-kanda',
      },
      {
        bankCode: '0009',
        branchCode: '456',
        accountType: '4' as const,
        accountNumber: '1111111',
        payeeName: 'ｧｯ',
        amount: 1,
      },
    ];
    const file = zenginFile(requester, transfers);
    const read = readZenginFile(file);
    expect(read.transferMonthDay).toBe('1210');
    expect(read.requester).toMatchObject({
      requesterCode: '0123456789',
      accountType: '2',
      accountNumber: '0000042',
    });
    expect(read.transfers[0]).toMatchObject({
      accountNumber: '0000042',
      customerCode: 'M-KANDA',
    });
    expect(read.transfers[1]).not.toHaveProperty('customerCode');
    expect(zenginFile({ ...read.requester, transferDate: '2026-12-10' }, read.transfers).equals(file)).toBe(
      true,
    );
  });

  it('refuses a file whose trailer does not add up', () => {
    const file = Buffer.from(zenginFile(requester, [{ ...requester, payeeName: 'ｱ', amount: 5 }]));
    // The trailer's total (record 3, columns 8–19) says 6 instead of 5.
    file[2 * 122 + 18] = 0x36;
    expect(() => readZenginFile(file)).toThrow(/trailer/);
  });
});

describe('a settlement report read back as lines', () => {
  it('gives the lines that make the same report again', () => {
    const lines: SettlementLine[] = [
      { merchantId: 'm-1', name: '=SUM(A1)', received: 100, fee: 1, payout: 99, skipped: null },
      {
        merchantId: 'm-2',
        name: 'パン屋, "本店"\n二号',
        received: 50,
        fee: 0,
        payout: 0,
        skipped: 'no bank account',
      },
      {
        merchantId: 'm-3',
        name: '',
        received: 7,
        fee: 0,
        payout: 0,
        skipped: 'Transfer 1: 「漢」 cannot be written',
      },
    ];
    const csv = settlementReportCsv(lines);
    expect(readSettlementReport(csv)).toEqual(lines);
    expect(settlementReportCsv(readSettlementReport(csv))).toBe(csv);
  });

  it('refuses anything else', () => {
    expect(() => readSettlementReport('\uFEFFa,b\r\n')).toThrow(/Not a settlement report/);
  });
});
