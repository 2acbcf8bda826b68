import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * The registry's answer to a resident's prefill request (internet zone), one row per resident:
 * pending (answer null) from the request until mynumber's answer arrives through lgwan, then
 * ready for an hour. The answer is personal data (name, address, household), so it is kept
 * no longer: `expires_at` is an hour after the request while pending, an hour after the answer
 * once ready, and expired rows are not served and are deleted by the zone's upkeep.
 * `resident` is `resident:<subject id>`, as in the portal's other tables.
 */
export const prefillMigrations: ModuleMigrations = {
  module: 'procedures-prefill',
  migrations: [
    {
      id: '001-prefills',
      sql: `
        create table procedure_prefills (
          municipality_code char(6) not null,
          resident text not null,
          request_id uuid not null,
          -- { found, person, householdMembers, asOf }; null while pending.
          answer jsonb,
          requested_at timestamptz not null,
          answered_at timestamptz,
          expires_at timestamptz not null,
          primary key (municipality_code, resident)
        );
        create index procedure_prefills_expiry on procedure_prefills (expires_at);
      `,
    },
  ],
};
