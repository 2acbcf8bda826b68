import { type Static, Type } from 'typebox';
import { type CaseStatus, caseStatuses } from '../../../modules/procedures/index.ts';
import { defineMessageType } from '../message-type.ts';
import { base64Text } from './base64.ts';

const submissionId = Type.String({ format: 'uuid', maxLength: 36 });
const instant = Type.String({ format: 'date-time', maxLength: 40 });
const version = Type.Integer({ minimum: 1, maximum: 100 });

/**
 * A corrected filing, from the portal to the back office, answering a request for
 * correction: the whole document signed again by the card, as a new version of the case.
 */
export const procedureCorrectionPayload = Type.Object(
  {
    submissionId,
    version,
    submittedAt: instant,
    document: base64Text(128 * 1024),
    signature: Type.Union([base64Text(16 * 1024), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ProcedureCorrectionPayload = Static<typeof procedureCorrectionPayload>;

export const procedureCorrectionV1 = defineMessageType({
  type: 'procedures.correction',
  version: 1,
  payload: procedureCorrectionPayload,
  routes: [{ from: 'internet', to: 'lgwan' }],
  tenant: 'required',
});

/** The resident withdraws a filing (取下げ); the back office agrees only before review starts. */
export const procedureWithdrawalPayload = Type.Object(
  { submissionId, requestedAt: instant },
  { additionalProperties: false },
);
export type ProcedureWithdrawalPayload = Static<typeof procedureWithdrawalPayload>;

export const procedureWithdrawalV1 = defineMessageType({
  type: 'procedures.withdrawal',
  version: 1,
  payload: procedureWithdrawalPayload,
  routes: [{ from: 'internet', to: 'lgwan' }],
  tenant: 'required',
});

/**
 * What the resident may know of their case, from the back office to the portal (pulled):
 * its status, the version it concerns, the clerk's message to the resident (a request for
 * correction, reasons of a decision) and, with a decision, the signed notice (処分通知).
 * `sequence` orders updates that arrive out of order.
 */
export const caseUpdatePayload = Type.Object(
  {
    submissionId,
    sequence: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    status: Type.Unsafe<CaseStatus>(Type.String({ enum: [...caseStatuses], maxLength: 40 })),
    version,
    at: instant,
    message: Type.Union([Type.String({ maxLength: 4000 }), Type.Null()]),
    fields: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 100 }),
    notice: Type.Union([
      Type.Object(
        {
          noticeId: Type.String({ format: 'uuid', maxLength: 36 }),
          title: Type.String({ maxLength: 200 }),
          // Within the gateway's envelope limit (256 KiB).
          pdf: base64Text(180 * 1024),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
export type CaseUpdatePayload = Static<typeof caseUpdatePayload>;

export const caseUpdateV1 = defineMessageType({
  type: 'procedures.case-update',
  version: 1,
  payload: caseUpdatePayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});
