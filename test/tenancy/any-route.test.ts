// Staff of one municipality cannot read or change another's data through any route.
// The test walks every route each zone registered: a route nobody classified below fails
// the test, so a new route is checked from the day it is added.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, registeredRoutes, tenantScope } from '../../src/core/index.ts';
import { type Role, roles } from '../../src/modules/identity/index.ts';
import { storePopulationSnapshot } from '../../src/modules/statistics/index.ts';
import {
  internetZone,
  lgwanZone,
  mynumberZone,
  type RunningZone,
  type ZoneDefinition,
} from '../../src/zones/index.ts';
import { myNumberOf, residentCodeOf } from '../support/registry-ids.ts';
import { createTestStaff, type SignedInStaff, signedInStaff, signInStaff } from '../support/staff.ts';
import { openTestZone } from '../support/zone.ts';

const OWN = '131016'; // 千代田区: the staff member who tries
const OTHER = '011002'; // 札幌市: whose data must stay out of reach
const OWN_RESIDENT = residentCodeOf(11);
const OTHER_RESIDENT = residentCodeOf(22);
/** Text that appears only in the other municipality's data: it must never be in an answer. */
// (Not its kana: the search pages echo the kana searched for.)
const OTHER_MARKERS = [OTHER_RESIDENT, myNumberOf(22), '北野', '北一条西二丁目'];

interface Target {
  readonly lgCode: string;
  readonly residentCode: string;
}
interface Sent {
  readonly url: string;
  readonly payload?: Record<string, unknown>;
}

/**
 * How a route is reached. `tenant`: the municipality is in the path; asked for the other
 * one it answers 403, asked for the other's record under its own code 404. `session`: the
 * municipality is the signed-in staff member's own; the other's record is a 404.
 * `sign-in` and `gateway` are checked on their own terms; `public` carries no tenant data.
 */
type RouteCase =
  | { readonly kind: 'tenant'; readonly ownStatus: number; readonly send: (target: Target) => Sent }
  | { readonly kind: 'session'; readonly ownStatus: number; readonly send: (target: Target) => Sent }
  | { readonly kind: 'sign-in' | 'sign-out' | 'gateway' | 'public'; readonly send?: undefined };

const base = (target: Target) => `/api/v1/municipalities/${target.lgCode}`;
const person = (code: number, family: string, familyKana: string) => ({
  residentCode: residentCodeOf(code),
  myNumber: myNumberOf(code),
  familyName: family,
  givenName: '一郎',
  familyNameKana: familyKana,
  givenNameKana: 'いちろう',
  sex: 1,
  birthDate: '1980-05-05',
});

let eventSerial = 100;
const cases: Record<string, RouteCase> = {
  'GET /healthz': { kind: 'public' },
  'GET /': { kind: 'public' },
  'GET /assets/machi.css': { kind: 'public' },
  'GET /problems': { kind: 'public' },
  'GET /problems/:code': { kind: 'public' },
  'GET /staff/sign-in': { kind: 'public' },
  'POST /staff/sign-in': { kind: 'sign-in' },
  'POST /staff/sign-out': { kind: 'sign-out' },
  'POST /gateway/v1/messages': { kind: 'gateway' },
  'POST /gateway/v1/outbox/pull': { kind: 'gateway' },
  'POST /gateway/v1/outbox/ack': { kind: 'gateway' },
  'GET /api/v1/staff/me': { kind: 'session', ownStatus: 200, send: () => ({ url: '/api/v1/staff/me' }) },
  'GET /api/v1/municipalities/:lgCode/staff': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/staff` }),
  },
  'POST /api/v1/municipalities/:lgCode/staff': {
    kind: 'tenant',
    ownStatus: 201,
    send: (target) => ({
      url: `${base(target)}/staff`,
      payload: { userName: `intruder-${eventSerial++}`, displayName: '侵入 者', roles: ['admin'] },
    }),
  },
  'GET /api/v1/municipalities/:lgCode/statistics/population': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/statistics/population` }),
  },
  'POST /api/v1/municipalities/:lgCode/statistics/population/refresh': {
    kind: 'tenant',
    ownStatus: 202,
    send: (target) => ({ url: `${base(target)}/statistics/population/refresh`, payload: {} }),
  },
  'GET /api/v1/municipalities/:lgCode/residents': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/residents?kana=${encodeURIComponent('きたの')}` }),
  },
  'GET /api/v1/municipalities/:lgCode/residences': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({
      url: `${base(target)}/residences?on=2025-01-01&address=${encodeURIComponent('北一条西二丁目')}`,
    }),
  },
  'GET /api/v1/municipalities/:lgCode/residents/:residentCode': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({ url: `${base(target)}/residents/${target.residentCode}?purpose=certificate` }),
  },
  'GET /api/v1/municipalities/:lgCode/residents/:residentCode/history': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({
      url: `${base(target)}/residents/${target.residentCode}/history?purpose=certificate`,
    }),
  },
  'GET /api/v1/municipalities/:lgCode/residents/:residentCode/residence': {
    kind: 'tenant',
    ownStatus: 200,
    send: (target) => ({
      url: `${base(target)}/residents/${target.residentCode}/residence?on=2025-01-01&purpose=certificate`,
    }),
  },
  'POST /api/v1/municipalities/:lgCode/residents/events': {
    kind: 'tenant',
    ownStatus: 201,
    // Moves the addressed resident within the town: a change to an existing record.
    send: (target) => ({
      url: `${base(target)}/residents/events`,
      payload: {
        kind: 'move-within',
        residentCode: target.residentCode,
        effectiveOn: `2025-02-${String((eventSerial++ % 27) + 1).padStart(2, '0')}`,
        address: '北一条西三丁目',
        household: { kind: 'keep' },
      },
    }),
  },
  'GET /registry': {
    kind: 'session',
    ownStatus: 200,
    send: () => ({ url: `/registry?kana=${encodeURIComponent('きたの')}` }),
  },
  'GET /registry/residents/:residentCode': {
    kind: 'session',
    ownStatus: 200,
    send: (target) => ({ url: `/registry/residents/${target.residentCode}?purpose=certificate` }),
  },
};

/** A digest of every row of the other municipality, in every table that leads with municipality_code. */
async function otherFingerprint(zone: RunningZone): Promise<Record<string, string>> {
  const db = zone.context.database.db;
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
    where column_name = 'municipality_code' and table_schema = current_schema()
      and table_name <> 'audit_log'
    order by table_name`.execute(db);
  const digest: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ digest: string | null }>`
      select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest
      from ${sql.table(table_name)} t where municipality_code = ${OTHER}`.execute(db);
    digest[table_name] = rows.rows[0]?.digest ?? '';
  }
  return digest;
}

function expectNoOtherData(body: string, where: string) {
  for (const marker of OTHER_MARKERS) expect(body, `${where} leaked ${marker}`).not.toContain(marker);
}

describe.each([
  ['internet', internetZone],
  ['lgwan', lgwanZone],
  ['mynumber', mynumberZone],
] as const)('any route of the %s zone', (_name, definition: ZoneDefinition) => {
  let zone: RunningZone;
  let staff: SignedInStaff;
  let before: Record<string, string>;
  const hasStaff = definition !== internetZone;

  const send = (method: string, sent: Sent, who: SignedInStaff | undefined, accept?: string) =>
    zone.app.inject({
      method: method as 'GET' | 'POST',
      url: sent.url,
      headers: {
        ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrfToken } : {}),
        ...(accept ? { accept } : {}),
      },
      ...(sent.payload ? { payload: sent.payload } : {}),
    });

  beforeAll(async () => {
    zone = await openTestZone(definition);
    if (!hasStaff) return;
    // Every role at once: the strongest account of the municipality that tries.
    staff = await signedInStaff(zone, { municipalityCode: OWN, roles: [...roles] as Role[] });
    if (definition === mynumberZone) {
      const clerks = await Promise.all(
        [OWN, OTHER].map((code) =>
          signedInStaff(zone, { municipalityCode: code, roles: ['registry-clerk'] }),
        ),
      );
      const people = [person(11, '南田', 'みなみだ'), person(22, '北野', 'きたの')];
      const addresses = ['千代田一丁目1番', '北一条西二丁目'];
      for (const [index, code] of [OWN, OTHER].entries()) {
        const response = await send(
          'POST',
          {
            url: `/api/v1/municipalities/${code}/residents/events`,
            payload: {
              kind: 'move-in',
              person: people[index]!,
              effectiveOn: '2024-04-01',
              address: addresses[index],
              household: { kind: 'new' },
              fromMunicipalityCode: index === 0 ? OTHER : OWN,
            },
          },
          clerks[index],
        );
        expect(response.statusCode, response.body).toBe(201);
      }
    }
    if (definition === lgwanZone) {
      await zone.context.database.db.transaction().execute(async (trx) => {
        for (const code of [OWN, OTHER]) {
          await storePopulationSnapshot(
            trx,
            tenantScope(parseLgCode(code)),
            {
              asOf: '2025-01-01',
              computedAt: '2025-01-01T00:00:00.000Z',
              total: 1,
              bySex: { male: 1, female: 0, notApplicable: 0 },
              byAgeBand: [{ fromAge: 0, toAge: null, count: 1 }],
            },
            zone.context.clock,
          );
        }
      });
      await signedInStaff(zone, { municipalityCode: OTHER, roles: ['admin'] });
    }
    before = await otherFingerprint(zone);
  });
  afterAll(async () => {
    await zone?.close();
  });

  it('classifies every route it registered', () => {
    const unclassified = registeredRoutes(zone.app)
      .map((route) => `${route.method} ${route.url}`)
      .filter((key) => !(key in cases));
    expect(unclassified, 'add these routes to the cases of this test').toEqual([]);
  });

  it('refuses the other municipality on every route that names one, and finds none of its records', async () => {
    for (const route of registeredRoutes(zone.app)) {
      const key = `${route.method} ${route.url}`;
      const routeCase = cases[key];
      if (!routeCase || (routeCase.kind !== 'tenant' && routeCase.kind !== 'session')) continue;
      const own = { lgCode: OWN, residentCode: OWN_RESIDENT };

      // The same request for the staff member's own municipality works: the refusals below
      // come from the tenant check, not from a malformed request.
      const control = await send(route.method, routeCase.send(own), staff);
      expect(control.statusCode, `${key} (own) ${control.body}`).toBe(routeCase.ownStatus);
      expectNoOtherData(control.body, `${key} (own)`);

      if (routeCase.kind === 'tenant') {
        const crossed = await send(
          route.method,
          routeCase.send({ lgCode: OTHER, residentCode: OTHER_RESIDENT }),
          staff,
        );
        expect(crossed.statusCode, `${key} (other) ${crossed.body}`).toBe(403);
        expect(crossed.json().type).toBe('/problems/tenant-forbidden');
        expectNoOtherData(crossed.body, `${key} (other)`);
      }
      if (route.url.includes(':residentCode')) {
        // The other's record, asked for under the staff member's own municipality.
        const smuggled = await send(
          route.method,
          routeCase.send({ lgCode: OWN, residentCode: OTHER_RESIDENT }),
          staff,
          routeCase.kind === 'session' ? 'text/html' : undefined,
        );
        expect(smuggled.statusCode, `${key} (other's record) ${smuggled.body}`).toBe(404);
        expectNoOtherData(smuggled.body, `${key} (other's record)`);
      }
    }
  });

  it('does not let staff sign in to the other municipality with their own account', async () => {
    if (!hasStaff) return;
    const account = await createTestStaff(zone, { municipalityCode: OWN, roles: ['admin'] });
    await expect(signInStaff(zone.app, { ...account, municipalityCode: OTHER })).rejects.toThrow(/401/);
  });

  it('answers staff on gateway routes with 401: only a zone with the pair key may call them', async () => {
    for (const route of registeredRoutes(zone.app)) {
      if (cases[`${route.method} ${route.url}`]?.kind !== 'gateway') continue;
      const response = await send(route.method, { url: route.url, payload: {} }, staff);
      expect(response.statusCode, `${route.url} ${response.body}`).toBe(401);
    }
  });

  it('shows none of the other municipality’s data on public pages', async () => {
    for (const route of registeredRoutes(zone.app)) {
      if (cases[`${route.method} ${route.url}`]?.kind !== 'public' || route.url.includes(':')) continue;
      const response = await send(route.method, { url: route.url }, staff);
      expect(response.statusCode, route.url).toBeLessThan(400);
      expectNoOtherData(response.body, route.url);
    }
  });

  it('left every row of the other municipality as it was', async () => {
    if (!hasStaff) return;
    // Signing out ends only the caller's own session.
    const signOut = await send('POST', { url: '/staff/sign-out' }, staff);
    expect(signOut.statusCode).toBeLessThan(400);
    expect(await otherFingerprint(zone)).toEqual(before);
    expect(Object.keys(before).length).toBeGreaterThan(0);
  });
});
