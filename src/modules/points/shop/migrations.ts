import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * The online shop of regional products (internet zone): products sold by merchants for points,
 * with stock; orders paid by a two-phase transfer — the points held when the order is placed,
 * posted when the seller confirms it, given back if it is cancelled or left too long.
 */
export const shopMigrations: ModuleMigrations = {
  module: 'points-shop',
  migrations: [
    {
      id: '001-shop',
      sql: `
        create table points_products (
          municipality_code char(6) not null,
          product_id text not null,
          merchant_id text not null,
          name_ja text not null,
          name_en text not null,
          price_points integer not null check (price_points > 0),
          stock integer not null check (stock >= 0),
          active boolean not null,
          created_at timestamptz not null,
          primary key (municipality_code, product_id),
          foreign key (municipality_code, merchant_id) references points_merchants (municipality_code, merchant_id)
        );

        create table points_orders (
          municipality_code char(6) not null,
          account_id text not null,
          order_id text not null,
          -- What the seller knows the order by: it names no buyer.
          ref char(16) not null,
          merchant_id text not null,
          state text not null check (state in ('reserved', 'confirmed', 'cancelled', 'expired')),
          total_points integer not null check (total_points > 0),
          items jsonb not null,
          transfer_id text not null,
          request_sha256 char(64) not null,
          created_at timestamptz not null,
          updated_at timestamptz not null,
          primary key (municipality_code, account_id, order_id),
          unique (municipality_code, ref)
        );
        create index points_orders_reserved on points_orders (municipality_code) where state = 'reserved';
      `,
    },
  ],
};
