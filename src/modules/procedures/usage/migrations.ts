import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Filings made on paper (at the counter, by post), counted by staff per procedure and fiscal
 * year (年度): the other half of the online usage rate (オンライン利用率), whose online half
 * the back office counts from its own cases.
 */
export const usageMigrations: ModuleMigrations = {
  module: 'procedures-usage',
  migrations: [
    {
      id: '001-paper-counts',
      sql: `
        create table procedure_paper_counts (
          municipality_code char(6) not null,
          procedure_id text not null,
          fiscal_year integer not null check (fiscal_year between 2000 and 2200),
          filings integer not null check (filings >= 0),
          updated_at timestamptz not null,
          updated_by text not null,
          primary key (municipality_code, procedure_id, fiscal_year)
        );
      `,
    },
  ],
};
