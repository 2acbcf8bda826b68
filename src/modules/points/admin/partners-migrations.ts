import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Partner companies as points staff keep them in lgwan (the internet zone gets each save, with
 * its revision, through the outbox): only the partner's public key, never a private one.
 * points_admin_invoice_requests: each month staff asked invoices for, and the internet zone's
 * answer once it arrives (per partner: exchanges, points and yen; no resident).
 */
export const pointsAdminPartnerMigrations: ModuleMigrations = {
  module: 'points-admin-partners',
  migrations: [
    {
      id: '001-partners-and-invoices',
      sql: `
        create table points_admin_partners (
          municipality_code char(6) not null,
          partner_id text not null,
          name text not null,
          public_key text not null,
          rate_partner_points integer not null check (rate_partner_points > 0),
          rate_points integer not null check (rate_points > 0),
          daily_cap_points integer not null check (daily_cap_points > 0),
          active boolean not null,
          revision integer not null check (revision > 0),
          updated_at timestamptz not null,
          updated_by text not null,
          primary key (municipality_code, partner_id)
        );

        create table points_admin_invoice_requests (
          municipality_code char(6) not null,
          request_id uuid not null,
          month char(7) not null,
          requested_at timestamptz not null,
          requested_by text not null,
          computed_at timestamptz,
          answered_at timestamptz,
          invoices jsonb,
          primary key (municipality_code, request_id)
        );
        create index points_admin_invoice_requests_month
          on points_admin_invoice_requests (municipality_code, month, requested_at);
      `,
    },
  ],
};
