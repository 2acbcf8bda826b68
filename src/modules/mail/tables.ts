import type { Generated, Kysely } from 'kysely';

export interface MailAddressesTable {
  municipality_code: string;
  resident: string;
  address: string;
  confirm_token_hash: string | null;
  confirmed_at: Date | null;
  updated_at: Date;
}

export interface MailOutboxTable {
  mail_id: string;
  municipality_code: string;
  recipient: string;
  subject: string;
  body: string;
  created_at: Date;
  attempts: Generated<number>;
  next_attempt_at: Date;
  last_error: string | null;
  sent_at: Date | null;
}

export type MailDb = Kysely<{ mail_addresses: MailAddressesTable; mail_outbox: MailOutboxTable }>;
