// The points dashboard: the internet zone counts its ledger day by day and pushes the
// aggregates to lgwan through the gateway; staff with the points or auditor role see them as
// a chart and a table at /points/admin, their own municipality's only.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseLgCode, systemClock, tenantScope, toIsoDate } from '../../src/core/index.ts';
import {
  accountId,
  dailyFigures,
  type FiguresDb,
  openAccount,
  type PointsLedgerTables,
  postTransfer,
  storedPointsFigures,
  type TransferRequest,
} from '../../src/modules/points/index.ts';
import { pointsFiguresV1 } from '../../src/zones/gateway/index.ts';
import { createEmbeddedNetwork } from '../../src/zones/index.ts';
import { pointsFiguresPush } from '../../src/zones/internet/points-figures.ts';
import { openThreeZones, type ThreeZones } from '../gateway/support.ts';
import { signedInStaff } from '../support/staff.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
const sapporo = tenantScope(parseLgCode('011002'));
let zones: ThreeZones;
let ledger: Kysely<PointsLedgerTables>;
let serial = 0;

async function post(scope: typeof chiyoda, request: Omit<TransferRequest, 'transferId'>) {
  const context = { audit: zones.internet.context.audit, clock: zones.internet.context.clock };
  return postTransfer(ledger, context, scope, { transferId: `t-${++serial}`, ...request }, 'system');
}

function page(cookie: string) {
  return zones.lgwan.app.inject({
    method: 'GET',
    url: '/points/admin',
    headers: { cookie, accept: 'text/html' },
  });
}

beforeAll(async () => {
  zones = await openThreeZones(createEmbeddedNetwork(), systemClock);
  ledger = zones.internet.context.database.db as unknown as Kysely<PointsLedgerTables>;
  const now = systemClock.now();
  for (const scope of [chiyoda, sapporo]) {
    await openAccount(ledger, scope, 'issuance', 'earning', now);
    await openAccount(ledger, scope, 'merchant', 'm-kanda', now);
    await openAccount(ledger, scope, 'donations', 'municipality', now);
    for (const who of ['MKAAAAAAAAAAAA', 'MKBBBBBBBBBBBB'])
      await openAccount(ledger, scope, 'resident', who, now);
  }
  const alice = accountId('resident', 'MKAAAAAAAAAAAA');
  const bob = accountId('resident', 'MKBBBBBBBBBBBB');
  const earning = accountId('issuance', 'earning');
  const shop = accountId('merchant', 'm-kanda');
  // 千代田区: 1,500 issued, 400 spent, 100 refunded, 50 donated.
  await post(chiyoda, { code: 'earning', legs: [{ debit: earning, credit: alice, amount: 1_000 }] });
  await post(chiyoda, { code: 'earning', legs: [{ debit: earning, credit: bob, amount: 500 }] });
  await post(chiyoda, { code: 'payment', legs: [{ debit: alice, credit: shop, amount: 400 }] });
  await post(chiyoda, { code: 'refund', legs: [{ debit: shop, credit: alice, amount: 100 }] });
  await post(chiyoda, {
    code: 'donation',
    legs: [{ debit: bob, credit: accountId('donations', 'municipality'), amount: 50 }],
  });
  // 札幌市: something else entirely, never to be seen by 千代田区's staff.
  await post(sapporo, { code: 'earning', legs: [{ debit: earning, credit: alice, amount: 777_777 }] });
});
afterAll(async () => {
  await zones?.close();
});

describe('points figures', () => {
  it("count a day's transfers by what they did to residents, and what residents hold", async () => {
    const today = toIsoDate(systemClock.now());
    const figures = await dailyFigures(ledger, chiyoda, { from: addDays(today, -1), to: today });
    expect(figures.days).toEqual([
      { day: today, issued: 1_500, spent: 400, refunded: 100, expired: 0, donated: 50 },
    ]);
    expect(figures.outstanding).toBe(1_150);
    expect(figures.holders).toBe(2);
    const yesterday = await dailyFigures(ledger, chiyoda, {
      from: addDays(today, -3),
      to: addDays(today, -1),
    });
    expect(yesterday.days).toEqual([]);
  });

  it('reach lgwan and show to points staff as a chart and a table, their municipality only', async () => {
    const staff = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['points-admin'] });
    const before = await page(staff.cookie);
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('まだ集計が届いていません');

    expect(await pointsFiguresPush(zones.internet.context, zones.internet.gateway)()).toBe(2);
    const after = await page(staff.cookie);
    expect(after.statusCode).toBe(200);
    expect(after.body).toMatch(/data-testid="outstanding"><strong>1,150 pt/);
    expect(after.body).toContain('data-testid="total-issued">1,500 pt');
    expect(after.body).toContain('data-testid="total-spent">400 pt');
    expect(after.body).toContain('<svg class="chart"');
    expect(after.body).toContain('日別の発行と利用（過去30日間）');
    expect(after.body).not.toContain('777,777');
  });

  it('are not for staff without the role, nor for anyone signed out', async () => {
    const clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['case-worker'] });
    expect((await page(clerk.cookie)).statusCode).toBe(403);
    const anonymous = await zones.lgwan.app.inject({ method: 'GET', url: '/points/admin' });
    expect([401, 303]).toContain(anonymous.statusCode);
  });

  it("keep each day's newest count when an older one arrives late, and the days it alone counted", async () => {
    const staff = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['auditor'] });
    const today = toIsoDate(systemClock.now());
    const weeksAgo = addDays(today, -20);
    const issued = (day: string, points: number) => ({
      day,
      issued: points,
      spent: 0,
      refunded: 0,
      expired: 0,
      donated: 0,
    });
    // As a five weeks' count would, crossing a later push that counted two days.
    await zones.internet.gateway.send('lgwan', pointsFiguresV1, {
      municipalityCode: chiyoda.municipalityCode,
      payload: {
        computedAt: '2020-01-01T00:00:00.000Z',
        outstanding: 1,
        holders: 1,
        days: [issued(today, 1), issued(weeksAgo, 7)],
      },
    });
    expect((await page(staff.cookie)).body).toMatch(/data-testid="outstanding"><strong>1,150 pt/);
    const stored = await storedPointsFigures(zones.lgwan.context.database.db as FiguresDb, chiyoda, weeksAgo);
    expect(stored?.days.find((day) => day.day === today)?.issued).toBe(1_500);
    expect(stored?.days.find((day) => day.day === weeksAgo)?.issued).toBe(7);
  });

  it('recount five weeks on the first push of a day, and the last two days on the others', async () => {
    let now = systemClock.now();
    const push = pointsFiguresPush(
      { ...zones.internet.context, clock: { now: () => now } },
      zones.internet.gateway,
    );
    const today = toIsoDate(now);
    const tenDaysAgo = addDays(today, -10);
    const alice = accountId('resident', 'MKAAAAAAAAAAAA');
    // Points earned ten days ago (noon in Japan), by the ledger's clock then.
    const earnThen = (amount: number) =>
      postTransfer(
        ledger,
        { audit: zones.internet.context.audit, clock: { now: () => new Date(`${tenDaysAgo}T03:00:00Z`) } },
        chiyoda,
        {
          transferId: `t-${++serial}`,
          code: 'earning',
          legs: [{ debit: accountId('issuance', 'earning'), credit: alice, amount }],
        },
        'system',
      );
    const issuedThen = async () => {
      const stored = await storedPointsFigures(
        zones.lgwan.context.database.db as FiguresDb,
        chiyoda,
        tenDaysAgo,
      );
      return stored?.days.find((day) => day.day === tenDaysAgo)?.issued;
    };
    await earnThen(300);
    expect(await push()).toBe(2);
    expect(await issuedThen()).toBe(300);
    // A count that missed a transfer of that day is not mended by the pushes of the same day…
    await earnThen(200);
    now = new Date(now.getTime() + 5 * 60_000);
    await push();
    expect(await issuedThen()).toBe(300);
    // …but by the first one of the next.
    now = new Date(now.getTime() + 24 * 3_600_000);
    await push();
    expect(await issuedThen()).toBe(500);
  });
});
