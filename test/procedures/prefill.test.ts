// ワンスオンリー across the three zones: a resident signed in on the portal asks for their own
// registry facts and household; the request goes to lgwan (sanitized) and waits in its outbox;
// mynumber pulls it, finds the person behind the card's subject id, reads the registry, audits
// the read and pushes the answer to lgwan; lgwan leaves it for the portal, which pulls it and
// serves it for an hour. The gateway is driven by hand here (in production each zone pulls
// every few seconds). Nothing personal is written to any zone's audit log.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyPrefill,
  loadCatalogue,
  type PrefillAnswer,
  prunePrefills,
} from '../../src/modules/procedures/index.ts';
import { pendingInOutbox, prefillRequestV1, prefillV1 } from '../../src/zones/gateway/index.ts';
import type { RunningZone } from '../../src/zones/index.ts';
import { auditActions, type ThreeZones } from '../gateway/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident } from '../sanitize/support.ts';
import { myNumberOf, residentCodeOf } from '../support/registry-ids.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { asStaff, residentNamed } from './support.ts';

const CHIYODA = '131016';
let zones: ThreeZones & { remove(): void };
let registrar: SignedInStaff;
/** 佐藤花子 (resident 901), head of a 世帯 of three. */
let hanako: SignedInResident;

beforeAll(async () => {
  zones = await openZonesWithPki();
  registrar = await signedInStaff(zones.mynumber, { municipalityCode: CHIYODA, roles: ['registry-clerk'] });
  hanako = await signedInResident(zones, 901);
  // Her household: a husband who moved in to join it, and a child born into it.
  await lifeEvent({
    kind: 'move-in',
    person: newPerson(902, '佐藤', '健一', 'さとう', 'けんいち', 1, '1948-08-08'),
    effectiveOn: '2024-05-01',
    address: '千代田一丁目1番1号',
    postalCode: '1000001',
    household: { kind: 'join', residentCode: residentCodeOf(901), relationship: '夫' },
  });
  await lifeEvent({
    kind: 'birth',
    person: newPerson(903, '佐藤', '三郎', 'さとう', 'さぶろう', 1, '2024-10-10'),
    address: '千代田一丁目1番1号',
    postalCode: '1000001',
    household: { kind: 'join', residentCode: residentCodeOf(901), relationship: '子' },
  });
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

function newPerson(
  n: number,
  familyName: string,
  givenName: string,
  familyNameKana: string,
  givenNameKana: string,
  sex: 1 | 2,
  birthDate: string,
) {
  return {
    residentCode: residentCodeOf(n),
    myNumber: myNumberOf(n),
    familyName,
    givenName,
    familyNameKana,
    givenNameKana,
    sex,
    birthDate,
  };
}

async function lifeEvent(payload: Record<string, unknown>) {
  const response = await asStaff(zones.mynumber, registrar)(
    'POST',
    `/api/v1/municipalities/${CHIYODA}/residents/events`,
    payload,
  );
  expect(response.statusCode, response.body).toBe(201);
}

const ask = (who: SignedInResident, headers: Record<string, string> = { 'x-csrf-token': who.csrf }) =>
  zones.internet.app.inject({
    method: 'POST',
    url: '/api/v1/me/prefill',
    headers: { cookie: who.cookie, ...headers },
  });
const look = (who: SignedInResident) =>
  zones.internet.app.inject({ method: 'GET', url: '/api/v1/me/prefill', headers: { cookie: who.cookie } });

/** mynumber pulls lgwan's outbox (and answers inside), then the portal pulls the answers. */
async function driveGateway() {
  const mynumber = await zones.mynumber.gateway.pull('lgwan', 100);
  const internet = await zones.internet.gateway.pull('lgwan', 100);
  return { mynumber, internet };
}

async function outboxTypes(zone: RunningZone, to: string): Promise<string[]> {
  const result = await sql<{ type: string }>`
    select type from gateway_outbox where to_zone = ${to} and acked_at is null order by seq`.execute(
    zone.context.database.db,
  );
  return result.rows.map((row) => row.type);
}

/** Every audit entry and inbox result a zone holds, as text (not the hashes). */
async function loggedText(zone: RunningZone): Promise<string> {
  await zone.context.audit.flush();
  const audit = await sql`select actor, action, target, reason, details from audit_log`.execute(
    zone.context.database.db,
  );
  const inbox = await sql`select type, result from gateway_inbox`.execute(zone.context.database.db);
  return JSON.stringify([audit.rows, inbox.rows]);
}

describe('a form pre-filled from the registry', () => {
  it('is asked on the portal, answered by mynumber through lgwan, and served with the household', async () => {
    expect((await look(hanako)).statusCode).toBe(404);
    const asked = await ask(hanako);
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json()).toEqual({ status: 'pending' });
    expect((await look(hanako)).json()).toEqual({ status: 'pending' });

    // lgwan has the request for mynumber (pushed at once); nothing reaches the portal yet.
    expect(await outboxTypes(zones.lgwan, 'mynumber')).toContain(prefillRequestV1.type);
    const answeredByMynumber = await zones.mynumber.gateway.pull('lgwan', 100);
    expect(answeredByMynumber.processed).toBeGreaterThanOrEqual(1);
    expect(await outboxTypes(zones.lgwan, 'internet')).toContain(prefillV1.type);
    expect((await look(hanako)).json()).toEqual({ status: 'pending' });
    await zones.internet.gateway.pull('lgwan', 100);
    expect(await pendingInOutbox(zones.lgwan.context.database, 'internet')).toBe(0);
    // lgwan only passed it on: once acknowledged, its outbox keeps no copy of the household.
    const kept = await sql<{ envelope: unknown }>`
      select envelope from gateway_outbox where type = ${prefillV1.type}`.execute(
      zones.lgwan.context.database.db,
    );
    expect(kept.rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(kept.rows)).not.toContain('花子');

    const ready = await look(hanako);
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.headers['cache-control']).toBe('no-store');
    const body = ready.json();
    expect(body).toEqual({
      status: 'ready',
      person: {
        name: '佐藤\u3000花子',
        nameKana: 'ヤマダ\u3000タロウ',
        postalCode: null,
        address: '東京都千代田区千代田一丁目1番1号',
        birthDate: '1950-03-03',
        sex: '1',
      },
      householdMembers: [
        {
          name: '佐藤\u3000花子',
          nameKana: 'ヤマダ\u3000タロウ',
          birthDate: '1950-03-03',
          sex: '1',
          relationship: '世帯主',
        },
        {
          name: '佐藤\u3000健一',
          nameKana: 'サトウ\u3000ケンイチ',
          birthDate: '1948-08-08',
          sex: '1',
          relationship: '夫',
        },
        {
          name: '佐藤\u3000三郎',
          nameKana: 'サトウ\u3000サブロウ',
          birthDate: '2024-10-10',
          sex: '1',
          relationship: '子',
        },
      ],
      asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });

    // The portal's pages fill a form with it.
    const nursery = loadCatalogue().get('nursery-admission-application')!;
    const data = applyPrefill(nursery, { found: true, ...body } as PrefillAnswer);
    expect(data.household).toEqual([
      { name: '佐藤\u3000花子', relationship: '世帯主', birthDate: '1950-03-03' },
      { name: '佐藤\u3000健一', relationship: '夫', birthDate: '1948-08-08' },
      { name: '佐藤\u3000三郎', relationship: '子', birthDate: '2024-10-10' },
    ]);

    // mynumber audited the read: the resident's pseudonym, the person's opaque id, the purpose.
    const reads = (await auditActions(zones.mynumber, 'registry.person.read')).filter(
      (entry) => entry.view === 'prefill',
    );
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ found: true, members: 3, via: 'gateway:lgwan' });
    expect(reads[0]!.actor).toMatch(/^resident:[0-9a-f-]{36}$/);
    expect(reads[0]!.target).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is asked at most once a minute, with the session and its CSRF token', async () => {
    expect((await ask(hanako)).statusCode).toBe(429);
    expect((await ask(hanako, {})).statusCode).toBe(403);
    const anonymous = await zones.internet.app.inject({ method: 'POST', url: '/api/v1/me/prefill' });
    expect(anonymous.statusCode).toBe(401);
    expect((await zones.internet.app.inject({ method: 'GET', url: '/api/v1/me/prefill' })).statusCode).toBe(
      401,
    );
  });

  it("gives another resident their own facts only, and leaves the first one's answer as it was", async () => {
    const before = (await look(hanako)).json();
    const { resident: ichiro } = await residentNamed(zones, registrar, 911, '鈴木', '一郎', '1960-06-06');
    expect((await look(ichiro)).statusCode).toBe(404);
    expect((await ask(ichiro)).statusCode).toBe(202);
    await driveGateway();
    const own = (await look(ichiro)).json();
    expect(own.person).toMatchObject({ name: '鈴木\u3000一郎', birthDate: '1960-06-06' });
    expect(own.householdMembers.map((m: { name: string }) => m.name)).toEqual(['鈴木\u3000一郎']);
    expect(JSON.stringify(own)).not.toMatch(/佐藤/);
    expect((await look(hanako)).json()).toEqual(before);
  });

  it('finds no one for a resident who has moved out, or a subject id with no live card', async () => {
    const { residentCode, resident: jiro } = await residentNamed(
      zones,
      registrar,
      912,
      '高橋',
      '次郎',
      '1970-07-07',
    );
    await lifeEvent({
      kind: 'move-out',
      residentCode,
      effectiveOn: '2025-03-31',
      toAddress: '大阪府大阪市北区',
    });
    expect((await ask(jiro)).statusCode).toBe(202);
    await driveGateway();
    expect((await look(jiro)).json()).toEqual({
      status: 'ready',
      person: null,
      householdMembers: [],
      asOf: expect.any(String),
    });

    // A subject id no card carries (sent by hand, as a tampered portal might).
    const stranger = randomUUID();
    await zones.internet.gateway.send('lgwan', prefillRequestV1, {
      municipalityCode: CHIYODA as never,
      payload: { requestId: randomUUID(), subjectId: stranger, requestedAt: new Date().toISOString() },
    });
    await driveGateway();
    const reads = await auditActions(zones.mynumber, 'registry.person.read');
    expect(reads.filter((e) => e.view === 'prefill' && e.found === false).map((e) => e.why)).toEqual([
      'not-resident',
      'no-live-auth-certificate',
    ]);
    expect(reads.find((e) => e.actor === `resident:${stranger}`)).toMatchObject({ target: null, members: 0 });
  });

  it('refuses a request that is not closed and bounded', () => {
    const request = {
      requestId: randomUUID(),
      subjectId: randomUUID(),
      requestedAt: new Date().toISOString(),
    };
    expect(prefillRequestV1.check(request)).toBe(true);
    expect(prefillRequestV1.check({ ...request, myNumber: myNumberOf(901) })).toBe(false);
    expect(prefillRequestV1.check({ ...request, subjectId: 'x'.repeat(37) })).toBe(false);
  });

  it('serves no answer past its hour, and the upkeep deletes it', async () => {
    const db = zones.internet.context.database.db;
    await sql`update procedure_prefills set answered_at = answered_at - interval '61 minutes',
      expires_at = expires_at - interval '61 minutes'
      where resident = (select resident from procedure_prefills where answer->'person'->>'birthDate' = '1950-03-03')`.execute(
      db,
    );
    expect((await look(hanako)).statusCode).toBe(404);
    expect(await prunePrefills(db, new Date())).toBe(1);
    // Asked again (the minute has passed since the old request), a new answer comes.
    expect((await ask(hanako)).statusCode).toBe(202);
    await driveGateway();
    expect((await look(hanako)).json().status).toBe('ready');
  });

  it('writes nothing personal to the audit log or the inbox of any zone', async () => {
    const personal = [
      '佐藤',
      '花子',
      '健一',
      '鈴木',
      '高橋',
      'ヤマダ',
      'サトウ',
      'スズキ',
      '千代田一丁目',
      '1950-03-03',
      '1948-08-08',
      '2024-10-10',
      '1960-06-06',
      '1000001',
      myNumberOf(901),
      residentCodeOf(901),
    ];
    for (const [name, zone] of Object.entries({
      internet: zones.internet,
      lgwan: zones.lgwan,
      mynumber: zones.mynumber,
    })) {
      const text = await loggedText(zone);
      for (const item of personal) expect(text, `${name}: ${item}`).not.toContain(item);
    }
  });
});
