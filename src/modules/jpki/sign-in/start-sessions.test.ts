import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/support/database.ts';
import {
  type AuditLog,
  auditMigrations,
  createAuditLog,
  type Database,
  type LgCode,
  migrate,
  systemClock,
  verifyAuditChain,
} from '../../../core/index.ts';
import { jpkiStatusMigrations } from '../status/migrations.ts';
import { storeStatus } from '../status/status-store.ts';
import type { JpkiStatusDb } from '../status/tables.ts';
import type { OpenedChallenge } from './challenge.ts';
import { residentSignInMigrations } from './migrations.ts';
import { createResidentSession, verifyResidentSession } from './resident-sessions.ts';
import { startResidentSession } from './start-sessions.ts';
import type { ResidentSignInDb } from './tables.ts';

let database: Database;
let audit: AuditLog;
const now = new Date();
const CHIYODA = '131016';

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations, jpkiStatusMigrations, residentSignInMigrations]);
  audit = createAuditLog(database, systemClock);
  // What the one-statement sign-in answered, each time it ran.
  const prepared = database.prepared.bind(database);
  database.prepared = async (name, query) => {
    const rows = await prepared(name, query);
    if (name === 'jpki_sign_in_with_audit') fastAnswers.push((rows[0] as { fits: boolean }).fits);
    if (name === 'resident_sessions_touch') touches.push((query.parameters[0] as unknown[]).length);
    return rows;
  };
});
const fastAnswers: boolean[] = [];
/** How many sessions each last_seen_at statement wrote. */
const touches: number[] = [];
afterAll(async () => {
  await database?.close();
});

async function publish(
  kind: 'auth' | 'signing',
  options: { revoked?: boolean; municipalityCode?: string; serialNumber?: string; version?: number } = {},
): Promise<string> {
  const serialNumber = options.serialNumber ?? randomBytes(16).toString('hex');
  await storeStatus(database.db as JpkiStatusDb, {
    municipalityCode: options.municipalityCode ?? CHIYODA,
    serialNumber,
    kind,
    notAfter: new Date(now.getTime() + 86_400_000).toISOString(),
    revokedAt: options.revoked ? new Date(now.getTime() - 1000).toISOString() : null,
    reason: options.revoked ? 'keyCompromise' : null,
    subjectId: kind === 'auth' ? randomUUID() : null,
    version: options.version ?? 1,
  });
  return serialNumber;
}

/** The sign-in entries of the audit log, by session id. */
async function signInEntries(): Promise<Map<string, { actor: string; target: string }>> {
  const { rows } = await sql<{ session_id: string; actor: string; target: string }>`
    select details->>'sessionId' as session_id, actor, target from audit_log
    where action = 'jpki.sign-in' and outcome = 'success'`.execute(database.db);
  return new Map(rows.map((row) => [row.session_id, { actor: row.actor, target: row.target }]));
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
    const session = await startResidentSession(database, audit, serial, opened, undefined, now);
    expect(session.principal).toMatchObject({ municipalityCode: CHIYODA, authSerial: serial });
    expect(await verifyResidentSession(database, session.cookieValue, now)).toMatchObject({
      sessionId: session.principal.sessionId,
      subjectId: session.principal.subjectId,
    });
    expect(await spent(opened.nonce)).toBe(true);
    // Session and audit entry in the one statement.
    expect(fastAnswers).toEqual([true]);
    expect((await signInEntries()).get(session.principal.sessionId)).toEqual({
      actor: `resident:${session.principal.subjectId}`,
      target: serial,
    });
    await expect(startResidentSession(database, audit, serial, opened, undefined, now)).rejects.toMatchObject(
      {
        code: 'challenge-invalid',
      },
    );
  });

  it('refuses unknown, signing and revoked certificates without spending the challenge', async () => {
    const cases: [string, string][] = [
      [randomBytes(16).toString('hex'), 'certificate-status-unknown'],
      [await publish('signing'), 'certificate-status-unknown'],
      [await publish('auth', { revoked: true }), 'certificate-revoked'],
    ];
    for (const [serial, code] of cases) {
      const opened = challenge();
      await expect(
        startResidentSession(database, audit, serial, opened, undefined, now),
      ).rejects.toMatchObject({
        code,
      });
      expect(await spent(opened.nonce)).toBe(false);
    }
    // A municipality code that fails its check digit (never published so): refused, and
    // no session is left behind (its challenge is spent: this card can never sign in anyway).
    const misfiled = await publish('auth', { municipalityCode: '131017' });
    await expect(
      startResidentSession(database, audit, misfiled, challenge(), undefined, now),
    ).rejects.toMatchObject({
      code: 'certificate-status-unknown',
    });
    const sessions = await (database.db as ResidentSignInDb)
      .selectFrom('resident_sessions')
      .select('auth_serial')
      .where('auth_serial', 'in', [...cases.map(([serial]) => serial), misfiled])
      .execute();
    expect(sessions).toEqual([]);
  });

  it('ends the session the browser brought, only when the new one starts', async () => {
    const serial = await publish('auth');
    const first = await startResidentSession(database, audit, serial, challenge(), undefined, now);
    const revoked = await publish('auth', { revoked: true });
    await expect(
      startResidentSession(database, audit, revoked, challenge(), first.cookieValue, now),
    ).rejects.toMatchObject({ code: 'certificate-revoked' });
    expect(await verifyResidentSession(database, first.cookieValue, now)).toBeDefined();
    const second = await startResidentSession(database, audit, serial, challenge(), first.cookieValue, now);
    expect(await verifyResidentSession(database, first.cookieValue, now)).toBeUndefined();
    expect(await verifyResidentSession(database, second.cookieValue, now)).toBeDefined();
  });

  it('signs in many residents at once in shared statements; a challenge answered twice at once wins once', async () => {
    const serials = await Promise.all(Array.from({ length: 20 }, () => publish('auth')));
    const replayed = challenge();
    const results = await Promise.allSettled([
      ...serials.map((serial) => startResidentSession(database, audit, serial, challenge(), undefined, now)),
      startResidentSession(database, audit, serials[0]!, replayed, undefined, now),
      startResidentSession(database, audit, serials[1]!, replayed, undefined, now),
      startResidentSession(database, audit, randomBytes(16).toString('hex'), challenge(), undefined, now),
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
    // Every session has its one audit entry, the replay none; the chain holds.
    const entries = await signInEntries();
    for (const result of results) {
      if (result.status === 'fulfilled') {
        const { sessionId, subjectId, authSerial } = result.value.principal;
        expect(entries.get(sessionId)).toEqual({ actor: `resident:${subjectId}`, target: authSerial });
      }
    }
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('commits each session with its audit entry, also when another process appends to the chain', async () => {
    const serials = await Promise.all(Array.from({ length: 6 }, () => publish('auth')));
    // Another process's log: each of its appends moves the head this one knows.
    const other = createAuditLog(database, systemClock);
    const sessions = [];
    for (const [i, serial] of serials.entries()) {
      const [session] = await Promise.all([
        startResidentSession(database, audit, serial, challenge(), undefined, now),
        other.record({
          municipalityCode: null,
          actor: 'system',
          action: 'test.elsewhere',
          target: `n${i}`,
          outcome: 'success',
        }),
      ]);
      sessions.push(session);
    }
    const entries = await signInEntries();
    for (const session of sessions) expect(entries.has(session.principal.sessionId)).toBe(true);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('refuses a card revoked after its holder was remembered, spending nothing', async () => {
    const serial = await publish('auth');
    await startResidentSession(database, audit, serial, challenge(), undefined, now);
    // Revoked since (a newer version of its status): the holder is still remembered here.
    await publish('auth', { serialNumber: serial, revoked: true, version: 2 });
    const opened = challenge();
    const before = (await signInEntries()).size;
    await expect(startResidentSession(database, audit, serial, opened, undefined, now)).rejects.toMatchObject(
      {
        code: 'certificate-revoked',
      },
    );
    expect(await spent(opened.nonce)).toBe(false);
    expect((await signInEntries()).size).toBe(before);
    // Forgotten once refused: the next attempt is refused before any statement is shared.
    await expect(
      startResidentSession(database, audit, serial, challenge(), undefined, now),
    ).rejects.toMatchObject({ code: 'certificate-revoked' });
  });

  it('keeps the last visit of sessions that come due together in one statement, never moving it back', async () => {
    const holder = (n: number) => ({
      subjectId: randomUUID(),
      municipalityCode: CHIYODA as LgCode,
      authSerial: `touch-${n}`,
    });
    const sessions = await Promise.all(
      [1, 2, 3].map((n) => createResidentSession(database, holder(n), undefined, now)),
    );
    const lastSeen = async () =>
      (
        await sql<{ seen: Date }>`select last_seen_at as seen from resident_sessions
          where session_id = any(${sessions.map((s) => s.principal.sessionId)}) order by seen`.execute(
          database.db,
        )
      ).rows.map((row) => new Date(row.seen).getTime());
    // Two minutes on, all three come due at once.
    const later = new Date(now.getTime() + 120_000);
    touches.length = 0;
    await Promise.all(sessions.map((s) => verifyResidentSession(database, s.cookieValue, later)));
    expect(touches).toEqual([3]);
    expect(await lastSeen()).toEqual([later.getTime(), later.getTime(), later.getTime()]);
    // Within the minute: no write.
    await verifyResidentSession(database, sessions[0]!.cookieValue, new Date(later.getTime() + 30_000));
    expect(touches).toEqual([3]);
  });
});
