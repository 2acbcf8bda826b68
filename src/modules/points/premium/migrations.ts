import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * Premium points (プレミアムポイント, internet zone): a resident pays yen and gets more points
 * than they paid for, the extra paid from a public budget.
 *
 * points_premium_offers: what is on sale — the price of a unit in yen, the points a unit
 *   gives (at least the price: the difference is the premium), the most units one person may
 *   buy, an optional sales window and the points' expiry. Each offer's public budget is a
 *   `budget` account of the ledger, which can never go below zero: that is the budget cap.
 * points_premium_purchases: each purchase under the id the resident's app chose, with the
 *   ledger reservation (`transfer_id`) that holds its points and premium while the card is
 *   charged, and the key the payment provider knows it by. `reserved` until the provider's
 *   answer is known, then `paid` or `voided`; `refunding` → `refunded` only if a payment went
 *   through after its reservation had lapsed (the money goes back, no points are given).
 */
export const premiumMigrations: ModuleMigrations = {
  module: 'points-premium',
  migrations: [
    {
      id: '001-premium',
      sql: `
        create table points_premium_offers (
          municipality_code char(6) not null,
          offer_id text not null,
          name_ja text not null,
          name_en text not null,
          price_yen integer not null check (price_yen > 0),
          points integer not null,
          max_units_per_person integer not null check (max_units_per_person > 0),
          points_expire_on date,
          sales_from timestamptz,
          sales_until timestamptz,
          active boolean not null,
          created_at timestamptz not null,
          primary key (municipality_code, offer_id),
          check (points >= price_yen)
        );

        create table points_premium_purchases (
          municipality_code char(6) not null,
          account_id text not null,
          purchase_id text not null,
          offer_id text not null,
          units integer not null check (units > 0),
          amount_yen integer not null check (amount_yen > 0),
          points integer not null check (points >= amount_yen),
          state text not null check (state in ('reserved', 'paid', 'voided', 'refunding', 'refunded')),
          transfer_id text not null,
          -- Sent to the provider as the idempotency key: random, so it names nobody.
          payment_key text not null,
          provider text not null,
          provider_payment_id text,
          decline_code text,
          created_at timestamptz not null,
          updated_at timestamptz not null,
          primary key (municipality_code, account_id, purchase_id),
          unique (municipality_code, transfer_id),
          foreign key (municipality_code, offer_id) references points_premium_offers (municipality_code, offer_id)
        );
        create index points_premium_purchases_cap on points_premium_purchases (municipality_code, offer_id, account_id);
        create index points_premium_purchases_open on points_premium_purchases (municipality_code, created_at)
          where state in ('reserved', 'refunding');
      `,
    },
    {
      // Staff define offers in lgwan (savePremiumOffer): each save is the next revision, so a
      // message delivered again after a newer one cannot turn the terms back. 0: made here.
      id: '002-offer-revision',
      sql: `
        alter table points_premium_offers add column revision integer not null default 0;
      `,
    },
  ],
};
