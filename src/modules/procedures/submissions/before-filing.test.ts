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
import { storeProcedureSetting } from '../settings/settings.ts';
import { beforeFiling } from './before-filing.ts';
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
  it("finds each resident's earlier filing and whether its procedure is offered, all in one statement", async () => {
    const scope = tenantScope(CHIYODA);
    const now = new Date();
    const off = { procedureId: 'child-allowance-certification', enabled: false, note: null };
    await storeProcedureSetting(database.db, scope, off, now);
    const on = { procedureId: 'pregnancy-notification', enabled: true, note: null };
    await storeProcedureSetting(database.db, scope, on, now);
    const [alice, bob] = [`resident:${randomUUID()}`, `resident:${randomUUID()}`];
    const key = randomUUID();
    const filed = await file(alice, key);
    ran.length = 0;
    const read = (submittedBy: string, idempotencyKey: string, procedureId = 'pregnancy-notification') =>
      beforeFiling(database, { submittedBy, idempotencyKey, municipalityCode: CHIYODA, procedureId });
    const [same, upperCase, otherResident, turnedOff, noSetting, notUuid] = await Promise.allSettled([
      read(alice, key),
      read(alice, key.toUpperCase()),
      read(bob, key),
      read(bob, randomUUID(), 'child-allowance-certification'),
      read(bob, randomUUID(), 'disaster-certificate'),
      read(alice, `{${key}}`),
    ]);
    const found = {
      status: 'fulfilled',
      value: { earlier: expect.objectContaining({ submission_id: filed.submissionId }), offered: true },
    };
    expect(same).toEqual(found);
    expect(upperCase).toEqual(found);
    expect(otherResident).toEqual({ status: 'fulfilled', value: { earlier: undefined, offered: true } });
    expect(turnedOff).toEqual({ status: 'fulfilled', value: { earlier: undefined, offered: false } });
    expect(noSetting).toEqual({ status: 'fulfilled', value: { earlier: undefined, offered: true } });
    expect(notUuid).toMatchObject({ status: 'rejected', reason: { code: 'validation-failed' } });
    expect(ran).toEqual(['procedures_before_filing']);
    const { earlier } = (same as PromiseFulfilledResult<Awaited<ReturnType<typeof read>>>).value;
    expect(new Date(earlier!.submitted_at).getTime()).toBe(filed.submittedAt.getTime());
    expect(earlier!.document_sha256).toBe(filed.documentSha256);
  });
});
