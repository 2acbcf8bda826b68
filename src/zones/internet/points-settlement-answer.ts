import type { SettlementData } from '../../modules/points/index.ts';
import {
  derivedMessageId,
  MAX_SETTLEMENT_LINES,
  type PointsSettlementPayload,
  type PointsSettlementRequestPayload,
  pointsSettlementV1,
} from '../gateway/index.ts';

/** Room left in an envelope (256 KiB) for the lines of one part, with the summary and the envelope around them. */
const PART_BYTES = 160 * 1024;

/** The id of part n of the answer, derived from the request's: handled again, it is the same message. */
export function settlementAnswerId(requestId: string, part: number): string {
  return derivedMessageId(`reply:${pointsSettlementV1.type}:${requestId}:${part}`);
}

type Line = PointsSettlementPayload['lines'][number];

/** The run's lines as the message carries them (a file's empty fields as empty text). */
function linesOf(data: SettlementData): Line[] {
  return data.lines.map((line) => ({
    merchantId: line.merchantId,
    name: line.name,
    received: line.received,
    fee: line.fee,
    payout: line.payout,
    skipped: line.skipped,
    transfer: line.transfer && {
      bankCode: line.transfer.bankCode,
      bankName: line.transfer.bankName ?? '',
      branchCode: line.transfer.branchCode,
      branchName: line.transfer.branchName ?? '',
      accountType: line.transfer.accountType,
      accountNumber: line.transfer.accountNumber,
      payeeName: line.transfer.payeeName,
      amount: line.transfer.amount,
      customerCode: line.transfer.customerCode ?? '',
    },
  }));
}

/** Lines cut into parts that each fit an envelope, in order; at least one part, maybe empty. */
function partsOf(lines: readonly Line[]): Line[][] {
  const parts: Line[][] = [[]];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(JSON.stringify(line));
    const current = parts[parts.length - 1]!;
    if (current.length > 0 && (bytes + size > PART_BYTES || current.length >= MAX_SETTLEMENT_LINES)) {
      parts.push([line]);
      bytes = size;
    } else {
      current.push(line);
      bytes += size;
    }
  }
  return parts;
}

/** The whole answer to a run request: the run as data in parts, or its refusal. */
export function settlementAnswer(
  request: PointsSettlementRequestPayload,
  result: { data: SettlementData } | { refusal: { code: string; detail: string } },
): PointsSettlementPayload[] {
  const base = {
    requestId: request.requestId,
    settlementId: request.settlementId,
    transferDate: request.transferDate,
  };
  if ('refusal' in result) {
    return [
      {
        ...base,
        part: 1,
        parts: 1,
        outcome: 'refused',
        refusal: result.refusal,
        repeated: false,
        totals: null,
        requester: null,
        lines: [],
      },
    ];
  }
  const { data } = result;
  const parts = partsOf(linesOf(data));
  return parts.map((lines, index) => ({
    ...base,
    part: index + 1,
    parts: parts.length,
    outcome: 'settled',
    refusal: null,
    repeated: data.repeated,
    totals: { ...data.totals },
    requester: { ...data.requester },
    lines,
  }));
}
