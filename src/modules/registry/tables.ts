import type { ColumnType } from 'kysely';

/** `date` columns: written as 'YYYY-MM-DD' strings, read back as strings (see db type parser). */
type DateColumn = string;

export interface RegistryPersonsTable {
  municipality_code: string;
  person_id: string;
  resident_code: string;
  my_number: string;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  sex: 1 | 2 | 9;
  birth_date: DateColumn;
  postal_code: string | null;
  address: string;
  household_id: string;
  relationship: string;
  status: 'resident' | 'moved-out' | 'deceased';
  address_since: DateColumn;
  left_on: DateColumn | null;
  version: ColumnType<number, number | undefined, number>;
}

export interface RegistryHouseholdsTable {
  municipality_code: string;
  household_id: string;
  head_person_id: string | null;
  created_on: DateColumn;
}

export type LifeEventKind = 'birth' | 'move-in' | 'move-within' | 'move-out' | 'death';

export interface RegistryEventsTable {
  municipality_code: string;
  event_id: string;
  person_id: string;
  kind: LifeEventKind;
  effective_on: DateColumn;
  recorded_at: ColumnType<Date, Date | string, never>;
  recorded_by: string;
  address: string | null;
  postal_code: string | null;
  household_id: string | null;
  relationship: string | null;
  other_address: string | null;
  other_municipality_code: string | null;
}

export interface RegistryResidencesTable {
  municipality_code: string;
  person_id: string;
  valid_from: DateColumn;
  valid_to: DateColumn | null;
  address: string;
  household_id: string;
}

export interface RegistryTables {
  registry_persons: RegistryPersonsTable;
  registry_households: RegistryHouseholdsTable;
  registry_events: RegistryEventsTable;
  registry_residences: RegistryResidencesTable;
}
