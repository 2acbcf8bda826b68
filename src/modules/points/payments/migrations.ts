import type { ModuleMigrations } from '../../../core/index.ts';

/**
 * One-time codes a resident shows at the till (利用者提示型, JPQR consumer-presented): only each
 * code's SHA-256 is kept, so a copy of the table cannot pay. A code pays once: used_at, the
 * merchant that charged it, the terminal's charge id and the payment's transfer id are set in
 * the transaction that posts the payment. A terminal's charge id names one charge of one code.
 */
export const paymentCodeMigrations: ModuleMigrations = {
  module: 'points-payment-codes',
  migrations: [
    {
      id: '001-payment-codes',
      sql: `
        create table points_payment_codes (
          municipality_code char(6) not null,
          code_sha256 char(64) not null,
          my_key_id text not null,
          created_at timestamptz not null,
          expires_at timestamptz not null,
          used_at timestamptz,
          used_by text,
          charge_id text,
          transfer_id text,
          primary key (municipality_code, code_sha256)
        );
        -- A resident's live codes (few), and the old ones cleared when a new one is made.
        create index points_payment_codes_resident on points_payment_codes (municipality_code, my_key_id, expires_at);
        create unique index points_payment_codes_charge on points_payment_codes (municipality_code, used_by, charge_id)
          where charge_id is not null;
      `,
    },
  ],
};
