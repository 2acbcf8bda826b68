import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/index.ts';
import { LOCKOUT_MS, SESSION_COOKIE, totpCode } from '../../src/modules/identity/index.ts';
import { mynumberZone, type RunningZone } from '../../src/zones/index.ts';
import { createTestStaff } from '../support/staff.ts';
import { openTestZone } from '../support/zone.ts';

const clock = fixedClock(new Date('2025-04-01T09:00:00+09:00'));
let zone: RunningZone;

beforeAll(async () => {
  zone = await openTestZone(mynumberZone, { clock });
});
afterAll(async () => {
  await zone?.close();
});

/** Moves to the next 30 s TOTP step, so a fresh code exists. */
function nextStep() {
  clock.advance(30_000);
}

type Creds = Awaited<ReturnType<typeof createTestStaff>>;

function signInJson(
  creds: Creds,
  overrides: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return zone.app.inject({
    method: 'POST',
    url: '/staff/sign-in',
    headers,
    payload: {
      municipalityCode: creds.municipalityCode,
      userName: creds.userName,
      password: creds.password,
      code: totpCode(creds.totpSecret, clock.now()),
      ...overrides,
    },
  });
}

async function auditRows(actor: string) {
  const result = await sql<{
    actor: string;
    outcome: string;
    details: Record<string, unknown>;
    municipality_code: string;
  }>`
    select actor, outcome, details, municipality_code from audit_log where action = 'staff.sign-in' and actor = ${actor} order by seq`.execute(
    zone.context.database.db,
  );
  return result.rows.map((row) => ({
    ...row,
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
  }));
}

function withoutInstance(body: Record<string, unknown>) {
  const { instance: _instance, ...rest } = body;
  return rest;
}

describe('POST /staff/sign-in (JSON)', () => {
  it('signs in with password and code: staff, CSRF token and a hardened cookie', async () => {
    const creds = await createTestStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    const response = await signInJson(creds);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.staff).toEqual({
      staffId: creds.staff.staffId,
      municipalityCode: '131016',
      userName: creds.userName,
      displayName: 'テスト 職員',
      roles: ['registry-clerk'],
    });
    expect(body.csrfToken).toMatch(/^[\w-]{43}$/);
    expect(Object.keys(body).sort()).toEqual(['csrfToken', 'staff']);

    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/machi_staff=131016\.[\w-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('Path=/;');

    // Only the SHA-256 of the token is stored.
    const token = response.cookies.find((c) => c.name === SESSION_COOKIE)!.value.split('.')[1]!;
    const stored = await zone.context.database.db
      .selectFrom('staff_sessions')
      .select('token_hash')
      .where('staff_id', '=', creds.staff.staffId)
      .execute();
    expect(stored).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);

    const audit = await auditRows(`staff:${creds.staff.staffId}`);
    expect(audit.at(-1)).toMatchObject({ outcome: 'success', municipality_code: '131016' });
  });

  it('accepts the user name in full-width or upper case, as an IME may type it', async () => {
    const creds = await createTestStaff(zone, { municipalityCode: '131016', roles: ['auditor'] });
    const fullWidth = [...creds.userName.toUpperCase()]
      .map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
      .join('');
    const response = await signInJson(creds, { userName: ` ${fullWidth} ` });
    expect(response.statusCode).toBe(200);
  });

  it('answers a wrong password, a wrong code and an unknown user the same way', async () => {
    nextStep();
    const creds = await createTestStaff(zone, { municipalityCode: '131016', roles: ['auditor'] });
    const wrongPassword = await signInJson(creds, { password: `${creds.password}x` });
    const wrongCode = await signInJson(creds, {
      code: totpCode(creds.totpSecret, new Date(clock.now().getTime() + 120_000)),
    });
    const unknown = await signInJson(creds, { userName: 'nobody-here' });
    for (const response of [wrongPassword, wrongCode, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    expect(withoutInstance(wrongPassword.json())).toEqual(withoutInstance(wrongCode.json()));
    expect(withoutInstance(unknown.json())).toEqual(withoutInstance(wrongCode.json()));
    expect(wrongCode.json().type).toBe('/problems/credentials-invalid');

    const audit = await auditRows(`staff:${creds.staff.staffId}`);
    expect(audit.map((row) => [row.outcome, row.details.reason])).toEqual([
      ['failure', 'password'],
      ['failure', 'totp'],
    ]);
    const unknownRows = await auditRows('unknown');
    expect(unknownRows.at(-1)?.details).toEqual({ reason: 'unknown-user' });
    expect(JSON.stringify(unknownRows)).not.toContain('nobody-here');
  });

  it('refuses a code whose step was already used (replay)', async () => {
    nextStep();
    const creds = await createTestStaff(zone, { municipalityCode: '131016', roles: ['auditor'] });
    const code = totpCode(creds.totpSecret, clock.now());
    expect((await signInJson(creds, { code })).statusCode).toBe(200);
    clock.advance(5_000);
    const replay = await signInJson(creds, { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().type).toBe('/problems/credentials-invalid');
    expect((await auditRows(`staff:${creds.staff.staffId}`)).at(-1)?.details.reason).toBe('totp-replay');
    nextStep();
    expect((await signInJson(creds)).statusCode).toBe(200);
  });

  it('locks after 5 consecutive failures, even for the right password, for 15 minutes', async () => {
    nextStep();
    const creds = await createTestStaff(zone, { municipalityCode: '131016', roles: ['auditor'] });
    for (let i = 0; i < 4; i++) {
      expect((await signInJson(creds, { password: 'wrong-password-123' })).statusCode).toBe(401);
    }
    const fifth = await signInJson(creds, { password: 'wrong-password-123' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toMatchObject({ type: '/problems/account-locked', retryAfterSeconds: 900 });

    const right = await signInJson(creds);
    expect(right.statusCode).toBe(423);
    expect(right.headers['set-cookie']).toBeUndefined();
    expect((await auditRows(`staff:${creds.staff.staffId}`)).at(-1)?.details).toEqual({ reason: 'locked' });

    clock.advance(LOCKOUT_MS - 60_000);
    expect((await signInJson(creds)).statusCode).toBe(423);
    clock.advance(60_000);
    expect((await signInJson(creds)).statusCode).toBe(200);
  });

  it('resets the failure count on success', async () => {
    nextStep();
    const creds = await createTestStaff(zone, { municipalityCode: '131016', roles: ['auditor'] });
    for (let i = 0; i < 4; i++) await signInJson(creds, { password: 'wrong-password-123' });
    expect((await signInJson(creds)).statusCode).toBe(200);
    nextStep();
    for (let i = 0; i < 4; i++) {
      expect((await signInJson(creds, { password: 'wrong-password-123' })).statusCode).toBe(401);
    }
    expect((await signInJson(creds)).statusCode).toBe(200);
  });

  it('issues a new session token at every sign-in and ends the one the browser brought', async () => {
    nextStep();
    const creds = await createTestStaff(zone, { municipalityCode: '131016', roles: ['auditor'] });
    const first = await signInJson(creds);
    const firstCookie = `${SESSION_COOKIE}=${first.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
    nextStep();
    const second = await signInJson(creds, {}, { cookie: firstCookie });
    const secondValue = second.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    expect(`${SESSION_COOKIE}=${secondValue}`).not.toBe(firstCookie);
    const me = (cookie: string) =>
      zone.app.inject({ method: 'GET', url: '/api/v1/staff/me', headers: { cookie } });
    expect((await me(firstCookie)).statusCode).toBe(401);
    expect((await me(`${SESSION_COOKIE}=${secondValue}`)).statusCode).toBe(200);
  });

  it('answers malformed bodies with problem+json 400, not 500', async () => {
    const cases = [
      { headers: { 'content-type': 'application/json' }, payload: '{"municipalityCode":' },
      { headers: { 'content-type': 'application/json' }, payload: '[]' },
      { headers: { 'content-type': 'application/json' }, payload: '{"userName":"a"}' },
      {
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({
          municipalityCode: { code: '131016' },
          userName: 'a',
          password: 'b',
          code: 'c',
        }),
      },
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'municipalityCode=131016&userName=a',
      },
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'municipalityCode=131016&userName=a&userName=b&password=p&code=1',
      },
    ];
    for (const { headers, payload } of cases) {
      const response = await zone.app.inject({ method: 'POST', url: '/staff/sign-in', headers, payload });
      expect(response.statusCode, payload).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().type).toBe('/problems/validation-failed');
    }
    const text = await zone.app.inject({
      method: 'POST',
      url: '/staff/sign-in',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(400);
    expect(text.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses an invalid or unserved municipality code before looking anything up', async () => {
    const base = { userName: 'someone', password: 'whatever-password', code: '123456' };
    const invalid = await zone.app.inject({
      method: 'POST',
      url: '/staff/sign-in',
      payload: { ...base, municipalityCode: '131017' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().type).toBe('/problems/lg-code-invalid');
    const notServed = await zone.app.inject({
      method: 'POST',
      url: '/staff/sign-in',
      payload: { ...base, municipalityCode: '472018' },
    });
    expect(notServed.statusCode).toBe(404);
    expect(notServed.json().type).toBe('/problems/municipality-not-served');
    const empty = await zone.app.inject({
      method: 'POST',
      url: '/staff/sign-in',
      payload: { ...base, municipalityCode: '131016', password: '' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ type: '/problems/validation-failed', fields: ['password'] });
  });
});
