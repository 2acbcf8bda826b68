import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/index.ts';
import { SESSION_COOKIE, totpCode } from '../../src/modules/identity/index.ts';
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

/** GETs the form and returns the double-submit cookie and hidden field value. */
async function openForm(url = '/staff/sign-in') {
  const response = await zone.app.inject({ method: 'GET', url });
  const cookie = response.cookies.find((c) => c.name === 'machi_signin_csrf');
  const field = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
  return { response, cookie: `machi_signin_csrf=${cookie?.value}`, token: field ?? '' };
}

function postForm(fields: Record<string, string>, cookie: string, url = '/staff/sign-in') {
  return zone.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams(fields).toString(),
  });
}

describe('GET /staff/sign-in', () => {
  it('renders an accessible Japanese form with the served municipalities', async () => {
    const { response, token } = await openForm();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const body = response.body;
    expect(body).toContain('<html lang="ja">');
    expect(body).toContain('職員サインイン');
    for (const id of ['municipalityCode', 'userName', 'password', 'code']) {
      expect(body).toContain(`<label for="${id}">`);
      expect(body).toContain(`id="${id}"`);
    }
    expect(body).toContain('autocomplete="username"');
    expect(body).toContain('autocomplete="current-password"');
    expect(body).toContain('autocomplete="one-time-code"');
    expect(body).toContain('value="131016"');
    expect(body).toContain('value="011002"');
    expect(body).not.toContain('value="472018"');
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(body).not.toMatch(/<script|style="/);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
  });

  it('speaks English with ?lang=en', async () => {
    const response = await zone.app.inject({ method: 'GET', url: '/staff/sign-in?lang=en' });
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toContain('Staff sign-in');
    expect(response.body).toContain('action="/staff/sign-in?lang=en"');
  });

  it('keeps a same-site next and drops an open redirect', async () => {
    const good = await openForm('/staff/sign-in?next=%2Fregistry%2Fpersons');
    expect(good.response.body).toContain('name="next" value="/registry/persons"');
    const evil = await openForm('/staff/sign-in?next=https%3A%2F%2Fevil.example%2F');
    expect(evil.response.body).not.toContain('evil.example');
  });
});

describe('POST /staff/sign-in (form)', () => {
  it('signs in and redirects 303 to next', async () => {
    const creds = await createTestStaff(zone, { municipalityCode: '131016', roles: ['registry-clerk'] });
    const { cookie, token } = await openForm();
    const response = await postForm(
      {
        _csrf: token,
        next: '/registry/persons?q=1',
        municipalityCode: '131016',
        userName: creds.userName,
        password: creds.password,
        code: totpCode(creds.totpSecret, clock.now()),
      },
      cookie,
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/registry/persons?q=1');
    expect(response.cookies.some((c) => c.name === SESSION_COOKIE)).toBe(true);
  });

  it.each(['//evil.example/', 'https://evil.example/', '/\\evil.example'])(
    'refuses next=%j and goes to / instead',
    async (next) => {
      clock.advance(30_000);
      const creds = await createTestStaff(zone, { municipalityCode: '131016', roles: ['auditor'] });
      const { cookie, token } = await openForm();
      const response = await postForm(
        {
          _csrf: token,
          next,
          municipalityCode: '131016',
          userName: creds.userName,
          password: creds.password,
          code: totpCode(creds.totpSecret, clock.now()),
        },
        cookie,
      );
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/');
    },
  );

  it('refuses a form without the double-submit token (login CSRF)', async () => {
    const creds = await createTestStaff(zone, { municipalityCode: '131016', roles: ['auditor'] });
    const fields = {
      municipalityCode: '131016',
      userName: creds.userName,
      password: creds.password,
      code: totpCode(creds.totpSecret, clock.now()),
    };
    const { cookie, token } = await openForm();
    for (const [sentCookie, sentToken] of [
      ['', token],
      [cookie, ''],
      // A token that differs in its last character (never equal to the real one).
      [cookie, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`],
    ] as const) {
      const response = await postForm({ ...fields, _csrf: sentToken }, sentCookie);
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('error-summary');
      expect(response.cookies.some((c) => c.name === SESSION_COOKIE)).toBe(false);
    }
  });

  it('shows an error summary for wrong credentials, keeping the user name but not the password', async () => {
    const { cookie, token } = await openForm();
    const response = await postForm(
      {
        _csrf: token,
        municipalityCode: '011002',
        userName: 'someone',
        password: 'secret-password-1',
        code: '000000',
      },
      cookie,
    );
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('role="alert"');
    expect(response.body).toContain('ワンタイムコードが正しくありません');
    expect(response.body).toContain('value="someone"');
    expect(response.body).toMatch(/value="011002" selected/);
    expect(response.body).not.toContain('secret-password-1');
  });

  it('marks empty fields and links the summary to them', async () => {
    const { cookie, token } = await openForm();
    const response = await postForm(
      { _csrf: token, municipalityCode: '131016', userName: '', password: '', code: '' },
      cookie,
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#userName"');
    expect(response.body).toContain('href="#password"');
    expect(response.body).toContain('href="#code"');
    expect(response.body).toContain('aria-invalid="true"');
    expect(response.body).toContain('aria-describedby="userName-error"');
  });
});
