import type { ModuleMigrations } from '../../core/index.ts';

/**
 * Statistics held in the lgwan zone. population_snapshots keeps the latest
 * population counts per municipality, as the mynumber zone last sent them
 * (aggregates only: the registry itself never leaves mynumber).
 */
export const statisticsMigrations: ModuleMigrations = {
  module: 'statistics',
  migrations: [
    {
      id: '001-population-snapshots',
      sql: `
        create table population_snapshots (
          municipality_code char(6) not null,
          as_of date not null,
          computed_at timestamptz not null,
          received_at timestamptz not null,
          total integer not null check (total >= 0),
          by_sex jsonb not null,
          by_age_band jsonb not null,
          primary key (municipality_code)
        );
      `,
    },
  ],
};
