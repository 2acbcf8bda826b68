import { type Static, Type } from 'typebox';
import { type BasicFourOutcome, basicFourOutcomes } from '../../../modules/registry/index.ts';
import { defineMessageType } from '../message-type.ts';

const uuid = Type.String({ format: 'uuid', maxLength: 36 });
const version = Type.Integer({ minimum: 1, maximum: 100 });
const day = Type.String({ format: 'date', maxLength: 10 });

/**
 * 住基照会 for a filing's signer: the back office (lgwan) asks the registry (mynumber) whether
 * the 基本4情報 the signing certificate carries are those of a resident of the municipality.
 * The values are the certificate's as read (JPKI: 氏名・生年月日・性別・住所); the substitute
 * fields (代替文字) do not cross. No My Number, no resident code: the registry finds the person.
 */
export const basicFourCheckPayload = Type.Object(
  {
    /** The back office's id of this check; the answer carries it back. */
    checkId: uuid,
    submissionId: uuid,
    version,
    // Bounds: the registry keeps a name part in 100 characters and an address in 200; the
    // certificate's address also names the prefecture and municipality.
    name: Type.String({ minLength: 1, maxLength: 201 }),
    dateOfBirth: day,
    /** ISO/IEC 5218. */
    sex: Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('9')]),
    address: Type.String({ minLength: 1, maxLength: 300 }),
  },
  { additionalProperties: false },
);
export type BasicFourCheckPayload = Static<typeof basicFourCheckPayload>;

/** lgwan → mynumber (left in lgwan's outbox, pulled by mynumber): check a signer against the registry. */
export const basicFourCheckV1 = defineMessageType({
  type: 'registry.basic-four-check',
  version: 1,
  payload: basicFourCheckPayload,
  routes: [{ from: 'lgwan', to: 'mynumber' }],
  tenant: 'required',
});

/**
 * The registry's answer: which of the four items agree with the resident found (match is
 * all four, for a current resident), never the registry's values themselves. The household
 * is a pseudonym derived in mynumber, not the registry's id: it tells the back office that
 * two filings come from one 世帯, and nothing else.
 */
export const basicFourResultPayload = Type.Object(
  {
    checkId: uuid,
    submissionId: uuid,
    version,
    outcome: Type.Unsafe<BasicFourOutcome>(Type.String({ enum: [...basicFourOutcomes], maxLength: 20 })),
    fields: Type.Object(
      {
        name: Type.Boolean(),
        dateOfBirth: Type.Boolean(),
        sex: Type.Boolean(),
        address: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    checkedAt: Type.String({ format: 'date-time', maxLength: 40 }),
    /** The day (Asia/Tokyo) the registry was read as of. */
    asOf: day,
    householdId: Type.Union([uuid, Type.Null()]),
  },
  { additionalProperties: false },
);
export type BasicFourResultPayload = Static<typeof basicFourResultPayload>;

/** mynumber → lgwan (pushed): the answer to one registry.basic-four-check. */
export const basicFourResultV1 = defineMessageType({
  type: 'registry.basic-four-result',
  version: 1,
  payload: basicFourResultPayload,
  routes: [{ from: 'mynumber', to: 'lgwan' }],
  tenant: 'required',
});
