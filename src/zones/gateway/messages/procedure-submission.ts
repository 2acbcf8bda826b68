import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';
import { base64Text } from './base64.ts';

/**
 * A filing, from the portal (internet) to the back office (lgwan): the signed document as
 * the resident's card signed it, and the signature. Bounded like all that enters from the
 * internet; lgwan checks the document again against the procedure's form before it opens a
 * case. Attachments are named in the document by upload id and cross as sanitized files.
 */
export const procedureSubmissionPayload = Type.Object(
  {
    submissionId: Type.String({ format: 'uuid', maxLength: 36 }),
    receiptNumber: Type.String({ pattern: '^[0-9]{6}-[0-9]{8}-[A-HJ-NP-Z2-9]{6}$', maxLength: 22 }),
    procedureId: Type.String({ pattern: '^[a-z0-9-]+$', maxLength: 80 }),
    submittedBy: Type.String({ pattern: '^resident:[0-9a-f-]{36}$', maxLength: 60 }),
    submittedAt: Type.String({ format: 'date-time', maxLength: 40 }),
    document: base64Text(128 * 1024),
    signature: Type.Union([base64Text(16 * 1024), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ProcedureSubmissionPayload = Static<typeof procedureSubmissionPayload>;

export const procedureSubmissionV1 = defineMessageType({
  type: 'procedures.submission',
  version: 1,
  payload: procedureSubmissionPayload,
  routes: [{ from: 'internet', to: 'lgwan' }],
  tenant: 'required',
});
