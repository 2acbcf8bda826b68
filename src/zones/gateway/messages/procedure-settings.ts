import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';

const text = Type.String({ minLength: 1, maxLength: 2000 });

/** A municipality's setting for one procedure (accepted online or not, its note), lgwan → internet (pulled). */
export const procedureSettingPayload = Type.Object(
  {
    procedureId: Type.String({ pattern: '^[a-z0-9-]+$', maxLength: 80 }),
    enabled: Type.Boolean(),
    note: Type.Union([Type.Object({ ja: text, en: text }, { additionalProperties: false }), Type.Null()]),
    version: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type ProcedureSettingPayload = Static<typeof procedureSettingPayload>;

export const procedureSettingV1 = defineMessageType({
  type: 'procedures.setting',
  version: 1,
  payload: procedureSettingPayload,
  routes: [{ from: 'lgwan', to: 'internet' }],
  tenant: 'required',
});
