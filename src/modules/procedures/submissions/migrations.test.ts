import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/support/database.ts';
import { type Database, migrate } from '../../../core/index.ts';
import { submissionMigrations } from './migrations.ts';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const before004 = {
  ...submissionMigrations,
  migrations: submissionMigrations.migrations.filter((migration) => migration.id < '004'),
};

describe('procedures-submissions 004: filings waiting to go inward as rows of their own', () => {
  it('keeps as unsent exactly the filings neither sent nor refused, and drops sent_at', async () => {
    await migrate(database.db, [before004]);
    const filings = {
      sent: randomUUID(),
      refused: randomUUID(),
      waiting: randomUUID(),
      withdrawn: randomUUID(),
    };
    for (const [name, id] of Object.entries(filings)) {
      await sql`
        insert into procedure_submissions (municipality_code, submission_id, receipt_number, procedure_id,
          submitted_by, idempotency_key, document, document_sha256, submitted_at, sent_at, forward_error,
          withdrawal_requested_at)
        values ('131016', ${id}, ${name}, 'pregnancy-notification', 'r1', ${randomUUID()}, '\\x00',
          ${'0'.repeat(64)}, '2026-12-01T00:00:00Z',
          ${name === 'sent' ? new Date() : null}, ${name === 'refused' ? 'not a filing' : null},
          ${name === 'withdrawn' ? new Date() : null})`.execute(database.db);
    }
    await migrate(database.db, [submissionMigrations]);
    const { rows } = await sql<{ submission_id: string }>`
      select submission_id from procedure_submissions_unsent order by submission_id`.execute(database.db);
    expect(rows.map((row) => row.submission_id)).toEqual([filings.waiting, filings.withdrawn].sort());
    const { rows: columns } = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.columns
      where table_name = 'procedure_submissions' and column_name = 'sent_at'`.execute(database.db);
    expect(columns[0]!.n).toBe(0);
  });
});
