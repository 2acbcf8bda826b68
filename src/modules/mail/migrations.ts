import type { ModuleMigrations } from '../../core/index.ts';

/**
 * E-mail (internet zone, the only zone that reaches an SMTP server). mail_addresses: a
 * resident's address for notices, used only once confirmed by the link sent to it.
 * mail_outbox: mails written in the transaction of what they announce, sent afterwards by the
 * sender (so a crash loses none; a crash between sending and marking may send one twice, and
 * the fixed Message-ID lets mail clients fold the copies).
 */
export const mailMigrations: ModuleMigrations = {
  module: 'mail',
  migrations: [
    {
      id: '001-mail',
      sql: `
        create table mail_addresses (
          municipality_code char(6) not null,
          resident text not null,
          address text not null,
          confirm_token_hash char(64),
          confirmed_at timestamptz,
          updated_at timestamptz not null,
          primary key (municipality_code, resident)
        );
        create unique index mail_addresses_token on mail_addresses (confirm_token_hash)
          where confirm_token_hash is not null;

        create table mail_outbox (
          mail_id uuid primary key,
          municipality_code char(6) not null,
          recipient text not null,
          subject text not null,
          body text not null,
          created_at timestamptz not null,
          attempts integer not null default 0,
          next_attempt_at timestamptz not null,
          last_error text,
          sent_at timestamptz
        );
        create index mail_outbox_pending on mail_outbox (next_attempt_at) where sent_at is null;
      `,
    },
  ],
};
