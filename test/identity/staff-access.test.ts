import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/index.ts';
import {
  requireRole,
  requireTenant,
  SESSION_ABSOLUTE_MS,
  SESSION_CACHE_MS,
  SESSION_COOKIE,
  staffScope,
} from '../../src/modules/identity/index.ts';
import { mynumberZone, type RunningZone, type ZoneDefinition } from '../../src/zones/index.ts';
import { createTestStaff, type SignedInStaff, signedInStaff, signInStaff } from '../support/staff.ts';
import { openTestZone } from '../support/zone.ts';

const clock = fixedClock(new Date('2025-04-01T09:00:00+09:00'));
let zone: RunningZone;

/** mynumber plus a few routes guarded the way other modules guard theirs. */
const guardedZone: ZoneDefinition = {
  ...mynumberZone,
  async register(app, context, gateway) {
    await mynumberZone.register(app, context, gateway);
    app.get('/test/clerk', { preHandler: requireRole('registry-clerk') }, async (request) => ({
      scope: staffScope(request).municipalityCode,
    }));
    app.post('/test/clerk', { preHandler: requireRole('registry-clerk') }, async () => ({ done: true }));
    app.get('/test/page', { preHandler: requireRole() }, async () => 'page');
    app.get<{ Params: { lgCode: string } }>(
      '/test/:lgCode/records',
      { preHandler: requireRole('registry-clerk') },
      async (request) => ({ scope: requireTenant(request, request.params.lgCode).municipalityCode }),
    );
  },
};

beforeAll(async () => {
  zone = await openTestZone(guardedZone, { clock });
});
afterAll(async () => {
  await zone?.close();
});

function get(url: string, staff?: SignedInStaff, headers: Record<string, string> = {}) {
  return zone.app.inject({
    method: 'GET',
    url,
    headers: { ...(staff ? { cookie: staff.cookie } : {}), ...headers },
  });
}

function post(url: string, staff: SignedInStaff, payload: object, headers: Record<string, string> = {}) {
  return zone.app.inject({ method: 'POST', url, headers: { cookie: staff.cookie, ...headers }, payload });
}

describe('requireRole', () => {
  it('answers 401 problem+json without a session, and for a forged cookie', async () => {
    for (const cookie of [
      undefined,
      `${SESSION_COOKIE}=131016.${'A'.repeat(43)}`,
      `${SESSION_COOKIE}=garbage`,
    ]) {
      const response = await get('/api/v1/staff/me', undefined, cookie ? { cookie } : {});
      expect(response.statusCode).toBe(401);
      expect(response.json().type).toBe('/problems/authentication-required');
    }
  });

  it('redirects a page request (GET, Accept: text/html) to the sign-in page with next', async () => {
    const response = await get('/test/page?x=1', undefined, { accept: 'text/html,application/xhtml+xml' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/staff/sign-in?next=%2Ftest%2Fpage%3Fx%3D1');
  });

  it('sets request.staff and the tenant scope from the session', async () => {
    const clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    expect((await get('/test/clerk', clerk)).json()).toEqual({ scope: '131016' });
    const me = await get('/api/v1/staff/me', clerk);
    expect(me.json()).toMatchObject({ staff: { staffId: clerk.staffId, roles: ['registry-clerk'] } });
  });

  it('answers 403 forbidden when the role is missing', async () => {
    const auditor = await signedInStaff(zone, { municipalityCode: '131016', roles: ['auditor'] });
    const response = await get('/test/clerk', auditor);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ type: '/problems/forbidden', requiredRoles: ['registry-clerk'] });
  });

  it('requires the CSRF token on unsafe methods', async () => {
    const clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    const missing = await post('/test/clerk', clerk, {});
    expect(missing.statusCode).toBe(403);
    expect(missing.json().type).toBe('/problems/csrf-invalid');
    const wrong = await post(
      '/test/clerk',
      clerk,
      {},
      { 'x-csrf-token': `${clerk.csrfToken.slice(0, -1)}${clerk.csrfToken.endsWith('x') ? 'y' : 'x'}` },
    );
    expect(wrong.json().type).toBe('/problems/csrf-invalid');
    expect((await post('/test/clerk', clerk, {}, { 'x-csrf-token': clerk.csrfToken })).statusCode).toBe(200);
    const form = await zone.app.inject({
      method: 'POST',
      url: '/test/clerk',
      headers: { cookie: clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(clerk.csrfToken)}`,
    });
    expect(form.statusCode).toBe(200);
  });

  it("refuses another municipality's URL (tenant-forbidden) and a bad code (lg-code-invalid)", async () => {
    const clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    expect((await get('/test/131016/records', clerk)).json()).toEqual({ scope: '131016' });
    const other = await get('/test/011002/records', clerk);
    expect(other.statusCode).toBe(403);
    expect(other.json().type).toBe('/problems/tenant-forbidden');
    const bad = await get('/test/131017/records', clerk);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().type).toBe('/problems/lg-code-invalid');
  });
});

describe('sessions', () => {
  it('end after 30 idle minutes, and stay alive while used', async () => {
    const clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    clock.advance(29 * 60_000);
    expect((await get('/test/clerk', clerk)).statusCode).toBe(200);
    clock.advance(29 * 60_000);
    expect((await get('/test/clerk', clerk)).statusCode).toBe(200);
    clock.advance(30 * 60_000);
    expect((await get('/test/clerk', clerk)).statusCode).toBe(401);
  });

  it('end 12 hours after sign-in however busy', async () => {
    const clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    for (let elapsed = 0; elapsed < SESSION_ABSOLUTE_MS - 20 * 60_000; elapsed += 20 * 60_000) {
      clock.advance(20 * 60_000);
      expect((await get('/test/clerk', clerk)).statusCode).toBe(200);
    }
    clock.advance(20 * 60_000);
    expect((await get('/test/clerk', clerk)).statusCode).toBe(401);
  });

  it('write last_seen_at at most once a minute', async () => {
    const clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    const lastSeen = async () =>
      (
        await zone.context.database.db
          .selectFrom('staff_sessions')
          .select('last_seen_at')
          .where('staff_id', '=', clerk.staffId)
          .executeTakeFirstOrThrow()
      ).last_seen_at.getTime();
    const signedInAt = await lastSeen();
    clock.advance(30_000);
    await get('/test/clerk', clerk);
    expect(await lastSeen()).toBe(signedInAt);
    clock.advance(31_000);
    await get('/test/clerk', clerk);
    expect(await lastSeen()).toBe(clock.now().getTime());
  });

  it('end when the account is disabled', async () => {
    const clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    await zone.context.database.db
      .updateTable('staff_accounts')
      .set({ disabled: true })
      .where('staff_id', '=', clerk.staffId)
      .execute();
    expect((await get('/test/clerk', clerk)).statusCode).toBe(401);
  });

  it('end within a second when another process disables the account (the session cache)', async () => {
    const clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    expect((await get('/test/clerk', clerk)).statusCode).toBe(200);
    await zone.context.database.db
      .updateTable('staff_accounts')
      .set({ disabled: true })
      .where('staff_id', '=', clerk.staffId)
      .execute();
    clock.advance(SESSION_CACHE_MS - 1);
    expect((await get('/test/clerk', clerk)).statusCode).toBe(200);
    clock.advance(1);
    expect((await get('/test/clerk', clerk)).statusCode).toBe(401);
  });

  it('end at sign-out, which needs the CSRF token', async () => {
    const clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    const noToken = await zone.app.inject({
      method: 'POST',
      url: '/staff/sign-out',
      headers: { cookie: clerk.cookie },
    });
    expect(noToken.statusCode).toBe(403);
    expect((await get('/test/clerk', clerk)).statusCode).toBe(200);
    const out = await zone.app.inject({
      method: 'POST',
      url: '/staff/sign-out',
      headers: { cookie: clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(clerk.csrfToken)}`,
    });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/staff/sign-in');
    expect(out.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
    expect((await get('/test/clerk', clerk)).statusCode).toBe(401);
  });
});

describe('admin API', () => {
  it('creates staff once, returning the initial secrets, and lists without them', async () => {
    const admin = await signedInStaff(zone, { municipalityCode: '131016', roles: ['admin'] });
    const csrf = { 'x-csrf-token': admin.csrfToken };
    const body = { userName: 'Kato.T', displayName: '加藤 太郎', roles: ['registry-clerk', 'auditor'] };
    const created = await post('/api/v1/municipalities/131016/staff', admin, body, csrf);
    expect(created.statusCode).toBe(201);
    const json = created.json();
    expect(json.staff).toMatchObject({ userName: 'kato.t', municipalityCode: '131016', disabled: false });
    expect(json.initialPassword).toMatch(/^\w{20}$/);
    expect(json.otpauthUri).toContain(`secret=${json.totpSecret}`);

    clock.advance(30_000);
    const newcomer = await signInStaff(zone.app, {
      municipalityCode: '131016',
      userName: 'kato.t',
      password: json.initialPassword,
      totpSecret: json.totpSecret,
      clock,
    });
    expect(newcomer.csrfToken).toMatch(/^[\w-]{43}$/);

    const again = await post('/api/v1/municipalities/131016/staff', admin, body, csrf);
    expect(again.statusCode).toBe(409);

    const list = await get('/api/v1/municipalities/131016/staff', admin);
    expect(list.statusCode).toBe(200);
    expect(list.json().staff.map((s: { userName: string }) => s.userName)).toContain('kato.t');
    expect(list.body).not.toMatch(/scrypt|password|totp/i);
  });

  it('refuses bad input, missing CSRF, other roles and other municipalities', async () => {
    const admin = await signedInStaff(zone, { municipalityCode: '131016', roles: ['admin'] });
    const clerk = await signedInStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    const url = '/api/v1/municipalities/131016/staff';
    const good = { userName: 'ok-name', displayName: '職員', roles: ['auditor'] };
    const csrf = { 'x-csrf-token': admin.csrfToken };
    for (const bad of [
      { ...good, roles: ['root'] },
      { ...good, roles: [] },
      { ...good, userName: '-bad' },
      { ...good, userName: 'スペース 名' },
      { ...good, displayName: '' },
      { ...good, extra: 1 },
    ]) {
      const response = await post(url, admin, bad, csrf);
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(response.json().type).toBe('/problems/validation-failed');
    }
    expect((await post(url, admin, good)).json().type).toBe('/problems/csrf-invalid');
    expect((await post(url, clerk, good, { 'x-csrf-token': clerk.csrfToken })).statusCode).toBe(403);
    const other = await post('/api/v1/municipalities/011002/staff', admin, good, csrf);
    expect(other.json().type).toBe('/problems/tenant-forbidden');
    expect((await get('/api/v1/municipalities/011002/staff', admin)).json().type).toBe(
      '/problems/tenant-forbidden',
    );
    const anonymous = await zone.app.inject({ method: 'POST', url, payload: { nonsense: true } });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('test helper', () => {
  it('createTestStaff gives credentials signInStaff accepts', async () => {
    const creds = await createTestStaff(zone, { municipalityCode: '011002', roles: ['case-worker'] });
    const staff = await signInStaff(zone.app, creds);
    expect((await get('/api/v1/staff/me', staff)).json().staff.municipalityCode).toBe('011002');
  });
});
