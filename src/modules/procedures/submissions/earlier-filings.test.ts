import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/support/database.ts';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  migrate,
  parseLgCode,
  systemClock,
  tenantScope,
} from '../../../core/index.ts';
import { settingsMigrations } from '../settings/migrations.ts';
import { requireOffered, storeProcedureSetting } from '../settings/settings.ts';
import { earlierFiling } from './earlier-filings.ts';
import { fileTogether } from './file-together.ts';
import { submissionMigrations } from './migrations.ts';

let database: Database;
/** The statements each coalesced read ran, by name. */
const ran: string[] = [];
const CHIYODA = parseLgCode('131016');

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations, submissionMigrations, settingsMigrations]);
  const prepared = database.prepared.bind(database);
  database.prepared = async (name, query) => {
    ran.push(name);
    return prepared(name, query);
  };
});
afterAll(async () => {
  await database?.close();
});

async function file(submittedBy: string, idempotencyKey: string) {
  const row = {
    municipalityCode: CHIYODA,
    submissionId: randomUUID(),
    receiptNumber: `${CHIYODA}-20261202-${randomBytes(4).toString('hex').toUpperCase()}`,
    procedureId: 'pregnancy-notification',
    submittedBy,
    idempotencyKey,
    document: randomBytes(32),
    documentSha256: randomBytes(32).toString('hex'),
    signature: null,
    signatureSha256: null,
    signerSerial: null,
    submittedAt: new Date(),
  };
  const entry = {
    municipalityCode: CHIYODA,
    actor: submittedBy,
    action: 'procedures.submit',
    target: row.submissionId,
    outcome: 'success' as const,
  };
  expect(await fileTogether(database, createAuditLog(database, systemClock), row, entry)).toBe(true);
  return row;
}

describe('what every filing reads first, read with the filings of the moment', () => {
  it("finds each resident's earlier filing by its key, in one statement, and refuses a key that is no UUID", async () => {
    const [alice, bob] = [`resident:${randomUUID()}`, `resident:${randomUUID()}`];
    const key = randomUUID();
    const filed = await file(alice, key);
    ran.length = 0;
    const [same, upperCase, otherResident, notFiled, notUuid] = await Promise.allSettled([
      earlierFiling(database, alice, key),
      earlierFiling(database, alice, key.toUpperCase()),
      earlierFiling(database, bob, key),
      earlierFiling(database, alice, randomUUID()),
      earlierFiling(database, alice, `{${key}}`),
    ]);
    const found = {
      status: 'fulfilled',
      value: expect.objectContaining({ submission_id: filed.submissionId }),
    };
    expect(same).toEqual(found);
    expect(upperCase).toEqual(found);
    expect(otherResident).toEqual({ status: 'fulfilled', value: undefined });
    expect(notFiled).toEqual({ status: 'fulfilled', value: undefined });
    expect(notUuid).toMatchObject({ status: 'rejected', reason: { code: 'validation-failed' } });
    expect(ran).toEqual(['procedures_filings_by_key']);
  });

  it('refuses only the filings of a procedure turned off, reading the settings once for all', async () => {
    const scope = tenantScope(CHIYODA);
    await storeProcedureSetting(
      database.db,
      scope,
      { procedureId: 'child-allowance-certification', enabled: false, note: null },
      new Date(),
    );
    await storeProcedureSetting(
      database.db,
      scope,
      { procedureId: 'pregnancy-notification', enabled: true, note: null },
      new Date(),
    );
    ran.length = 0;
    const outcomes = await Promise.allSettled(
      [
        'pregnancy-notification',
        'child-allowance-certification',
        'pregnancy-notification',
        'disaster-certificate',
      ].map((procedureId) => requireOffered(database, scope, procedureId)),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(outcomes[1]).toMatchObject({ reason: { code: 'not-found' } });
    expect(ran).toEqual(['procedures_enabled']);
  });
});
