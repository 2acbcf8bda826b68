// Points administration in lgwan: staff define an earning programme and make a batch of
// participation codes; both reach the internet zone through lgwan's outbox (only the codes'
// digests), where a resident then redeems a printed code. Refusals are said on the page, and
// nothing is sent for them; other roles are turned away.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, systemClock, tenantScope } from '../../src/core/index.ts';
import {
  accountId,
  balanceOf,
  type EarningDb,
  openAccount,
  type PointsLedgerTables,
  programmeOf,
  redeemGrantCode,
} from '../../src/modules/points/index.ts';
import { pendingInOutbox } from '../../src/zones/gateway/index.ts';
import { createEmbeddedNetwork } from '../../src/zones/index.ts';
import { openThreeZones, type ThreeZones } from '../gateway/support.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
let zones: ThreeZones;
let staff: SignedInStaff;

function form(who: SignedInStaff, url: string, fields: Record<string, string>) {
  return zones.lgwan.app.inject({
    method: 'POST',
    url,
    headers: { cookie: who.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: who.csrfToken, ...fields }).toString(),
  });
}

const cleanup = {
  programmeId: 'river-cleanup',
  nameJa: '河川清掃',
  nameEn: 'River clean-up',
  points: '300',
  capPoints: '900',
  capPeriod: 'month',
  expiryMonths: '12',
  minAge: '',
  active: '1',
};

beforeAll(async () => {
  zones = await openThreeZones(createEmbeddedNetwork(), systemClock);
  staff = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['points-admin'] });
});
afterAll(async () => {
  await zones?.close();
});

describe('points administration in lgwan', () => {
  it('defines a programme, which the internet zone takes from the outbox', async () => {
    const saved = await form(staff, '/points/admin/programmes', cleanup);
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('事業「河川清掃」を保存し、インターネット接続系へ送りました');
    expect(await pendingInOutbox(zones.lgwan.context.database, 'internet')).toBe(1);
    await zones.internet.gateway.pull('lgwan', 100);
    const programme = await programmeOf(
      zones.internet.context.database.db as EarningDb,
      chiyoda,
      'river-cleanup',
    );
    expect(programme).toMatchObject({
      points: 300,
      capPoints: 900,
      capPeriod: 'month',
      expiryMonths: 12,
      minAge: null,
    });
  });

  it('says what is wrong with a programme and sends nothing', async () => {
    const refused = await form(staff, '/points/admin/programmes', { ...cleanup, capPoints: '100' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('<title>エラー：');
    expect(refused.body).toContain('value="100"');
    // In the page's language: Japanese first, the checks' own English on the English page.
    expect(refused.body).toContain(
      '1人あたりの上限ポイントは、1回の付与ポイント以上の整数で入力してください。',
    );
    const english = await form(staff, '/points/admin/programmes?lang=en', { ...cleanup, minAge: '200' });
    expect(english.statusCode).toBe(422);
    expect(english.body).toContain('minAge is a whole number of years from 1 to 130, or null.');
    expect(await pendingInOutbox(zones.lgwan.context.database, 'internet')).toBe(0);
  });

  it('makes codes shown once; only their digests go out; a resident redeems one', async () => {
    const made = await form(staff, '/points/admin/codes', {
      programmeId: 'river-cleanup',
      count: '5',
      validDays: '14',
      batchId: 'river-2026-12',
    });
    expect(made.statusCode).toBe(200);
    const codes = [
      ...made.body.matchAll(/<span class="nowrap">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/span>/g),
    ].map((match) => match[1]!);
    expect(codes).toHaveLength(5);
    // Nothing of a code is kept in lgwan, and only digests are in the message.
    const outbox = await zones.lgwan.context.database.db
      .selectFrom('gateway_outbox' as never)
      .selectAll()
      .execute();
    const sent = JSON.stringify(outbox);
    for (const code of codes) expect(sent).not.toContain(code.replaceAll('-', ''));
    await zones.internet.gateway.pull('lgwan', 100);

    const ledger = zones.internet.context.database.db as unknown as Kysely<PointsLedgerTables>;
    await openAccount(ledger, chiyoda, 'resident', 'MKADMINTEST001', systemClock.now());
    const context = { audit: zones.internet.context.audit, clock: systemClock };
    const { transfer } = await redeemGrantCode(ledger, context, chiyoda, {
      code: codes[0]!,
      myKeyId: 'MKADMINTEST001',
    });
    expect(transfer.amount).toBe(300);
    expect((await balanceOf(ledger, chiyoda, accountId('resident', 'MKADMINTEST001'))).posted).toBe(300);

    const again = await form(staff, '/points/admin/codes', {
      programmeId: 'river-cleanup',
      count: '5',
      validDays: '14',
      batchId: 'river-2026-12',
    });
    expect(again.statusCode).toBe(422);
    const tooMany = await form(staff, '/points/admin/codes', {
      programmeId: 'river-cleanup',
      count: '5000',
      validDays: '14',
      batchId: 'river-big',
    });
    expect(tooMany.statusCode).toBe(422);
  });

  it('is for points staff only', async () => {
    const clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['case-worker'] });
    const page = await zones.lgwan.app.inject({
      method: 'GET',
      url: '/points/admin/programmes',
      headers: { cookie: clerk.cookie, accept: 'text/html' },
    });
    expect(page.statusCode).toBe(403);
    expect((await form(clerk, '/points/admin/programmes', cleanup)).statusCode).toBe(403);
    const forged = await zones.lgwan.app.inject({
      method: 'POST',
      url: '/points/admin/programmes',
      headers: { cookie: staff.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(cleanup).toString(),
    });
    expect(forged.statusCode).toBe(403);
  });
});
