import { Type } from 'typebox';
import { purposeCodes } from '../purposes.ts';

// Loose shapes at the edge (digits, lengths); the check digits are verified by the domain
// (parseResidentCode / parseMyNumber), which names the field in its 400 answer.
const Digits = (length: number) => Type.String({ pattern: `^[0-9]{${length}}$` });
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Status = Type.Union([Type.Literal('resident'), Type.Literal('moved-out'), Type.Literal('deceased')]);
const EventKind = Type.Union([
  Type.Literal('birth'),
  Type.Literal('move-in'),
  Type.Literal('move-within'),
  Type.Literal('move-out'),
  Type.Literal('death'),
]);

export const PurposeSchema = Type.Union(purposeCodes.map((code) => Type.Literal(code)));

export const MunicipalityParams = Type.Object({ lgCode: Type.String({ maxLength: 20 }) });
export const ResidentParams = Type.Object({
  lgCode: Type.String({ maxLength: 20 }),
  residentCode: Type.String({ maxLength: 20 }),
});

export const PurposeQuery = Type.Object({ purpose: PurposeSchema }, { additionalProperties: false });
export const ResidenceQuery = Type.Object(
  { on: IsoDate, purpose: PurposeSchema },
  { additionalProperties: false },
);

export const SearchQuery = Type.Object(
  {
    kana: Type.Optional(Type.String({ maxLength: 100 })),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    birthDate: Type.Optional(Type.String({ maxLength: 40 })),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

export const ResidencesQuery = Type.Object(
  {
    address: Type.String({ minLength: 1, maxLength: 200 }),
    on: IsoDate,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

/** A search hit: enough to pick the right person. Never a My Number. */
export const PersonSummarySchema = Type.Object({
  residentCode: Type.String(),
  familyName: Type.String(),
  givenName: Type.String(),
  familyNameKana: Type.String(),
  givenNameKana: Type.String(),
  birthDate: Type.String(),
  address: Type.String(),
  status: Status,
});

export const SearchResultSchema = Type.Object({
  items: Type.Array(PersonSummarySchema),
  nextOffset: Type.Union([Type.Integer(), Type.Null()]),
});

const MemberSchema = Type.Object({
  residentCode: Type.String(),
  familyName: Type.String(),
  givenName: Type.String(),
  familyNameKana: Type.String(),
  givenNameKana: Type.String(),
  birthDate: Type.String(),
  relationship: Type.String(),
});

/** The 住民票. `myNumber` is sent only to a registry clerk (the handler leaves it out otherwise). */
export const PersonRecordSchema = Type.Object({
  residentCode: Type.String(),
  myNumber: Type.Optional(Type.String()),
  familyName: Type.String(),
  givenName: Type.String(),
  familyNameKana: Type.String(),
  givenNameKana: Type.String(),
  sex: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(9)]),
  birthDate: Type.String(),
  postalCode: Type.Union([Type.String(), Type.Null()]),
  address: Type.String(),
  addressSince: Type.String(),
  relationship: Type.String(),
  status: Status,
  leftOn: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  household: Type.Object({
    householdId: Type.String(),
    headResidentCode: Type.Union([Type.String(), Type.Null()]),
    members: Type.Array(MemberSchema),
  }),
});

const ResidencePeriodSchema = Type.Object({
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  address: Type.String(),
  householdId: Type.String(),
});

export const HistorySchema = Type.Object({
  residentCode: Type.String(),
  events: Type.Array(
    Type.Object({
      eventId: Type.String(),
      kind: EventKind,
      effectiveOn: Type.String(),
      recordedAt: Type.String(),
      recordedBy: Type.String(),
      address: Type.Union([Type.String(), Type.Null()]),
      postalCode: Type.Union([Type.String(), Type.Null()]),
      relationship: Type.Union([Type.String(), Type.Null()]),
      otherAddress: Type.Union([Type.String(), Type.Null()]),
      otherMunicipalityCode: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  residences: Type.Array(ResidencePeriodSchema),
});

export const ResidenceOnSchema = Type.Object({
  residentCode: Type.String(),
  on: Type.String(),
  residence: Type.Union([ResidencePeriodSchema, Type.Null()]),
});

export const ResidentsAtSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      residentCode: Type.String(),
      address: Type.String(),
      validFrom: Type.String(),
      validTo: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  nextOffset: Type.Union([Type.Integer(), Type.Null()]),
});

const NewPersonSchema = Type.Object(
  {
    residentCode: Digits(11),
    myNumber: Digits(12),
    familyName: Text(100),
    givenName: Text(100),
    familyNameKana: Text(100),
    givenNameKana: Text(100),
    sex: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(9)]),
    birthDate: IsoDate,
  },
  { additionalProperties: false },
);

const JoinOrNew = [
  Type.Object(
    { kind: Type.Literal('join'), residentCode: Digits(11), relationship: Text(20) },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('new') }, { additionalProperties: false }),
] as const;
const Household = Type.Union([...JoinOrNew]);
const HouseholdOrKeep = Type.Union([
  ...JoinOrNew,
  Type.Object({ kind: Type.Literal('keep') }, { additionalProperties: false }),
]);

const Address = { address: Text(200), postalCode: Type.Optional(Digits(7)) };
const Existing = {
  residentCode: Digits(11),
  effectiveOn: IsoDate,
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
};
const Csrf = { _csrf: Type.Optional(Type.String({ maxLength: 200 })) };

/** One life event, discriminated by `kind`. Dates are the day it took effect (異動日). */
export const LifeEventBody = Type.Union([
  Type.Object(
    { kind: Type.Literal('birth'), person: NewPersonSchema, household: Household, ...Address, ...Csrf },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('move-in'),
      person: NewPersonSchema,
      effectiveOn: IsoDate,
      household: Household,
      ...Address,
      fromAddress: Type.Optional(Text(200)),
      fromMunicipalityCode: Type.Optional(Digits(6)),
      ...Csrf,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('move-within'), ...Existing, ...Address, household: HouseholdOrKeep, ...Csrf },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('move-out'),
      ...Existing,
      toAddress: Type.Optional(Text(200)),
      toMunicipalityCode: Type.Optional(Digits(6)),
      ...Csrf,
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('death'), ...Existing, ...Csrf }, { additionalProperties: false }),
]);

export const EventResultSchema = Type.Object({
  kind: EventKind,
  eventId: Type.String(),
  residentCode: Type.String(),
  householdId: Type.String(),
  version: Type.Integer(),
});
