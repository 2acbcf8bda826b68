import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, LgCode } from '../../core/index.ts';
import type { MailDb } from './tables.ts';
import type { MailTransport } from './transport.ts';

const MAX_ATTEMPTS = 8;

/** Writes a mail to send, inside the caller's transaction (it goes only if that commits). */
export async function enqueueMail(
  // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
  trx: Kysely<any>,
  mail: { municipalityCode: LgCode; recipient: string; subject: string; body: string },
  now: Date,
): Promise<string> {
  const mailId = randomUUID();
  await (trx as MailDb)
    .insertInto('mail_outbox')
    .values({
      mail_id: mailId,
      municipality_code: mail.municipalityCode,
      recipient: mail.recipient,
      subject: mail.subject,
      body: mail.body,
      created_at: now,
      next_attempt_at: now,
    })
    .execute();
  return mailId;
}

/**
 * Sends what is due, oldest first. A failure is retried later with a growing pause (1, 2, 4…
 * minutes), up to eight attempts; the error kept says why, never the address or the text.
 */
export async function sendPendingMail(
  database: Database,
  transport: MailTransport,
  options: { from: string; domain: string; now: Date; limit?: number },
): Promise<{ sent: number; failed: number }> {
  const db = database.db as MailDb;
  const due = await db
    .selectFrom('mail_outbox')
    .select(['mail_id', 'recipient', 'subject', 'body', 'attempts'])
    .where('sent_at', 'is', null)
    .where('attempts', '<', MAX_ATTEMPTS)
    .where('next_attempt_at', '<=', options.now)
    .orderBy('created_at')
    .limit(options.limit ?? 50)
    .execute();
  let sent = 0;
  let failed = 0;
  for (const mail of due) {
    try {
      await transport.send({
        messageId: `<${mail.mail_id}@${options.domain}>`,
        from: options.from,
        to: mail.recipient,
        subject: mail.subject,
        text: mail.body,
      });
      await db
        .updateTable('mail_outbox')
        .set({ sent_at: new Date() })
        .where('mail_id', '=', mail.mail_id)
        .execute();
      sent += 1;
    } catch (error) {
      const attempts = mail.attempts + 1;
      await db
        .updateTable('mail_outbox')
        .set({
          attempts,
          last_error: (error as { code?: string }).code ?? 'send-failed',
          next_attempt_at: new Date(options.now.getTime() + 60_000 * 2 ** (attempts - 1)),
        })
        .where('mail_id', '=', mail.mail_id)
        .execute();
      failed += 1;
    }
  }
  return { sent, failed };
}
