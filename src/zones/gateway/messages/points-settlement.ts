import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';

const uuid = Type.String({ format: 'uuid', maxLength: 36 });
const settlementId = Type.String({ pattern: '^[A-Za-z0-9-]{1,40}$', maxLength: 40 });
const day = Type.String({ format: 'date', maxLength: 10 });
const yen = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 });
/**
 * Text in the Zengin file's character set, as zenginFile writes it (already converted):
 * digits, A–Z, space, ( ) . , - / \ 「 」 (half-width) and the large half-width katakana.
 */
const zengin = (minLength: number, maxLength: number) =>
  Type.String({
    pattern: `^[0-9A-Z ().,/\\-\\\\\\uFF62\\uFF63\\uFF66\\uFF71-\\uFF9F]{${minLength},${maxLength}}$`,
    minLength,
    maxLength,
  });
const digits = (n: number) => Type.String({ pattern: `^[0-9]{${n}}$`, maxLength: n });

/** The municipality's own account, the Zengin header's requester (振込依頼人), as the file writes it. */
const settlementAccount = {
  requesterCode: digits(10),
  requesterName: zengin(1, 40),
  bankCode: digits(4),
  bankName: zengin(1, 15),
  branchCode: digits(3),
  branchName: zengin(1, 15),
  accountType: Type.Union([Type.Literal('1'), Type.Literal('2')]),
  accountNumber: digits(7),
};

export const pointsSettlementAccountPayload = Type.Object(
  {
    ...settlementAccount,
    /** How many times staff saved the account: the internet zone keeps only a newer one. */
    revision: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  },
  { additionalProperties: false },
);
export type PointsSettlementAccountPayload = Static<typeof pointsSettlementAccountPayload>;

/** Staff set the account merchants are paid from. lgwan → internet (pulled). */
export const pointsSettlementAccountV1 = defineMessageType({
  type: 'points.settlement-account',
  version: 1,
  payload: pointsSettlementAccountPayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});

/** Staff ask for a settlement run (精算). lgwan → internet (pulled); answered by points.settlement. */
export const pointsSettlementRequestPayload = Type.Object(
  {
    requestId: uuid,
    settlementId,
    /** 取組日: the day the bank makes the transfers. */
    transferDate: day,
    /** The staff member who asked (lgwan's staff id), the run's actor in the internet zone's audit. */
    requestedBy: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type PointsSettlementRequestPayload = Static<typeof pointsSettlementRequestPayload>;

export const pointsSettlementRequestV1 = defineMessageType({
  type: 'points.settlement-request',
  version: 1,
  payload: pointsSettlementRequestPayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});

/** One data record of the Zengin file (総合振込), field by field. */
const transfer = Type.Object(
  {
    bankCode: digits(4),
    bankName: zengin(0, 15),
    branchCode: digits(3),
    branchName: zengin(0, 15),
    accountType: Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('4')]),
    accountNumber: digits(7),
    payeeName: zengin(1, 30),
    amount: Type.Integer({ minimum: 1, maximum: 9_999_999_999 }),
    /** 顧客コード1, empty when the file has none. */
    customerCode: zengin(0, 10),
  },
  { additionalProperties: false },
);

/** Lines one answer part carries at most; a run of more merchants comes in several parts. */
export const MAX_SETTLEMENT_LINES = 500;

/**
 * A settlement run's answer, in parts (the envelope is bounded): part n of `parts`, each with
 * the run's summary and header and a slice of its merchant lines in order — paid ones with
 * their transfer, skipped ones with why. Data only, each field checked here: lgwan makes the
 * Zengin file and the report from it and never receives a file. Or the run's refusal (no
 * account set, …), in one part without lines. internet → lgwan (pushed, to the request).
 */
export const pointsSettlementPayload = Type.Object(
  {
    requestId: uuid,
    settlementId,
    transferDate: day,
    part: Type.Integer({ minimum: 1, maximum: 10_000 }),
    parts: Type.Integer({ minimum: 1, maximum: 10_000 }),
    outcome: Type.Union([Type.Literal('settled'), Type.Literal('refused')]),
    refusal: Type.Union([
      Type.Object(
        {
          code: Type.String({ pattern: '^[a-z-]{1,40}$', maxLength: 40 }),
          detail: Type.String({ maxLength: 500 }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    /** The same settlement id was run before: this is that run, nothing was paid again. */
    repeated: Type.Boolean(),
    totals: Type.Union([
      Type.Object(
        {
          merchants: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
          received: yen,
          fees: yen,
          payout: yen,
          skipped: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    requester: Type.Union([Type.Object(settlementAccount, { additionalProperties: false }), Type.Null()]),
    lines: Type.Array(
      Type.Object(
        {
          merchantId: Type.String({ minLength: 1, maxLength: 64 }),
          name: Type.String({ maxLength: 200 }),
          received: yen,
          fee: yen,
          payout: yen,
          skipped: Type.Union([Type.String({ minLength: 1, maxLength: 300 }), Type.Null()]),
          transfer: Type.Union([transfer, Type.Null()]),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_SETTLEMENT_LINES },
    ),
  },
  { additionalProperties: false },
);
export type PointsSettlementPayload = Static<typeof pointsSettlementPayload>;

export const pointsSettlementV1 = defineMessageType({
  type: 'points.settlement',
  version: 1,
  payload: pointsSettlementPayload,
  routes: [{ from: 'internet', to: 'lgwan' }],
  tenant: 'required',
});
