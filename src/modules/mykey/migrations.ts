import type { ModuleMigrations } from '../../core/index.ts';

/**
 * The MyKey platform (internet zone). mykey_ids: the platform id a resident sets up with
 * the card (マイキーID), one per card holder and municipality, never the My Number; the
 * card's subject id links it to the resident's sign-ins.
 */
export const mykeyMigrations: ModuleMigrations = {
  module: 'mykey',
  migrations: [
    {
      id: '001-mykey-ids',
      sql: `
        create table mykey_ids (
          municipality_code char(6) not null,
          subject_id text not null,
          mykey_id text not null unique,
          created_at timestamptz not null,
          primary key (municipality_code, subject_id)
        );
      `,
    },
    {
      // Facility cards on the My Number card: a facility (library, gym, museum, bicycle parking)
      // registers with its municipality, its card readers get keys, a resident links the member
      // number of each facility card to the MyKey ID.
      id: '002-facility-cards',
      sql: `
        create table mykey_facilities (
          municipality_code char(6) not null,
          facility_id text not null,
          name_ja text not null,
          name_en text not null,
          kind text not null check (kind in ('library', 'gym', 'museum', 'bicycle-parking', 'other')),
          created_at timestamptz not null,
          primary key (municipality_code, facility_id)
        );

        create table mykey_facility_keys (
          key_id text primary key,
          municipality_code char(6) not null,
          facility_id text not null,
          secret_sha256 char(64) not null,
          label text not null,
          created_at timestamptz not null,
          revoked_at timestamptz,
          foreign key (municipality_code, facility_id) references mykey_facilities (municipality_code, facility_id)
        );

        create table mykey_facility_cards (
          municipality_code char(6) not null,
          facility_id text not null,
          mykey_id text not null,
          member_number text not null,
          linked_at timestamptz not null,
          primary key (municipality_code, facility_id, mykey_id),
          unique (municipality_code, facility_id, member_number),
          foreign key (municipality_code, facility_id) references mykey_facilities (municipality_code, facility_id)
        );
      `,
    },
  ],
};
