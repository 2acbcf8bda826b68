// Partner companies in lgwan: staff register a partner (its Ed25519 public key pasted), which
// reaches the internet zone through lgwan's outbox, where the partner's signed exchanges then
// work; staff ask for a month's invoices, the internet zone counts and answers, and lgwan shows
// them and gives them as CSV. Refusals are said on the page in Japanese and send nothing; a
// message delivered twice, or an older save delivered after a newer one, changes nothing.
import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, systemClock, tenantScope, toIsoDate } from '../../src/core/index.ts';
import {
  openAccount,
  type PartnersDb,
  type PointsLedgerTables,
  partnerOf,
  partnerSigningInput,
} from '../../src/modules/points/index.ts';
import { pendingInOutbox, pointsInvoicesV1, pointsPartnerV1 } from '../../src/zones/gateway/index.ts';
import { createEmbeddedNetwork } from '../../src/zones/index.ts';
import { auditActions, openThreeZones, type ThreeZones } from '../gateway/support.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
const MYKEY = 'MKPARTNERSTAFF';
let zones: ThreeZones;
let staff: SignedInStaff;
let partnerKey: KeyObject;
let publicKeyPem: string;

function form(who: SignedInStaff, url: string, fields: Record<string, string>, csrf = true) {
  return zones.lgwan.app.inject({
    method: 'POST',
    url,
    headers: { cookie: who.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...(csrf ? { _csrf: who.csrfToken } : {}), ...fields }).toString(),
  });
}

const page = (url: string, who = staff) =>
  zones.lgwan.app.inject({ method: 'GET', url, headers: { cookie: who.cookie, accept: 'text/html' } });

const outbox = () => pendingInOutbox(zones.lgwan.context.database, 'internet');
/** The internet zone takes what lgwan's outbox holds (and answers what asks for an answer). */
const deliver = () => zones.internet.gateway.pull('lgwan', 100);

/** An exchange as the partner's server sends it: signed with its Ed25519 key over timestamp, method, path and body. */
function exchange(partnerPoints: number) {
  const path = '/api/v1/municipalities/131016/points/partners/sky-air/exchanges';
  const body = JSON.stringify({ exchangeId: `x-${randomUUID()}`, myKeyId: MYKEY, partnerPoints });
  const timestamp = String(Date.now());
  const signature = sign(null, partnerSigningInput({ timestamp, method: 'POST', path, body }), partnerKey);
  return zones.internet.app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/json',
      'x-machi-timestamp': timestamp,
      'x-machi-signature': signature.toString('base64'),
    },
    payload: body,
  });
}

const skyAir = () => ({
  partnerId: 'sky-air',
  name: 'スカイ航空',
  publicKeyPem,
  ratePartnerPoints: '2',
  ratePoints: '1',
  dailyCapPoints: '3000',
  active: '1',
});
const internetPartner = () =>
  partnerOf(zones.internet.context.database.db as unknown as PartnersDb, chiyoda, 'sky-air');

beforeAll(async () => {
  zones = await openThreeZones(createEmbeddedNetwork(), systemClock);
  staff = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['points-admin'] });
  const pair = generateKeyPairSync('ed25519');
  partnerKey = pair.privateKey;
  publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const ledger = zones.internet.context.database.db as unknown as Kysely<PointsLedgerTables>;
  await openAccount(ledger, chiyoda, 'resident', MYKEY, systemClock.now());
});
afterAll(async () => {
  await zones?.close();
});

describe('partner companies in lgwan', () => {
  it('registers a partner, which the internet zone takes; its signed exchanges then work', async () => {
    const saved = await form(staff, '/points/admin/partners', skyAir());
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).toContain('提携事業者「スカイ航空」を保存し、インターネット接続系へ送りました');
    expect(saved.body).toContain('2 事業者ポイント → 1 自治体ポイント');
    expect(await outbox()).toBe(1);
    expect(await exchange(100).then((response) => response.statusCode)).toBe(404);
    await deliver();
    expect(await internetPartner()).toMatchObject({
      name: 'スカイ航空',
      rate: { partnerPoints: 2, points: 1 },
      dailyCapPoints: 3_000,
      active: true,
    });
    const converted = await exchange(1_001);
    expect(converted.statusCode, converted.body).toBe(201);
    expect(converted.json()).toMatchObject({ partnerPoints: 1_001, points: 500 });
    const [entry] = await auditActions(zones.lgwan, 'points.partner.register');
    expect(entry).toMatchObject({ actor: `staff:${staff.staffId}`, target: 'sky-air', revision: 1 });
  });

  it('stops a partner without the key pasted again, and an older save delivered late changes nothing', async () => {
    const { publicKeyPem: _key, ...rest } = skyAir();
    const stopped = await form(staff, '/points/admin/partners', {
      ...rest,
      active: '',
      dailyCapPoints: '2000',
    });
    expect(stopped.statusCode, stopped.body).toBe(200);
    expect(stopped.body).toContain('停止中');
    await deliver();
    expect(await internetPartner()).toMatchObject({ active: false, dailyCapPoints: 2_000 });
    expect((await exchange(100)).statusCode).toBe(403);

    // The first save (revision 1, active) arrives again after the second: the partner stays stopped.
    await zones.lgwan.context.database.db.transaction().execute((trx) =>
      zones.lgwan.gateway.enqueue(trx, 'internet', pointsPartnerV1, {
        municipalityCode: chiyoda.municipalityCode,
        payload: {
          partnerId: 'sky-air',
          name: 'スカイ航空',
          publicKeyPem,
          rate: { partnerPoints: 2, points: 1 },
          dailyCapPoints: 3_000,
          active: true,
          revision: 1,
        },
      }),
    );
    await deliver();
    expect(await internetPartner()).toMatchObject({ active: false, dailyCapPoints: 2_000 });

    await form(staff, '/points/admin/partners', { ...rest, active: '1' });
    await deliver();
    expect((await internetPartner()).active).toBe(true);
  });

  it.each([
    ['a key that is not PEM', { publicKeyPem: 'ssh-ed25519 AAAAC3Nza' }, '公開鍵を読み取れません'],
    [
      'an RSA key',
      {
        publicKeyPem: generateKeyPairSync('rsa', { modulusLength: 1024 })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString(),
      },
      '公開鍵がEd25519の鍵ではありません',
    ],
    ['a rate of 0', { ratePoints: '0' }, '交換レートは'],
    ['a rate in words', { ratePartnerPoints: 'two' }, '交換レートは'],
    ['no daily cap', { dailyCapPoints: '' }, '1日の上限は'],
    ['an id with capitals', { partnerId: 'Sky-Air' }, '事業者IDは'],
    ['no name', { partnerId: 'new-one', name: ' ' }, '事業者名を'],
  ])('refuses %s, says why in Japanese, keeps what was typed and sends nothing', async (_, change, words) => {
    const before = await outbox();
    const refused = await form(staff, '/points/admin/partners', { ...skyAir(), ...change });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('<title>エラー：');
    expect(refused.body).toContain(words);
    expect(refused.body).toContain(`value="${(change as { partnerId?: string }).partnerId ?? 'sky-air'}"`);
    expect(await outbox()).toBe(before);
  });

  it('says the same in English with ?lang=en', async () => {
    const refused = await form(staff, '/points/admin/partners?lang=en', { ...skyAir(), ratePoints: '0' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Both sides of the rate are whole numbers');
  });

  it('asks for a month’s invoices, shows the answer when it arrives, and gives it as CSV', async () => {
    const month = toIsoDate(systemClock.now()).slice(0, 7);
    const asked = await form(staff, '/points/admin/partners/invoices', { month });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.body).toContain('インターネット接続系からの回答を待っています');
    expect(await outbox()).toBe(1);
    const early = await page(`/points/admin/partners/invoices.csv?month=${month}`);
    expect(early.statusCode).toBe(404);

    await deliver();
    const shown = await page(`/points/admin/partners?month=${month}`);
    expect(shown.body).not.toContain('インターネット接続系からの回答を待っています');
    const table = shown.body.slice(shown.body.indexOf('data-testid="invoices"'));
    // One exchange of 1,001 partner points for 500 points; the refused ones count for nothing.
    expect(table).toMatch(
      /スカイ航空.*?<td class="numeric">1<\/td><td class="numeric">1,001<\/td><td class="numeric">500<\/td><td class="numeric">500<\/td>/s,
    );

    const csv = await page(`/points/admin/partners/invoices.csv?month=${month}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(`partner-invoices-131016-${month}.csv`);
    expect(csv.body).toBe(
      `\uFEFF対象月,事業者ID,事業者名,交換件数,事業者ポイント,自治体ポイント,請求額（円）\r\n${month},sky-air,スカイ航空,1,1001,500,500\r\n`,
    );
  });

  it('keeps an answer once, however often it is delivered', async () => {
    const db = zones.lgwan.context.database.db;
    const [request] = await db
      .selectFrom('points_admin_invoice_requests' as never)
      .select(['request_id' as never, 'answered_at' as never])
      .execute();
    const { request_id: requestId, answered_at: answeredAt } = request as {
      request_id: string;
      answered_at: Date;
    };
    // The answer as it arrived: its id is the one the internet zone derives from the request.
    const [arrived] = await db
      .selectFrom('gateway_inbox' as never)
      .select('message_id' as never)
      .where('type' as never, '=', 'points.invoices' as never)
      .execute();
    const answerId = (arrived as { message_id: string }).message_id;
    const answer = {
      requestId,
      month: toIsoDate(systemClock.now()).slice(0, 7),
      computedAt: new Date().toISOString(),
      invoices: [],
    };
    const again = await zones.internet.gateway.send('lgwan', pointsInvoicesV1, {
      id: answerId,
      municipalityCode: chiyoda.municipalityCode,
      payload: answer,
    });
    expect(again.duplicate).toBe(true);
    // Another message answering the same request is not kept either: the first answer stands.
    const other = await zones.internet.gateway.send('lgwan', pointsInvoicesV1, {
      municipalityCode: chiyoda.municipalityCode,
      payload: answer,
    });
    expect(other.result).toEqual({ kept: false });
    const [after] = await db
      .selectFrom('points_admin_invoice_requests' as never)
      .select(['answered_at' as never])
      .execute();
    expect((after as { answered_at: Date }).answered_at).toEqual(answeredAt);
    expect(await deliver()).toMatchObject({ processed: 0 });
  });

  it('refuses a month to come, and is for points staff only', async () => {
    const refused = await form(staff, '/points/admin/partners/invoices', { month: '2999-01' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('対象月を、今月以前の年月');
    expect(await outbox()).toBe(0);

    const clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['case-worker'] });
    expect((await page('/points/admin/partners', clerk)).statusCode).toBe(403);
    expect((await form(clerk, '/points/admin/partners', skyAir())).statusCode).toBe(403);
    expect((await form(clerk, '/points/admin/partners/invoices', { month: '2026-01' })).statusCode).toBe(403);
    const month = toIsoDate(systemClock.now()).slice(0, 7);
    expect((await page(`/points/admin/partners/invoices.csv?month=${month}`, clerk)).statusCode).toBe(403);
    const forged = await form(staff, '/points/admin/partners', skyAir(), false);
    expect(forged.statusCode).toBe(403);
    expect(await outbox()).toBe(0);
  });
});
