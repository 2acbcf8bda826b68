import type { Settlement, SettlementAccount } from './settle-merchants.ts';
import { readSettlementReport, type SettlementLine, settlementReportCsv } from './settlement-report.ts';
import { type ZenginTransfer, zenginFile } from './zengin.ts';
import { readZenginFile } from './zengin-read.ts';

/** A merchant's line with its bank transfer as the Zengin file has it (null when skipped). */
export interface SettlementDataLine extends SettlementLine {
  readonly transfer: ZenginTransfer | null;
}

/**
 * A settlement run as data: what the Zengin file and the CSV report say, field by field. The
 * internet zone sends this inward instead of the files (三層の対策: files entering lgwan must
 * be disarmed; data checked against a schema needs nothing more), and lgwan makes both files
 * again from it with the same functions.
 */
export interface SettlementData {
  readonly settlementId: string;
  readonly transferDate: string;
  readonly repeated: boolean;
  readonly totals: { merchants: number; received: number; fees: number; payout: number; skipped: number };
  readonly requester: SettlementAccount;
  readonly lines: readonly SettlementDataLine[];
}

/** The Zengin file (bytes) and the CSV report of a run, made from its data. */
export function settlementFiles(data: Omit<SettlementData, 'repeated' | 'totals'>): {
  zengin: Buffer;
  report: string;
} {
  const transfers = data.lines.flatMap((line) => (line.transfer ? [line.transfer] : []));
  return {
    zengin: zenginFile({ ...data.requester, transferDate: data.transferDate }, transfers),
    report: settlementReportCsv(data.lines.map(({ transfer: _transfer, ...line }) => line)),
  };
}

/**
 * Reads a run's stored files back into data. Each paid line is matched, in order, with its
 * record of the file; then both files are made again from the data and must be the very bytes
 * stored — so whatever receives the data can make the files the bank and staff get.
 */
export function settlementData(settlement: Settlement): SettlementData {
  const content = readZenginFile(settlement.zengin);
  if (content.transferMonthDay !== settlement.transferDate.slice(5).replace('-', '')) {
    throw new Error("The Zengin file's 取組日 is not the run's.");
  }
  const transfers = [...content.transfers];
  const lines = readSettlementReport(settlement.report).map((line): SettlementDataLine => {
    if (line.skipped !== null) return { ...line, transfer: null };
    const transfer = transfers.shift();
    if (!transfer || transfer.amount !== line.payout)
      throw new Error('The report and the Zengin file do not match.');
    return { ...line, transfer };
  });
  const data: SettlementData = {
    settlementId: settlement.settlementId,
    transferDate: settlement.transferDate,
    repeated: settlement.repeated,
    totals: {
      merchants: settlement.merchants,
      received: settlement.received,
      fees: settlement.fees,
      payout: settlement.payout,
      skipped: settlement.skipped.length,
    },
    requester: content.requester,
    lines,
  };
  const again = settlementFiles(data);
  if (transfers.length > 0 || !again.zengin.equals(settlement.zengin) || again.report !== settlement.report) {
    throw new Error('The settlement cannot be made again from its data.');
  }
  return data;
}
