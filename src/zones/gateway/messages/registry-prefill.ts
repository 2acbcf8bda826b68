import { type Static, Type } from 'typebox';
import { defineMessageType } from '../message-type.ts';

const uuid = Type.String({ format: 'uuid', maxLength: 36 });
const instant = Type.String({ format: 'date-time', maxLength: 40 });
const day = Type.String({ format: 'date', maxLength: 10 });
/** ISO/IEC 5218: 1 male, 2 female, 9 not applicable. */
const sex = Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('9')]);
// The registry keeps each name part (and its kana) in at most 100 characters: family, a
// full-width space, given. The address is whole, as on a 住民票: the registry's 200 characters
// within the municipality after the prefecture and municipality names.
const name = Type.String({ minLength: 1, maxLength: 201 });

/**
 * ワンスオンリー for the portal's forms: the signed-in resident asks for their own facts and
 * household from the registry. It enters from the internet, so the schema is closed and
 * bounded: an id, the resident's pseudonym (the auth certificate holder's subject id, the
 * only identity the internet zone has) and when it was asked. No name, no number: mynumber
 * finds the person from the subject id itself.
 */
export const prefillRequestPayload = Type.Object(
  {
    /** The portal's id of this request; the answer carries it back. */
    requestId: uuid,
    subjectId: uuid,
    requestedAt: instant,
  },
  { additionalProperties: false },
);
export type PrefillRequestPayload = Static<typeof prefillRequestPayload>;

/** internet → lgwan (pushed, sanitized), then lgwan → mynumber (left in lgwan's outbox, pulled). */
export const prefillRequestV1 = defineMessageType({
  type: 'registry.prefill-request',
  version: 1,
  payload: prefillRequestPayload,
  routes: [
    { from: 'internet', to: 'lgwan' },
    { from: 'lgwan', to: 'mynumber' },
  ],
  tenant: 'required',
});

/** A household has rarely more than a handful of members; a form asks for at most 20. */
export const MAX_PREFILL_MEMBERS = 30;

const member = Type.Object(
  {
    name,
    nameKana: name,
    birthDate: day,
    sex,
    /** 続柄 to the head of household (世帯主), as the 住民票 has it: 世帯主, 妻, 子… */
    relationship: Type.String({ minLength: 1, maxLength: 50 }),
  },
  { additionalProperties: false },
);

/**
 * The registry's answer: the resident's own facts and the current members of their 世帯
 * (themselves included), as of `asOf`. `found: false` (no person, no members) when the subject
 * id has no live auth certificate in that municipality or its holder is not a current
 * resident. Personal data: it crosses lgwan without being kept there, and the portal keeps it
 * for an hour. Never the My Number, the 住民票コード or the registry's ids.
 */
export const prefillPayload = Type.Object(
  {
    requestId: uuid,
    subjectId: uuid,
    found: Type.Boolean(),
    person: Type.Union([
      Type.Object(
        {
          name,
          nameKana: name,
          /** 7 digits, or null when the registry has none. */
          postalCode: Type.Union([Type.String({ pattern: '^[0-9]{7}$', maxLength: 7 }), Type.Null()]),
          address: Type.String({ minLength: 1, maxLength: 300 }),
          birthDate: day,
          sex,
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    householdMembers: Type.Array(member, { maxItems: MAX_PREFILL_MEMBERS }),
    /** The day (Asia/Tokyo) the registry was read as of. */
    asOf: day,
  },
  { additionalProperties: false },
);
export type PrefillPayload = Static<typeof prefillPayload>;

/** mynumber → lgwan (pushed), then lgwan → internet (left in lgwan's outbox, pulled). */
export const prefillV1 = defineMessageType({
  type: 'registry.prefill',
  version: 1,
  payload: prefillPayload,
  routes: [
    { from: 'mynumber', to: 'lgwan' },
    { from: 'lgwan', to: 'internet' },
  ],
  tenant: 'required',
});
