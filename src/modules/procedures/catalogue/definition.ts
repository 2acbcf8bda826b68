import { type Static, Type } from 'typebox';

/**
 * A procedure of the catalogue (電子申請の手続), as a data file in data/<id>.json: what it is,
 * on what legal basis, who may file, the items of its official form as a JSON Schema, the
 * pages that ask for them, attachments, fee, standard processing period (標準処理期間) and
 * which items the registry fills in. This schema checks the data files themselves.
 */
const Text = Type.Object(
  { ja: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

/** Registry facts a form may be pre-filled with (the resident's own record and household). */
export const PREFILL_SOURCES = [
  'name',
  'nameKana',
  'birthDate',
  'sex',
  'postalCode',
  'address',
  'householdMembers',
] as const;

export const ProcedureDefinition = Type.Object(
  {
    /** Stable, URL-safe: /procedures/<id>. */
    id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80 }),
    name: Text,
    category: Type.Union([
      Type.Literal('child-rearing'),
      Type.Literal('care'),
      Type.Literal('disaster'),
      Type.Literal('vehicle'),
      Type.Literal('facility'),
    ]),
    /** The law (and article) the procedure rests on. */
    legalBasis: Text,
    /** Who handles it: the municipality (市区町村) or the prefecture (都道府県). */
    level: Type.Union([Type.Literal('municipality'), Type.Literal('prefecture')]),
    /** Who may file: the person concerned, a parent or guardian, a proxy (代理人). */
    filers: Type.Array(Type.Union([Type.Literal('self'), Type.Literal('parent'), Type.Literal('proxy')]), {
      minItems: 1,
      uniqueItems: true,
    }),
    /** Yen, or null when there is no fee. */
    fee: Type.Union([
      Type.Null(),
      Type.Object(
        { amountYen: Type.Integer({ minimum: 1 }), note: Type.Optional(Text) },
        { additionalProperties: false },
      ),
    ]),
    /** 標準処理期間 in days (行政手続法第6条), or null where none is set. */
    standardProcessingDays: Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 365 })]),
    /** Can be filed online with the card's signature (false: reservation-type procedures without one). */
    signatureRequired: Type.Boolean(),
    attachments: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }),
          name: Text,
          required: Type.Boolean(),
          /** Once-only (ワンスオンリー): the municipality looks it up itself, so none is asked online. */
          onceOnly: Type.Optional(Type.Boolean()),
          note: Type.Optional(Text),
        },
        { additionalProperties: false },
      ),
    ),
    /** JSON Pointer into the form data → the registry fact that fills it. */
    prefill: Type.Record(
      Type.String({ pattern: '^(/[A-Za-z0-9]+)+$' }),
      Type.Union(PREFILL_SOURCES.map((s) => Type.Literal(s))),
    ),
    /** The official form's items: JSON Schema (draft 2020-12), `title` in Japanese, `titleEn` in English. */
    schema: Type.Record(Type.String(), Type.Unknown()),
    /** The steps of the form pages, each naming the top-level items it asks for. */
    layout: Type.Object(
      {
        steps: Type.Array(
          Type.Object(
            { title: Text, fields: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) },
            { additionalProperties: false },
          ),
          { minItems: 1 },
        ),
      },
      { additionalProperties: false },
    ),
    /** For the catalogue's own test: one filing that passes, and filings that do not with the items at fault. */
    examples: Type.Object(
      {
        valid: Type.Record(Type.String(), Type.Unknown()),
        invalid: Type.Array(
          Type.Object(
            {
              data: Type.Record(Type.String(), Type.Unknown()),
              fields: Type.Array(Type.String(), { minItems: 1 }),
            },
            { additionalProperties: false },
          ),
          { minItems: 1 },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ProcedureDefinition = Static<typeof ProcedureDefinition>;
