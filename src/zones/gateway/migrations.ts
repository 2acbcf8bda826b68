import type { ModuleMigrations } from '../../core/index.ts';

/**
 * gateway_inbox: every message a zone has processed, written in the same
 * transaction as the handler's effect, so a message id is processed once
 * (the primary key makes a concurrent duplicate wait, then see the first result).
 * Held by every zone that receives: lgwan (pushes) and mynumber (pulls).
 *
 * Not a tenant table: the key is the message id; municipality_code is carried
 * for queries by municipality and may be null for deployment-wide messages.
 */
export const gatewayInboxMigrations: ModuleMigrations = {
  module: 'gateway-inbox',
  migrations: [
    {
      id: '001-gateway-inbox',
      sql: `
        create table gateway_inbox (
          message_id uuid primary key,
          municipality_code char(6),
          from_zone text not null check (from_zone in ('internet', 'lgwan', 'mynumber')),
          type text not null,
          version integer not null,
          received_at timestamptz not null,
          result jsonb
        );
        create index gateway_inbox_received on gateway_inbox (received_at);
      `,
    },
  ],
};

/**
 * gateway_outbox: messages waiting for a zone that pulls (mynumber pulls from
 * lgwan; lgwan never connects to it). A pull leases a batch until `leased_until`;
 * an ack marks them done. A puller that crashes before acking gets the batch
 * again when the lease runs out, and its inbox makes the second delivery harmless.
 */
export const gatewayOutboxMigrations: ModuleMigrations = {
  module: 'gateway-outbox',
  migrations: [
    {
      id: '001-gateway-outbox',
      sql: `
        create table gateway_outbox (
          message_id uuid primary key,
          municipality_code char(6),
          to_zone text not null check (to_zone in ('internet', 'lgwan', 'mynumber')),
          type text not null,
          version integer not null,
          envelope jsonb not null,
          created_at timestamptz not null,
          seq bigint generated always as identity,
          attempts integer not null default 0,
          leased_until timestamptz,
          acked_at timestamptz,
          outcome text check (outcome in ('processed', 'rejected'))
        );
        create index gateway_outbox_pending on gateway_outbox (to_zone, seq) where acked_at is null;
      `,
    },
  ],
};
