import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * The points dashboard's copy of the figures (lgwan zone): each day's totals as the internet
 * zone last sent them, and what residents held when it sent them. Aggregates only.
 */
export const pointsDashboardMigrations: ModuleMigrations = {
  module: 'points-dashboard',
  migrations: [
    {
      id: '001-figures',
      sql: `
        create table points_figures_days (
          municipality_code char(6) not null,
          day date not null,
          issued bigint not null,
          spent bigint not null,
          refunded bigint not null,
          expired bigint not null,
          donated bigint not null,
          primary key (municipality_code, day)
        );

        create table points_figures_latest (
          municipality_code char(6) not null primary key,
          computed_at timestamptz not null,
          received_at timestamptz not null,
          outstanding bigint not null,
          holders integer not null
        );
      `,
    },
    {
      // A day's count is replaced only by a newer one: a push may count five weeks or two days,
      // and one that counted five weeks can arrive after a newer one that counted two. Rows
      // kept before this come from computations older than any to come.
      id: '002-days-computed-at',
      sql: `
        alter table points_figures_days
          add column computed_at timestamptz not null default '-infinity';
      `,
    },
  ],
};
