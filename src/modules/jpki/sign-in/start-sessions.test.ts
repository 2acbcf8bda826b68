import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/support/database.ts';
import { type Database, migrate } from '../../../core/index.ts';
import { jpkiStatusMigrations } from '../status/migrations.ts';
import { storeStatus } from '../status/status-store.ts';
import type { JpkiStatusDb } from '../status/tables.ts';
import type { OpenedChallenge } from './challenge.ts';
import { residentSignInMigrations } from './migrations.ts';
import { verifyResidentSession } from './resident-sessions.ts';
import { startResidentSession } from './start-sessions.ts';
import type { ResidentSignInDb } from './tables.ts';

let database: Database;
const now = new Date();
const CHIYODA = '131016';

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [jpkiStatusMigrations, residentSignInMigrations]);
});
afterAll(async () => {
  await database?.close();
});

async function publish(
  kind: 'auth' | 'signing',
  options: { revoked?: boolean; municipalityCode?: string } = {},
): Promise<string> {
  const serialNumber = randomBytes(16).toString('hex');
  await storeStatus(database.db as JpkiStatusDb, {
    municipalityCode: options.municipalityCode ?? CHIYODA,
    serialNumber,
    kind,
    notAfter: new Date(now.getTime() + 86_400_000).toISOString(),
    revokedAt: options.revoked ? new Date(now.getTime() - 1000).toISOString() : null,
    reason: options.revoked ? 'keyCompromise' : null,
    subjectId: kind === 'auth' ? randomUUID() : null,
    version: 1,
  });
  return serialNumber;
}

const challenge = (): OpenedChallenge => ({
  nonce: randomBytes(32).toString('base64url'),
  expiresAt: new Date(now.getTime() + 120_000),
});

async function spent(nonce: string): Promise<boolean> {
  const row = await (database.db as ResidentSignInDb)
    .selectFrom('jpki_used_challenges')
    .select('nonce')
    .where('nonce', '=', nonce)
    .executeTakeFirst();
  return row !== undefined;
}

describe('startResidentSession', () => {
  it('starts a session for a known auth certificate and spends the challenge once', async () => {
    const serial = await publish('auth');
    const opened = challenge();
    const session = await startResidentSession(database, serial, opened, undefined, now);
    expect(session.principal).toMatchObject({ municipalityCode: CHIYODA, authSerial: serial });
    expect(await verifyResidentSession(database, session.cookieValue, now)).toMatchObject({
      sessionId: session.principal.sessionId,
      subjectId: session.principal.subjectId,
    });
    expect(await spent(opened.nonce)).toBe(true);
    await expect(startResidentSession(database, serial, opened, undefined, now)).rejects.toMatchObject({
      code: 'challenge-invalid',
    });
  });

  it('refuses unknown, signing and revoked certificates without spending the challenge', async () => {
    const cases: [string, string][] = [
      [randomBytes(16).toString('hex'), 'certificate-status-unknown'],
      [await publish('signing'), 'certificate-status-unknown'],
      [await publish('auth', { revoked: true }), 'certificate-revoked'],
    ];
    for (const [serial, code] of cases) {
      const opened = challenge();
      await expect(startResidentSession(database, serial, opened, undefined, now)).rejects.toMatchObject({
        code,
      });
      expect(await spent(opened.nonce)).toBe(false);
    }
    // A municipality code that fails its check digit (never published so): refused, and
    // no session is left behind (its challenge is spent: this card can never sign in anyway).
    const misfiled = await publish('auth', { municipalityCode: '131017' });
    await expect(startResidentSession(database, misfiled, challenge(), undefined, now)).rejects.toMatchObject(
      {
        code: 'certificate-status-unknown',
      },
    );
    const sessions = await (database.db as ResidentSignInDb)
      .selectFrom('resident_sessions')
      .select('auth_serial')
      .where('auth_serial', 'in', [...cases.map(([serial]) => serial), misfiled])
      .execute();
    expect(sessions).toEqual([]);
  });

  it('ends the session the browser brought, only when the new one starts', async () => {
    const serial = await publish('auth');
    const first = await startResidentSession(database, serial, challenge(), undefined, now);
    const revoked = await publish('auth', { revoked: true });
    await expect(
      startResidentSession(database, revoked, challenge(), first.cookieValue, now),
    ).rejects.toMatchObject({ code: 'certificate-revoked' });
    expect(await verifyResidentSession(database, first.cookieValue, now)).toBeDefined();
    const second = await startResidentSession(database, serial, challenge(), first.cookieValue, now);
    expect(await verifyResidentSession(database, first.cookieValue, now)).toBeUndefined();
    expect(await verifyResidentSession(database, second.cookieValue, now)).toBeDefined();
  });

  it('signs in many residents at once in shared statements; a challenge answered twice at once wins once', async () => {
    const serials = await Promise.all(Array.from({ length: 20 }, () => publish('auth')));
    const replayed = challenge();
    const results = await Promise.allSettled([
      ...serials.map((serial) => startResidentSession(database, serial, challenge(), undefined, now)),
      startResidentSession(database, serials[0]!, replayed, undefined, now),
      startResidentSession(database, serials[1]!, replayed, undefined, now),
      startResidentSession(database, randomBytes(16).toString('hex'), challenge(), undefined, now),
    ]);
    const outcome = results.map((result) =>
      result.status === 'fulfilled' ? 'ok' : (result.reason as { code: string }).code,
    );
    expect(outcome.slice(0, 20)).toEqual(Array(20).fill('ok'));
    expect(outcome.slice(20, 22).sort()).toEqual(['challenge-invalid', 'ok']);
    expect(outcome[22]).toBe('certificate-status-unknown');
    const sessionIds = results.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value.principal.sessionId] : [],
    );
    expect(new Set(sessionIds).size).toBe(21);
  });
});
