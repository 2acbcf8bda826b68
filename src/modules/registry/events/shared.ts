import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { type AuditLog, MachiError, type TenantScope } from '../../../core/index.ts';
import { parseMyNumber, parseResidentCode } from '../identifiers/index.ts';
import { storedKana } from '../kana.ts';
import type { LifeEventKind, RegistryPersonsTable, RegistryTables } from '../tables.ts';
import type { HouseholdChoice, NewPerson } from './types.ts';

export type RegistryTrx = Transaction<RegistryTables>;
export type PersonRow = RegistryPersonsTable & { version: number };

/** 続柄 of the head of a household. */
export const HEAD_RELATIONSHIP = '世帯主';

const eventLabel: Record<LifeEventKind, string> = {
  birth: 'birth',
  'move-in': 'move in',
  'move-within': 'move within',
  'move-out': 'move out',
  death: 'death',
};

export function conflict(detail: string, extensions: Record<string, unknown> = {}): MachiError {
  return new MachiError('conflict', detail, extensions);
}

function requireText(value: string, field: string, max: number): string {
  const text = value.normalize('NFC').trim();
  if (text.length === 0 || text.length > max) {
    throw new MachiError('validation-failed', `${field} must be 1 to ${max} characters.`, { field });
  }
  return text;
}

export function checkAddress(address: string, postalCode: string | undefined, field = 'address') {
  const text = requireText(address, field, 200);
  if (postalCode !== undefined && !/^\d{7}$/.test(postalCode)) {
    throw new MachiError('validation-failed', 'postalCode must be 7 digits without a hyphen.', {
      field: 'postalCode',
    });
  }
  return { address: text, postalCode: postalCode ?? null };
}

/** Validates the identifiers and names of a person entering the registry; kana becomes katakana. */
export function checkNewPerson(person: NewPerson) {
  const familyNameKana = storedKana(person.familyNameKana, 'person.familyNameKana');
  const givenNameKana = storedKana(person.givenNameKana, 'person.givenNameKana');
  return {
    resident_code: parseResidentCode(person.residentCode, 'person.residentCode'),
    my_number: parseMyNumber(person.myNumber, 'person.myNumber'),
    family_name: requireText(person.familyName, 'person.familyName', 100),
    given_name: requireText(person.givenName, 'person.givenName', 100),
    family_name_kana: familyNameKana,
    given_name_kana: givenNameKana,
    sex: person.sex,
    birth_date: person.birthDate,
  };
}

/** Locks and returns the person's row (SELECT … FOR UPDATE), or throws not-found. */
export async function lockPerson(
  trx: RegistryTrx,
  scope: TenantScope,
  residentCode: string,
): Promise<PersonRow> {
  const row = await trx
    .selectFrom('registry_persons')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('resident_code', '=', residentCode)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'No resident with that 住民票コード in this municipality.');
  return row as PersonRow;
}

/** The checks every event on an existing person shares: still resident, version, dates in order. */
export function checkExistingPerson(
  person: PersonRow,
  kind: LifeEventKind,
  effectiveOn: string,
  expectedVersion: number | undefined,
): void {
  if (expectedVersion !== undefined && expectedVersion !== person.version) {
    throw conflict('The record changed since you read it; reload it and try again.', {
      expectedVersion,
      currentVersion: person.version,
    });
  }
  if (person.status !== 'resident') {
    throw conflict(
      `Cannot record a ${eventLabel[kind]}: the person is ${person.status === 'deceased' ? 'deceased' : 'no longer resident (moved out)'}.`,
      { status: person.status },
    );
  }
  if (effectiveOn < person.birth_date) {
    throw conflict(`The ${eventLabel[kind]} is dated before the person's birth.`, { field: 'effectiveOn' });
  }
  if (effectiveOn < person.address_since) {
    throw conflict(`The ${eventLabel[kind]} is dated before the current address took effect.`, {
      field: 'effectiveOn',
      addressSince: person.address_since,
    });
  }
}

/** Household after the event: an existing one (by a member's 住民票コード) or a new one headed by the person. */
export async function resolveHousehold(
  trx: RegistryTrx,
  scope: TenantScope,
  choice: HouseholdChoice,
  personId: string,
  effectiveOn: string,
): Promise<{ householdId: string; relationship: string }> {
  if (choice.kind === 'new') {
    const householdId = randomUUID();
    await trx
      .insertInto('registry_households')
      .values({
        municipality_code: scope.municipalityCode,
        household_id: householdId,
        head_person_id: personId,
        created_on: effectiveOn,
      })
      .execute();
    return { householdId, relationship: HEAD_RELATIONSHIP };
  }
  const code = parseResidentCode(choice.residentCode, 'household.residentCode');
  const member = await trx
    .selectFrom('registry_persons')
    .select(['household_id', 'status'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('resident_code', '=', code)
    .executeTakeFirst();
  if (!member) {
    throw new MachiError('not-found', 'household.residentCode: no resident with that 住民票コード here.', {
      field: 'household.residentCode',
    });
  }
  if (member.status !== 'resident') {
    throw conflict(
      'household.residentCode: that person is no longer resident, so their household cannot be joined.',
      {
        field: 'household.residentCode',
      },
    );
  }
  const relationship = requireText(choice.relationship, 'household.relationship', 20);
  if (relationship === HEAD_RELATIONSHIP) {
    throw conflict('A person joining a household cannot be its 世帯主; the household has one.', {
      field: 'household.relationship',
    });
  }
  return { householdId: member.household_id, relationship };
}

/** When the head leaves a household (move, move out, death), the household has no head until one is named. */
export async function leaveHousehold(trx: RegistryTrx, scope: TenantScope, person: PersonRow): Promise<void> {
  await trx
    .updateTable('registry_households')
    .set({ head_person_id: null })
    .where('municipality_code', '=', scope.municipalityCode)
    .where('household_id', '=', person.household_id)
    .where('head_person_id', '=', person.person_id)
    .execute();
}

/** Ends the open residence period on `on` (periods are [valid_from, valid_to)). */
export async function closeResidence(trx: RegistryTrx, scope: TenantScope, personId: string, on: string) {
  await trx
    .updateTable('registry_residences')
    .set({ valid_to: on })
    .where('municipality_code', '=', scope.municipalityCode)
    .where('person_id', '=', personId)
    .where('valid_to', 'is', null)
    .execute();
}

export async function openResidence(
  trx: RegistryTrx,
  scope: TenantScope,
  values: { personId: string; from: string; address: string; householdId: string },
) {
  await trx
    .insertInto('registry_residences')
    .values({
      municipality_code: scope.municipalityCode,
      person_id: values.personId,
      valid_from: values.from,
      valid_to: null,
      address: values.address,
      household_id: values.householdId,
    })
    .execute();
}

/** Bumps the version, guarded by the version read under the row lock. */
export async function updatePerson(
  trx: RegistryTrx,
  scope: TenantScope,
  person: PersonRow,
  changes: Partial<Omit<RegistryPersonsTable, 'municipality_code' | 'person_id' | 'version'>>,
): Promise<number> {
  const result = await trx
    .updateTable('registry_persons')
    .set({ ...changes, version: person.version + 1 })
    .where('municipality_code', '=', scope.municipalityCode)
    .where('person_id', '=', person.person_id)
    .where('version', '=', person.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw conflict('The record changed while this event was being recorded; try again.');
  }
  return person.version + 1;
}

export interface EventValues {
  readonly personId: string;
  readonly kind: LifeEventKind;
  readonly effectiveOn: string;
  readonly recordedAt: Date;
  readonly recordedBy: string;
  readonly address?: string | null;
  readonly postalCode?: string | null;
  readonly householdId?: string | null;
  readonly relationship?: string | null;
  readonly otherAddress?: string | null;
  readonly otherMunicipalityCode?: string | null;
}

/** Appends the immutable event row and its audit entry (same transaction). Returns the event id. */
export async function appendEvent(
  trx: RegistryTrx,
  audit: AuditLog,
  scope: TenantScope,
  event: EventValues,
): Promise<string> {
  const eventId = randomUUID();
  await trx
    .insertInto('registry_events')
    .values({
      municipality_code: scope.municipalityCode,
      event_id: eventId,
      person_id: event.personId,
      kind: event.kind,
      effective_on: event.effectiveOn,
      recorded_at: event.recordedAt,
      recorded_by: event.recordedBy,
      address: event.address ?? null,
      postal_code: event.postalCode ?? null,
      household_id: event.householdId ?? null,
      relationship: event.relationship ?? null,
      other_address: event.otherAddress ?? null,
      other_municipality_code: event.otherMunicipalityCode ?? null,
    })
    .execute();
  // Opaque ids only: the audit log never holds names, addresses or numbers.
  await audit.append(trx, {
    municipalityCode: scope.municipalityCode,
    actor: event.recordedBy,
    action: `registry.${event.kind}`,
    target: event.personId,
    outcome: 'success',
    details: { eventId },
  });
  return eventId;
}
