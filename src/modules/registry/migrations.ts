import type { ModuleMigrations } from '../../core/index.ts';

/**
 * The resident registry (住民基本台帳) tables, in the `mynumber` zone only.
 *
 * - registry_persons: one row per person registered in the municipality, with
 *   their current state (the 住民票 as it reads today). Lookups read only this.
 * - registry_households: 世帯 with their head (世帯主).
 * - registry_events: life events (birth, move in, move within, move out, death)
 *   as recorded, never changed afterwards.
 * - registry_residences: residence periods derived from the events, so that
 *   "who lived where on date X" is one indexed query. A period is [valid_from, valid_to).
 *
 * Every table leads with municipality_code (sharding key, tenant scope).
 */
export const registryMigrations: ModuleMigrations = {
  module: 'registry',
  migrations: [
    {
      id: '001-registry',
      sql: `
        create table registry_households (
          municipality_code char(6) not null,
          household_id uuid not null,
          head_person_id uuid,
          created_on date not null,
          primary key (municipality_code, household_id)
        );

        create table registry_persons (
          municipality_code char(6) not null,
          person_id uuid not null,
          resident_code char(11) not null,
          my_number char(12) not null,
          family_name text not null,
          given_name text not null,
          family_name_kana text not null,
          given_name_kana text not null,
          -- ISO/IEC 5218: 1 male, 2 female, 9 not applicable
          sex smallint not null check (sex in (1, 2, 9)),
          birth_date date not null,
          postal_code char(7),
          -- The address within the municipality (丁目・番地), written as on the 住民票.
          address text not null,
          household_id uuid not null,
          -- 続柄 to the head of household, e.g. 世帯主, 妻, 子
          relationship text not null,
          status text not null check (status in ('resident', 'moved-out', 'deceased')),
          -- The date the current address took effect (birth, move in or move within).
          address_since date not null,
          -- Set when status is not 'resident': date of move out or death.
          left_on date,
          version integer not null default 1,
          primary key (municipality_code, person_id),
          unique (municipality_code, resident_code),
          unique (municipality_code, my_number)
        );
        create index registry_persons_kana on registry_persons
          (municipality_code, family_name_kana text_pattern_ops, given_name_kana text_pattern_ops);
        create index registry_persons_name on registry_persons
          (municipality_code, family_name text_pattern_ops, given_name text_pattern_ops);
        create index registry_persons_birth on registry_persons (municipality_code, birth_date);
        create index registry_persons_address on registry_persons (municipality_code, address text_pattern_ops);
        create index registry_persons_household on registry_persons (municipality_code, household_id);

        create table registry_events (
          municipality_code char(6) not null,
          event_id uuid not null,
          person_id uuid not null,
          kind text not null check (kind in ('birth', 'move-in', 'move-within', 'move-out', 'death')),
          -- The day the event happened (届出の異動日), not the day it was recorded.
          effective_on date not null,
          recorded_at timestamptz not null,
          recorded_by text not null,
          -- New address for birth, move in and move within; null otherwise.
          address text,
          postal_code char(7),
          household_id uuid,
          relationship text,
          -- Move in: where from; move out: where to (address text and 地方公共団体コード if known).
          other_address text,
          other_municipality_code char(6),
          primary key (municipality_code, event_id)
        );
        create index registry_events_person on registry_events (municipality_code, person_id, effective_on);

        create table registry_residences (
          municipality_code char(6) not null,
          person_id uuid not null,
          valid_from date not null,
          valid_to date,
          address text not null,
          household_id uuid not null,
          primary key (municipality_code, person_id, valid_from),
          check (valid_to is null or valid_to >= valid_from)
        );
        create index registry_residences_address on registry_residences
          (municipality_code, address text_pattern_ops, valid_from);
      `,
    },
  ],
};
