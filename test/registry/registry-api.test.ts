import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lgCodeCheckDigit } from '../../src/core/index.ts';
import { mynumberZone, type RunningZone } from '../../src/zones/index.ts';
import { myNumberOf, residentCodeOf } from '../support/registry-ids.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { openTestZone } from '../support/zone.ts';

const A = '131016'; // 千代田区
const B = '011002'; // 札幌市
const X = residentCodeOf(101);
const Y = residentCodeOf(202);

describe('registry API', () => {
  let zone: RunningZone;
  let clerkA: SignedInStaff;
  let clerkB: SignedInStaff;
  let workerA: SignedInStaff;

  const get = (who: SignedInStaff | undefined, url: string) =>
    zone.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie } : {} });
  const post = (who: SignedInStaff, lgCode: string, payload: unknown, csrf = true) =>
    zone.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${lgCode}/residents/events`,
      headers: { cookie: who.cookie, ...(csrf ? { 'x-csrf-token': who.csrfToken } : {}) },
      payload: payload as Record<string, unknown>,
    });
  const moveIn = (residentCode: string, myNumber: string, extra: Record<string, unknown> = {}) => ({
    kind: 'move-in',
    person: {
      residentCode,
      myNumber,
      familyName: '佐藤',
      givenName: '健',
      familyNameKana: 'さとう',
      givenNameKana: 'けん',
      sex: 1,
      birthDate: '1990-04-01',
    },
    effectiveOn: '2024-04-01',
    address: '千代田一丁目2番3号',
    household: { kind: 'new' },
    fromMunicipalityCode: '011002',
    ...extra,
  });
  const auditRows = async () =>
    (
      await sql<{ action: string; actor: string; target: string; reason: string | null; details: unknown }>`
        select action, actor, target, reason, details from audit_log order by seq`.execute(
        zone.context.database.db,
      )
    ).rows;

  beforeAll(async () => {
    zone = await openTestZone(mynumberZone);
    [clerkA, clerkB, workerA] = await Promise.all([
      signedInStaff(zone, { municipalityCode: A, roles: ['registry-clerk'] }),
      signedInStaff(zone, { municipalityCode: B, roles: ['registry-clerk'] }),
      signedInStaff(zone, { municipalityCode: A, roles: ['case-worker'] }),
    ]);
    const inA = await post(clerkA, A, moveIn(X, myNumberOf(101)));
    expect(inA.statusCode, inA.body).toBe(201);
    const inB = await post(clerkB, B, moveIn(Y, myNumberOf(202), { fromMunicipalityCode: '131016' }));
    expect(inB.statusCode, inB.body).toBe(201);
  });
  afterAll(async () => {
    await zone?.close();
  });

  it('records an event and answers with opaque ids only', async () => {
    const response = await post(clerkA, A, {
      kind: 'move-within',
      residentCode: X,
      effectiveOn: '2024-06-01',
      address: '千代田二丁目1番',
      household: { kind: 'keep' },
      expectedVersion: 1,
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(Object.keys(response.json()).sort()).toEqual([
      'eventId',
      'householdId',
      'kind',
      'residentCode',
      'version',
    ]);
    expect(response.json()).toMatchObject({ kind: 'move-within', residentCode: X, version: 2 });
    const stale = await post(clerkA, A, {
      kind: 'move-out',
      residentCode: X,
      effectiveOn: '2024-07-01',
      expectedVersion: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: '/problems/conflict' });
  });

  it('gives the record with the My Number to a registry clerk only', async () => {
    const clerk = await get(clerkA, `/api/v1/municipalities/${A}/residents/${X}?purpose=certificate`);
    expect(clerk.statusCode, clerk.body).toBe(200);
    expect(clerk.json()).toMatchObject({
      residentCode: X,
      myNumber: myNumberOf(101),
      familyNameKana: 'サトウ',
      address: '千代田二丁目1番',
      household: { headResidentCode: X, members: [{ residentCode: X, relationship: '世帯主' }] },
    });
    expect(clerk.json()).not.toHaveProperty('personId');
    const worker = await get(workerA, `/api/v1/municipalities/${A}/residents/${X}?purpose=welfare`);
    expect(worker.statusCode).toBe(200);
    expect(worker.json()).not.toHaveProperty('myNumber');
  });

  it('requires a known purpose to view a record', async () => {
    for (const query of ['', '?purpose=curiosity']) {
      const response = await get(clerkA, `/api/v1/municipalities/${A}/residents/${X}${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('searches by hiragana and returns no My Number', async () => {
    const response = await get(
      clerkA,
      `/api/v1/municipalities/${A}/residents?kana=${encodeURIComponent('さとう　けん')}&limit=10`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.items.map((i: { residentCode: string }) => i.residentCode)).toEqual([X]);
    expect(Object.keys(body.items[0]).sort()).toEqual(
      [
        'address',
        'birthDate',
        'familyName',
        'familyNameKana',
        'givenName',
        'givenNameKana',
        'residentCode',
        'status',
      ].sort(),
    );
    expect(response.body).not.toContain(myNumberOf(101));
    const tooMany = await get(clerkA, `/api/v1/municipalities/${A}/residents?kana=a&limit=101`);
    expect(tooMany.statusCode).toBe(400);
  });

  it('answers history and residence on a date', async () => {
    const history = await get(clerkA, `/api/v1/municipalities/${A}/residents/${X}/history?purpose=tax`);
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json().events.map((e: { kind: string }) => e.kind)).toEqual(['move-in', 'move-within']);
    expect(history.json().residences).toHaveLength(2);
    const before = await get(
      clerkA,
      `/api/v1/municipalities/${A}/residents/${X}/residence?on=2024-05-31&purpose=tax`,
    );
    expect(before.json()).toMatchObject({ on: '2024-05-31', residence: { address: '千代田一丁目2番3号' } });
    const earlier = await get(
      clerkA,
      `/api/v1/municipalities/${A}/residents/${X}/residence?on=2024-03-31&purpose=tax`,
    );
    expect(earlier.json().residence).toBeNull();
    const badDate = await get(
      clerkA,
      `/api/v1/municipalities/${A}/residents/${X}/residence?on=2024-02-30&purpose=tax`,
    );
    expect(badDate.json()).toMatchObject({ type: '/problems/date-invalid', field: 'on' });
    const at = await get(
      clerkA,
      `/api/v1/municipalities/${A}/residences?address=${encodeURIComponent('千代田一')}&on=2024-05-01`,
    );
    expect(at.json().items.map((i: { residentCode: string }) => i.residentCode)).toEqual([X]);
  });

  it('checks the municipality: malformed 400, unknown or not served 404, another 403', async () => {
    const invalid = await get(clerkA, `/api/v1/municipalities/131017/residents/${X}?purpose=tax`);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().type).toBe('/problems/lg-code-invalid');
    const unknown = `99999${lgCodeCheckDigit('99999')}`;
    expect((await get(clerkA, `/api/v1/municipalities/${unknown}/residents?kana=a`)).json().type).toBe(
      '/problems/municipality-unknown',
    );
    const notServed = await get(clerkA, `/api/v1/municipalities/472018/residents?kana=a`);
    expect(notServed.statusCode).toBe(404);
    expect(notServed.json().type).toBe('/problems/municipality-not-served');
    const other = await get(clerkA, `/api/v1/municipalities/${B}/residents/${Y}?purpose=tax`);
    expect(other.statusCode).toBe(403);
    expect(other.json().type).toBe('/problems/tenant-forbidden');
    // B's resident through A's URL: the data layer scopes by A and finds nobody.
    const hidden = await get(clerkA, `/api/v1/municipalities/${A}/residents/${Y}?purpose=tax`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).not.toContain('佐藤');
  });

  it('names the field whose check digit is wrong', async () => {
    const badCode = await post(
      clerkA,
      A,
      moveIn(`${X.slice(0, 10)}${(Number(X[10]) + 1) % 10}`, myNumberOf(303)),
    );
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json()).toMatchObject({
      type: '/problems/resident-code-invalid',
      field: 'person.residentCode',
    });
    const badNumber = await post(clerkA, A, moveIn(residentCodeOf(303), '123456789010'));
    expect(badNumber.json()).toMatchObject({ type: '/problems/my-number-invalid', field: 'person.myNumber' });
    const badPath = await get(clerkA, `/api/v1/municipalities/${A}/residents/12345678904?purpose=tax`);
    expect(badPath.json()).toMatchObject({ type: '/problems/resident-code-invalid', field: 'residentCode' });
  });

  it('answers malformed bodies with problem+json', async () => {
    for (const payload of [{}, { kind: 'adoption' }, { kind: 'death', residentCode: X }, moveIn('1', '2')]) {
      const response = await post(clerkA, A, payload);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().type).toBe('/problems/validation-failed');
    }
    const notJson = await zone.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${A}/residents/events`,
      headers: {
        cookie: clerkA.cookie,
        'x-csrf-token': clerkA.csrfToken,
        'content-type': 'application/json',
      },
      payload: '{"kind":',
    });
    expect(notJson.statusCode).toBe(400);
  });

  it('refuses strangers, other roles and missing CSRF tokens', async () => {
    expect((await get(undefined, `/api/v1/municipalities/${A}/residents?kana=a`)).statusCode).toBe(401);
    expect((await post(workerA, A, moveIn(residentCodeOf(404), myNumberOf(404)))).statusCode).toBe(403);
    const noCsrf = await post(clerkA, A, moveIn(residentCodeOf(404), myNumberOf(404)), false);
    expect(noCsrf.json().type).toBe('/problems/csrf-invalid');
  });

  it('audited every record read, with who, what and why but no personal data', async () => {
    const before = (await auditRows()).filter((r) => r.action === 'registry.person.read').length;
    await get(clerkA, `/api/v1/municipalities/${A}/residents/${X}?purpose=other`);
    await get(clerkA, `/api/v1/municipalities/${A}/residents/${X}/history?purpose=other`);
    const rows = await auditRows();
    const reads = rows.filter((r) => r.action === 'registry.person.read');
    expect(reads.length).toBe(before + 2);
    expect(reads.at(-1)).toMatchObject({ actor: `staff:${clerkA.staffId}`, reason: 'other' });
    expect(reads.at(-1)!.target).toMatch(/^[0-9a-f-]{36}$/);
    const registryRows = rows.filter((r) => r.action.startsWith('registry.'));
    const text = JSON.stringify(registryRows);
    for (const secret of ['佐藤', 'サトウ', '千代田', myNumberOf(101), X, Y, '1990-04-01']) {
      expect(text).not.toContain(secret);
    }
  });

  describe('staff pages', () => {
    const page = (who: SignedInStaff | undefined, url: string) =>
      zone.app.inject({
        method: 'GET',
        url,
        headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) },
      });

    it('searches and links to the person', async () => {
      const empty = await page(clerkA, '/registry');
      expect(empty.statusCode).toBe(200);
      expect(empty.body).toContain('<label for="kana">フリガナ</label>');
      const found = await page(clerkA, `/registry?kana=${encodeURIComponent('さとう')}`);
      expect(found.body).toContain(`href="/registry/residents/${X}"`);
      expect(found.body).toMatch(/<th scope="col">住民票コード<\/th>/);
      expect(found.body).toContain('平成2年4月1日（1990-04-01）');
      expect(found.body).not.toContain(myNumberOf(101));
      const en = await page(clerkA, `/registry?kana=${encodeURIComponent('さとう')}&lang=en`);
      expect(en.body).toContain('<html lang="en">');
      expect(en.body).toContain('Resident code');
      const bad = await page(clerkA, `/registry?birthDate=${encodeURIComponent('令和3年2月30日')}`);
      expect(bad.body).toContain('aria-invalid="true"');
    });

    it('asks for the purpose, then shows the record and its history', async () => {
      const ask = await page(clerkA, `/registry/residents/${X}`);
      expect(ask.statusCode).toBe(200);
      expect(ask.body).toContain('<legend>閲覧の目的</legend>');
      expect(ask.body).not.toContain('佐藤');
      const shown = await page(clerkA, `/registry/residents/${X}?purpose=certificate`);
      expect(shown.statusCode).toBe(200);
      expect(shown.body).toContain('佐藤 健');
      expect(shown.body).toContain('<caption>異動履歴</caption>');
      expect(shown.body).toContain('転居');
      expect(shown.body).toContain('令和6年6月1日（2024-06-01）');
    });

    it('sends strangers to sign in and keeps case workers out', async () => {
      const stranger = await page(undefined, '/registry');
      expect(stranger.statusCode).toBe(303);
      expect((await page(workerA, '/registry')).statusCode).toBe(403);
    });
  });
});
