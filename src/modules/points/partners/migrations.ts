import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Partner companies (card issuers, airlines, carriers) that convert their points into a
 * municipality's points (地域経済応援ポイント), internet zone. A partner signs each call with its
 * Ed25519 key; only the public key is kept here, so nothing stored can forge a partner's call.
 * points_exchanges: each conversion under the partner's exchange id, with the day it counts
 * against the daily cap and the month it is invoiced in.
 */
export const partnerMigrations: ModuleMigrations = {
  module: 'points-partners',
  migrations: [
    {
      id: '001-partners',
      sql: `
        create table points_partners (
          municipality_code char(6) not null,
          partner_id text not null,
          name text not null,
          public_key text not null,
          rate_partner_points integer not null check (rate_partner_points > 0),
          rate_points integer not null check (rate_points > 0),
          daily_cap_points integer not null check (daily_cap_points > 0),
          active boolean not null,
          created_at timestamptz not null,
          primary key (municipality_code, partner_id)
        );

        create table points_exchanges (
          municipality_code char(6) not null,
          partner_id text not null,
          exchange_id text not null,
          account_id text not null,
          partner_points bigint not null check (partner_points > 0),
          points bigint not null check (points > 0),
          day date not null,
          created_at timestamptz not null,
          primary key (municipality_code, partner_id, exchange_id)
        );
        create index points_exchanges_cap on points_exchanges (municipality_code, partner_id, account_id, day);
      `,
    },
    {
      // Staff register partners in lgwan (registerPartnerRevision): each save is the next
      // revision, so a message delivered again after a newer one cannot turn a change back.
      // 0: registered here.
      id: '002-partner-revision',
      sql: `
        alter table points_partners add column revision integer not null default 0;
      `,
    },
  ],
};
