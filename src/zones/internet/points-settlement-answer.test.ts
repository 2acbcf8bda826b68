import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SettlementData, SettlementDataLine } from '../../modules/points/index.ts';
import { MAX_SETTLEMENT_LINES, pointsSettlementV1 } from '../gateway/index.ts';
import { settlementAnswer } from './points-settlement-answer.ts';

const request = {
  requestId: randomUUID(),
  settlementId: '2026-11',
  transferDate: '2026-12-10',
  requestedBy: randomUUID(),
};

/** A merchant line as large as the message allows: a long name, a long reason or a full transfer. */
function line(n: number): SettlementDataLine {
  const paid = n % 3 !== 0;
  return {
    merchantId: `m-${String(n).padStart(60, '0')}`,
    name: '商'.repeat(200),
    received: 1_000,
    fee: paid ? 15 : 0,
    payout: paid ? 985 : 0,
    skipped: paid ? null : 'x'.repeat(300),
    transfer: paid
      ? {
          bankCode: '0005',
          bankName: 'ﾐﾂﾋﾞｼ'.repeat(3),
          branchCode: '123',
          branchName: 'ﾎﾝﾃﾝ'.repeat(3),
          accountType: '1',
          accountNumber: '7654321',
          payeeName: 'ｶ)ﾏﾁｼﾖｳﾃﾝ'.repeat(3),
          amount: 985,
          customerCode: 'M-1',
        }
      : null,
  };
}

describe('the answer to a settlement run', () => {
  it('comes in parts that each fit an envelope and match the schema, the lines in order', () => {
    const lines = Array.from({ length: 1_300 }, (_, n) => line(n));
    const data: SettlementData = {
      settlementId: request.settlementId,
      transferDate: request.transferDate,
      repeated: false,
      totals: { merchants: 866, received: 1_300_000, fees: 12_990, payout: 853_010, skipped: 434 },
      requester: {
        requesterCode: '1234567890',
        requesterName: 'ﾁﾖﾀﾞｸ',
        bankCode: '0001',
        bankName: 'ﾐｽﾞﾎ',
        branchCode: '001',
        branchName: 'ﾄｳｷﾖｳ',
        accountType: '1',
        accountNumber: '1234567',
      },
      lines,
    };
    const parts = settlementAnswer(request, { data });
    expect(parts.length).toBeGreaterThan(1);
    for (const [index, part] of parts.entries()) {
      expect(pointsSettlementV1.errors(part)).toEqual([]);
      expect(part).toMatchObject({ part: index + 1, parts: parts.length, outcome: 'settled' });
      expect(part.lines.length).toBeLessThanOrEqual(MAX_SETTLEMENT_LINES);
      // The envelope around it adds a few hundred bytes; the gateway takes 256 KiB.
      expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThan(200 * 1024);
    }
    expect(parts.flatMap((part) => part.lines.map((one) => one.merchantId))).toEqual(
      lines.map((one) => one.merchantId),
    );
    // Each field is checked on the way in: text the Zengin file cannot carry is refused.
    const [first] = parts;
    const paid = first!.lines[1]!;
    const kanji = { ...paid, transfer: { ...paid.transfer!, payeeName: '町商店' } };
    expect(pointsSettlementV1.check({ ...first, lines: [kanji] })).toBe(false);
  });

  it('is one part without lines when the run was refused', () => {
    const [refused, ...more] = settlementAnswer(request, {
      refusal: { code: 'conflict', detail: 'Set the account first.' },
    });
    expect(more).toEqual([]);
    expect(pointsSettlementV1.errors(refused)).toEqual([]);
    expect(refused).toMatchObject({ outcome: 'refused', part: 1, parts: 1, lines: [], totals: null });
  });
});
