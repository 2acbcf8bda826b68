import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Earning programmes (internet zone): what a municipality grants points for — volunteering,
 * an event, a health walk — with a cap per person and period, and how long the points last.
 * points_earnings: each grant under its transfer id, with the period it counts against, so the
 * cap is a sum over one index range.
 */
export const earningMigrations: ModuleMigrations = {
  module: 'points-earning',
  migrations: [
    {
      id: '001-programmes',
      sql: `
        create table points_programmes (
          municipality_code char(6) not null,
          programme_id text not null,
          name_ja text not null,
          name_en text not null,
          points integer not null check (points > 0),
          cap_points integer not null check (cap_points > 0),
          cap_period text not null check (cap_period in ('day', 'month', 'fiscal-year')),
          expiry_months integer check (expiry_months between 1 and 120),
          active boolean not null,
          created_at timestamptz not null,
          primary key (municipality_code, programme_id)
        );

        create table points_earnings (
          municipality_code char(6) not null,
          transfer_id text not null,
          programme_id text not null,
          account_id text not null,
          period text not null,
          points integer not null,
          earned_at timestamptz not null,
          primary key (municipality_code, transfer_id)
        );
        create index points_earnings_cap on points_earnings (municipality_code, programme_id, account_id, period);
      `,
    },
    {
      id: '002-grant-codes',
      sql: `
        -- Participation codes handed out at an event: only a digest is kept, and each is redeemed once.
        create table points_grant_codes (
          municipality_code char(6) not null,
          code_sha256 char(64) not null,
          programme_id text not null,
          batch_id text not null,
          redeemed_by text,
          redeemed_at timestamptz,
          valid_until timestamptz not null,
          created_at timestamptz not null,
          primary key (municipality_code, code_sha256)
        );
        create index points_grant_codes_batch on points_grant_codes (municipality_code, programme_id, batch_id);
      `,
    },
    {
      id: '003-eligibility',
      sql: `
        -- Who may earn: residents of at least this age on the day of the grant (from the registry); null: anyone.
        alter table points_programmes add column min_age integer check (min_age between 1 and 130);
      `,
    },
  ],
};
