// Premium points offers by points staff in lgwan: an offer and the public money added to its
// budget reach the internet zone through lgwan's outbox, where a resident buys; the money is
// posted once however often its message arrives, and an older save never replaces a newer.
// Refusals are said on the page in Japanese and send nothing; other roles are turned away.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, systemClock, tenantScope } from '../../src/core/index.ts';
import {
  accountId,
  balanceOf,
  buyPremiumPoints,
  openAccount,
  type PointsLedgerTables,
  type PremiumDb,
  premiumBudgetOf,
  premiumOfferOf,
  premiumOffersFor,
  reconcileLedger,
} from '../../src/modules/points/index.ts';
import { TEST_CARDS, testPaymentProvider } from '../../src/modules/procedures/index.ts';
import { pendingInOutbox, pointsPremiumOfferV1 } from '../../src/zones/gateway/index.ts';
import { createEmbeddedNetwork } from '../../src/zones/index.ts';
import { openThreeZones, type ThreeZones } from '../gateway/support.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
let zones: ThreeZones;
let staff: SignedInStaff;

const summer = {
  offerId: 'summer-2026',
  nameJa: '夏のプレミアムポイント',
  nameEn: 'Summer premium points',
  priceYen: '10,000',
  points: '１２０００',
  maxUnitsPerPerson: '3',
  pointsExpireOn: '2099-03-31',
  salesFrom: '',
  salesUntil: '',
  active: '1',
  budgetPoints: '100000',
};

function form(who: SignedInStaff, fields: Record<string, string>, csrf = true) {
  return zones.lgwan.app.inject({
    method: 'POST',
    url: '/points/admin/premium',
    headers: { cookie: who.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...(csrf ? { _csrf: who.csrfToken } : {}), ...fields }).toString(),
  });
}
const page = (who: SignedInStaff, url = '/points/admin/premium') =>
  zones.lgwan.app.inject({ method: 'GET', url, headers: { cookie: who.cookie, accept: 'text/html' } });
const pending = () => pendingInOutbox(zones.lgwan.context.database, 'internet');
const deliver = () => zones.internet.gateway.pull('lgwan', 100);
const internet = () => zones.internet.context.database.db as unknown as PremiumDb;
const ledger = () => zones.internet.context.database.db as unknown as Kysely<PointsLedgerTables>;
const budget = async () => (await balanceOf(ledger(), chiyoda, premiumBudgetOf('summer-2026'))).posted;

/** The offer messages waiting in lgwan's outbox (before they are pulled, which empties them). */
async function waiting() {
  const rows = await sql<{ message_id: string; envelope: { payload: Record<string, unknown> } | string }>`
    select message_id, envelope from gateway_outbox
    where to_zone = 'internet' and acked_at is null and type = 'points.premium-offer' order by seq`.execute(
    zones.lgwan.context.database.db,
  );
  return rows.rows.map((row) => ({
    id: row.message_id,
    envelope: (typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope) as {
      payload: Record<string, unknown>;
    },
  }));
}

beforeAll(async () => {
  zones = await openThreeZones(createEmbeddedNetwork(), systemClock);
  staff = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['points-admin'] });
});
afterAll(async () => {
  await zones?.close();
});

describe('premium points offers in lgwan', () => {
  it('defines an offer with its budget, which a resident then buys in the internet zone', async () => {
    const saved = await form(staff, summer);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).toContain(
      '商品「夏のプレミアムポイント」を保存し、予算に100,000ポイントを追加して、インターネット接続系へ送りました',
    );
    expect(saved.body).toContain('プレミアム率20％');
    expect(await pending()).toBe(1);
    expect((await deliver()).processed).toBe(1);
    expect(await premiumOfferOf(internet(), chiyoda, 'summer-2026')).toMatchObject({
      priceYen: 10_000,
      points: 12_000,
      maxUnitsPerPerson: 3,
      pointsExpireOn: '2099-03-31',
      active: true,
    });
    expect(await budget()).toBe(100_000);

    const myKeyId = 'MKPREMIUMADMIN01';
    await openAccount(ledger(), chiyoda, 'resident', myKeyId, systemClock.now());
    const [forResident] = await premiumOffersFor(internet(), chiyoda, myKeyId, systemClock.now());
    expect(forResident).toMatchObject({ unitsLeft: 3, budgetRemains: true });
    const context = {
      audit: zones.internet.context.audit,
      clock: systemClock,
      provider: testPaymentProvider(zones.internet.context.database, systemClock),
    };
    const purchase = await buyPremiumPoints(internet(), context, chiyoda, {
      myKeyId,
      offerId: 'summer-2026',
      units: 2,
      purchaseId: `buy-${randomUUID()}`,
      method: { kind: 'card', token: TEST_CARDS.approved },
    });
    expect(purchase).toMatchObject({ state: 'paid', points: 24_000, premiumPoints: 4_000 });
    expect((await balanceOf(ledger(), chiyoda, accountId('resident', myKeyId))).posted).toBe(24_000);
    expect(await budget()).toBe(96_000);
  });

  it('changes the terms without adding money; the form shows a kept offer to change', async () => {
    const shown = await page(staff, '/points/admin/premium?offer=summer-2026');
    expect(shown.body).toContain('value="summer-2026"');
    expect(shown.body).toContain('value="12000"');
    const changed = await form(staff, {
      ...summer,
      maxUnitsPerPerson: '5',
      salesFrom: '2026/4/1',
      salesUntil: '2099-12-31',
      budgetPoints: '',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.body).toContain(
      '商品「夏のプレミアムポイント」を保存し、インターネット接続系へ送りました',
    );
    expect(changed.body).toContain('販売期間：2026-04-01〜2099-12-31');
    await deliver();
    const offer = await premiumOfferOf(internet(), chiyoda, 'summer-2026');
    expect(offer.maxUnitsPerPerson).toBe(5);
    expect(offer.salesFrom?.toISOString()).toBe('2026-03-31T15:00:00.000Z');
    // Sold to the end of the last day, Japan time.
    expect(offer.salesUntil?.toISOString()).toBe('2099-12-31T15:00:00.000Z');
    expect(await budget()).toBe(96_000);
  });

  it('posts the money once and keeps the newest terms, however the messages come again', async () => {
    const lgwanDb = zones.lgwan.context.database.db;
    await form(staff, { ...summer, maxUnitsPerPerson: '4', budgetPoints: '5000' });
    await form(staff, { ...summer, maxUnitsPerPerson: '6', budgetPoints: '' });
    const [funded, newest] = await waiting();
    expect(funded?.envelope.payload.funding).toMatchObject({ points: 5_000 });
    expect((await deliver()).processed).toBe(2);
    expect(await budget()).toBe(101_000);
    const kept = await sql<{ revision: number }>`
      select revision from points_premium_offers where offer_id = 'summer-2026'`.execute(internet());
    expect(kept.rows[0]?.revision).toBe(4);

    // The same message again (its ack was lost): the inbox drops it by id.
    await sql`update gateway_outbox set acked_at = null, leased_until = null,
      envelope = ${JSON.stringify(funded!.envelope)}::jsonb where message_id = ${funded!.id}`.execute(
      lgwanDb,
    );
    expect(await deliver()).toMatchObject({ processed: 0, duplicates: 1 });
    // The funded save under a new id: an older revision, and a funding id posted before.
    await lgwanDb.transaction().execute((trx) =>
      zones.lgwan.gateway.enqueue(trx, 'internet', pointsPremiumOfferV1, {
        municipalityCode: chiyoda.municipalityCode,
        payload: funded!.envelope.payload as never,
      }),
    );
    expect((await deliver()).processed).toBe(1);
    expect(await budget()).toBe(101_000);
    expect((await premiumOfferOf(internet(), chiyoda, 'summer-2026')).maxUnitsPerPerson).toBe(6);
    expect(newest?.envelope.payload.funding).toBeNull();
    const result = await reconcileLedger(ledger(), chiyoda);
    expect(result.mismatches).toEqual([]);
    const listed = await page(staff);
    expect(listed.body).toContain('105,000 pt');
  });

  it('says in Japanese what is wrong, keeps what was typed, and sends nothing', async () => {
    const before = await pending();
    const cheap = await form(staff, { ...summer, offerId: 'cheap', points: '9000' });
    expect(cheap.statusCode).toBe(422);
    expect(cheap.body).toContain('<title>エラー：');
    expect(cheap.body).toContain('付与ポイントは販売価格以上');
    expect(cheap.body).toContain('value="9000"');
    const many = await form(staff, {
      ...summer,
      offerId: 'Bad Id',
      maxUnitsPerPerson: '100',
      pointsExpireOn: '2026-02-30',
      salesFrom: '2026-08-01',
      salesUntil: '2026-07-01',
      budgetPoints: 'たくさん',
      nameEn: '',
    });
    expect(many.statusCode).toBe(422);
    for (const said of [
      '利用期限は日付で入力してください',
      '予算に追加するポイントは1〜1,000,000,000の整数で',
      '商品名（英語）を100文字以内で入力してください。',
      '商品IDは英小文字・数字・-で40文字以内です。',
    ]) {
      expect(many.body).toContain(said);
    }
    const window = await form(staff, { ...summer, salesFrom: '2026-08-01', salesUntil: '2026-07-01' });
    expect(window.statusCode).toBe(422);
    expect(window.body).toContain('販売終了日は販売開始日以降の日付で入力してください。');
    const units = await form(staff, { ...summer, maxUnitsPerPerson: '0' });
    expect(units.body).toContain('1人あたりの上限口数は1〜99の整数です。');
    expect(await pending()).toBe(before);
  });

  it('is for points staff only, and refuses a form without its CSRF token', async () => {
    const before = await pending();
    const clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['auditor'] });
    expect((await page(clerk)).statusCode).toBe(403);
    expect((await form(clerk, { ...summer, offerId: 'clerk' })).statusCode).toBe(403);
    expect((await form(staff, { ...summer, offerId: 'forged' }, false)).statusCode).toBe(403);
    const sapporo = await signedInStaff(zones.lgwan, { municipalityCode: '011002', roles: ['points-admin'] });
    expect((await page(sapporo)).body).not.toContain('夏のプレミアムポイント');
    expect(await pending()).toBe(before);
  });
});
