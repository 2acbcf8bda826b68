import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/support/database.ts';
import {
  type AuditEntry,
  type AuditLog,
  auditMigrations,
  createAuditLog,
  type Database,
  migrate,
  parseLgCode,
  systemClock,
  verifyAuditChain,
} from '../../../core/index.ts';
import { type FilingRow, fileTogether } from './file-together.ts';
import { submissionMigrations } from './migrations.ts';

let database: Database;
let audit: AuditLog;
/** How many rows each run of the shared statement was given. */
const statements: number[] = [];
const CHIYODA = parseLgCode('131016');

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations, submissionMigrations]);
  audit = createAuditLog(database, systemClock);
  const prepared = database.prepared.bind(database);
  database.prepared = async (name, query) => {
    if (name === 'procedures_file_together') {
      statements.push((query.parameters.find(Array.isArray) as unknown[]).length);
    }
    return prepared(name, query);
  };
});
afterAll(async () => {
  await database?.close();
});

function filing(overrides: Partial<FilingRow> = {}): { row: FilingRow; entry: AuditEntry } {
  const document = randomBytes(64);
  const row: FilingRow = {
    municipalityCode: CHIYODA,
    submissionId: randomUUID(),
    receiptNumber: `${CHIYODA}-20261201-${randomBytes(4).toString('hex').toUpperCase()}`,
    procedureId: 'pregnancy-notification',
    submittedBy: randomUUID(),
    idempotencyKey: randomUUID(),
    document,
    documentSha256: randomBytes(32).toString('hex'),
    signature: randomBytes(32),
    signatureSha256: randomBytes(32).toString('hex'),
    signerSerial: randomBytes(8).toString('hex'),
    submittedAt: new Date(),
    ...overrides,
  };
  const entry: AuditEntry = {
    municipalityCode: CHIYODA,
    actor: row.submittedBy,
    action: 'procedures.submit',
    target: row.submissionId,
    outcome: 'success',
  };
  return { row, entry };
}

const fileAll = (filings: readonly { row: FilingRow; entry: AuditEntry }[]) =>
  Promise.all(filings.map(({ row, entry }) => fileTogether(database, audit, row, entry)));

/** Each filing's row, its row waiting to go inward, and its audit entry, counted. */
async function kept(
  rows: readonly FilingRow[],
): Promise<{ stored: number; unsent: number; audited: number }> {
  const ids = rows.map((row) => row.submissionId);
  const { rows: counts } = await sql<{ stored: number; unsent: number; audited: number }>`
    select
      (select count(*)::int from procedure_submissions where submission_id::text = any(${ids})) as stored,
      (select count(*)::int from procedure_submissions_unsent where submission_id::text = any(${ids})) as unsent,
      (select count(*)::int from audit_log where action = 'procedures.submit' and target = any(${ids})) as audited
  `.execute(database.db);
  return counts[0]!;
}

describe('filings kept together', () => {
  it('keeps the filings of the moment in one statement, each with its audit entry', async () => {
    statements.length = 0;
    const filings = Array.from({ length: 5 }, () => filing());
    expect(await fileAll(filings)).toEqual([true, true, true, true, true]);
    expect(statements).toEqual([5]);
    const stored = await sql<{ document: Uint8Array; signature: Uint8Array; submitted_at: Date }>`
      select document, signature, submitted_at from procedure_submissions
      where submission_id = ${filings[0]!.row.submissionId}`.execute(database.db);
    expect(Buffer.from(stored.rows[0]!.document).equals(Buffer.from(filings[0]!.row.document))).toBe(true);
    expect(Buffer.from(stored.rows[0]!.signature).equals(Buffer.from(filings[0]!.row.signature!))).toBe(true);
    expect(new Date(stored.rows[0]!.submitted_at).getTime()).toBe(filings[0]!.row.submittedAt.getTime());
    expect(await kept(filings.map((f) => f.row))).toEqual({ stored: 5, unsent: 5, audited: 5 });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('keeps nothing of a group in which one filing clashes, for each to go alone', async () => {
    const first = filing();
    expect(await fileAll([first])).toEqual([true]);
    const others = [filing(), filing({ signature: null, signatureSha256: null })];
    // The same resident and key again (a double click), under another receipt.
    const again = filing({ submittedBy: first.row.submittedBy, idempotencyKey: first.row.idempotencyKey });
    expect(await fileAll([...others, again])).toEqual([false, false, false]);
    expect(await kept([...others, again].map((f) => f.row))).toEqual({ stored: 0, unsent: 0, audited: 0 });
    // Alone (or in a group without the clash), the others are kept.
    expect(await fileAll(others)).toEqual([true, true]);
    expect(await kept(others.map((f) => f.row))).toEqual({ stored: 2, unsent: 2, audited: 2 });
  });

  it('goes again as a group when another writer moved the chain’s head, and never forks the chain', async () => {
    await fileAll([filing()]);
    const other = createAuditLog(database, systemClock);
    await other.record({
      municipalityCode: null,
      actor: 'system',
      action: 'test.elsewhere',
      outcome: 'success',
    });
    statements.length = 0;
    const late = [filing(), filing()];
    // Refused on the old head, then kept together on the head read anew: not sent alone.
    expect(await fileAll(late)).toEqual([true, true]);
    expect(statements).toEqual([2, 2]);
    expect(await kept(late.map((f) => f.row))).toEqual({ stored: 2, unsent: 2, audited: 2 });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('keeps a filing of a card’s size whole in its row: not compressed, nothing in the TOAST table', async () => {
    // A ~1 KB document and a ~2 KB signature that no compressor shrinks, as a card's CMS.
    const whole = filing({ document: randomBytes(1100), signature: randomBytes(1900) });
    expect(await fileAll([whole])).toEqual([true]);
    const { rows } = await sql<{ compressed: string | null; toasted: number }>`
      select pg_column_compression(signature) as compressed,
        (select pg_relation_size(reltoastrelid)::int from pg_class where relname = 'procedure_submissions') as toasted
      from procedure_submissions where submission_id = ${whole.row.submissionId}`.execute(database.db);
    expect(rows[0]).toEqual({ compressed: null, toasted: 0 });
  });
});
