// Merchant settlement from lgwan: staff save the municipality's account (the Zengin header) and
// ask for a run; the internet zone settles (settleMerchants) and answers with the run as data;
// lgwan makes the Zengin file and the report itself, byte for byte the ones the internet zone
// stored — no file crosses inward. The same run id again pays nothing twice. Refusals are said
// on the page in Japanese and send nothing; an answer delivered twice is kept once. The answer
// leaves the internet zone only once the run committed, and is pushed again until lgwan took it.
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDays,
  type Clock,
  MachiError,
  parseLgCode,
  tenantScope,
  toIsoDate,
} from '../../src/core/index.ts';
import {
  accountId,
  balanceOf,
  type MerchantsDb,
  openAccount,
  type PointsLedgerTables,
  postTransfer,
  registerMerchant,
  ZENGIN_RECORD_BYTES,
  zenginRecords,
} from '../../src/modules/points/index.ts';
import { gatewayPaths, pendingInOutbox, pointsSettlementV1 } from '../../src/zones/gateway/index.ts';
import { LEASE_MS } from '../../src/zones/gateway/outbox.ts';
import { createEmbeddedNetwork, type GatewayNetwork } from '../../src/zones/index.ts';
import { settlementAnswerId } from '../../src/zones/internet/points-settlement-answer.ts';
import { sendSettlementAnswers } from '../../src/zones/internet/points-settlement-answers.ts';
import { auditActions, openThreeZones, type ThreeZones } from '../gateway/support.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
/** The time, moved on by `ahead` to let a pulled message's lease run out. */
let ahead = 0;
const clock: Clock = { now: () => new Date(Date.now() + ahead) };
const embedded = createEmbeddedNetwork();
/** While set, lgwan takes no pushed message (an outage); its outbox can still be pulled. */
let lgwanRefusesPushes = false;
const network: GatewayNetwork = {
  ...embedded,
  transport: {
    async exchange(to, request) {
      if (lgwanRefusesPushes && to === 'lgwan' && request.path === gatewayPaths.messages) {
        throw new MachiError('gateway-unreachable', 'The lgwan zone did not answer.');
      }
      return embedded.transport.exchange(to, request);
    },
  },
};
let zones: ThreeZones;
let staff: SignedInStaff;
let ledger: Kysely<PointsLedgerTables>;
let serial = 0;

function form(who: SignedInStaff, url: string, fields: Record<string, string>, csrf = true) {
  return zones.lgwan.app.inject({
    method: 'POST',
    url,
    headers: { cookie: who.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...(csrf ? { _csrf: who.csrfToken } : {}), ...fields }).toString(),
  });
}
const get = (url: string, who = staff) =>
  zones.lgwan.app.inject({ method: 'GET', url, headers: { cookie: who.cookie, accept: 'text/html' } });
const outbox = () => pendingInOutbox(zones.lgwan.context.database, 'internet');
const pull = () => zones.internet.gateway.pull('lgwan', 100);
const sendAnswers = () => sendSettlementAnswers(zones.internet.context, zones.internet.gateway);
/**
 * What the zones do on their own in the background: the internet zone pulls lgwan's outbox,
 * then pushes the answers of the runs it committed.
 */
async function deliver() {
  const pulled = await pull();
  await sendAnswers();
  return pulled;
}

/** Typed as staff type it: full-width kana, which the page keeps as the file writes it. */
const account = {
  requesterCode: '1234567890',
  requesterName: 'チヨダク　カイケイカ',
  bankCode: '0001',
  bankName: 'みずほ',
  branchCode: '001',
  branchName: 'トウキョウ',
  accountType: '1',
  accountNumber: '1234567',
};
const nextWeek = () => addDays(toIsoDate(clock.now()), 7);

/** A resident earns `amount` points and pays them all at the merchant. */
async function pay(merchantId: string, amount: number) {
  serial += 1;
  const context = { audit: zones.internet.context.audit, clock };
  const payer = await openAccount(ledger, chiyoda, 'resident', `PAYER${serial}`, clock.now());
  const earning = accountId('issuance', 'earning');
  const grant = { transferId: `grant-${serial}`, code: 'earning' as const };
  await postTransfer(
    ledger,
    context,
    chiyoda,
    { ...grant, legs: [{ debit: earning, credit: payer, amount }] },
    'system',
  );
  const legs = [{ debit: payer, credit: accountId('merchant', merchantId), amount }];
  await postTransfer(ledger, context, chiyoda, { transferId: `pay-${serial}`, code: 'payment', legs }, payer);
}

/** What the internet zone stored for a run: its Zengin file and report. */
async function storedRun(settlementId: string) {
  const rows = await zones.internet.context.database.db
    .selectFrom('points_settlements' as never)
    .select(['zengin' as never, 'report' as never])
    .where('settlement_id' as never, '=', settlementId as never)
    .execute();
  return rows as { zengin: Uint8Array; report: string }[];
}

beforeAll(async () => {
  zones = await openThreeZones(network, clock);
  staff = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['points-admin'] });
  ledger = zones.internet.context.database.db as unknown as Kysely<PointsLedgerTables>;
  await openAccount(ledger, chiyoda, 'issuance', 'earning', clock.now());
  const merchants = zones.internet.context.database.db as MerchantsDb;
  const common = { cityLatin: 'CHIYODA-KU', categoryCode: '5411', feeBasisPoints: 150 };
  const bank = (holderKana: string) => ({
    bankCode: '0005',
    branchCode: '123',
    accountType: '1' as const,
    accountNumber: '7654321',
    holderKana,
  });
  for (const [merchantId, name, nameLatin, holder] of [
    ['m-kanda', '神田商店', 'KANDA', 'カ）カンダシヨウテン'],
    ['m-pan', 'やまだパン', 'YAMADA PAN', 'ヤマダ　ハナコ'],
    ['m-nobank', '銀行なし', 'NO BANK', null],
  ] as const) {
    await registerMerchant(
      merchants,
      chiyoda,
      { merchantId, name, nameLatin, ...common, ...(holder ? { bank: bank(holder) } : {}) },
      clock.now(),
    );
  }
  await pay('m-kanda', 12_345);
  await pay('m-pan', 980);
  await pay('m-nobank', 500);
});
afterAll(async () => {
  await zones?.close();
});

describe('merchant settlement from lgwan', () => {
  it('saves the account as the Zengin file writes it and sends it to the internet zone', async () => {
    const saved = await form(staff, '/points/admin/settlement/account', account);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).toContain('精算口座を保存し、インターネット接続系へ送りました');
    expect(saved.body).toContain('value="ﾁﾖﾀﾞｸ ｶｲｹｲｶ"');
    expect(saved.body).toContain('value="ﾐｽﾞﾎ"');
    expect(await outbox()).toBe(1);
    await deliver();
    const [kept] = await zones.internet.context.database.db
      .selectFrom('points_settlement_accounts' as never)
      .selectAll()
      .execute();
    expect(kept).toMatchObject({ requester_name: 'ﾁﾖﾀﾞｸ ｶｲｹｲｶ', bank_name: 'ﾐｽﾞﾎ', revision: 1 });
    expect(await auditActions(zones.lgwan, 'points.settlement-account.set')).toMatchObject([
      { actor: `staff:${staff.staffId}`, revision: 1 },
    ]);
  });

  it('runs a settlement in the internet zone and makes its files in lgwan, the same bytes', async () => {
    const asked = await form(staff, '/points/admin/settlement/runs', {
      settlementId: '2026-11',
      transferDate: nextWeek(),
    });
    // Post, redirect, get: reloading the page shown asks for nothing again.
    expect(asked.statusCode, asked.body).toBe(303);
    expect(asked.headers.location).toBe('/points/admin/settlement?asked=2026-11');
    const shown = await get(asked.headers.location as string);
    expect(shown.body).toContain('精算「2026-11」を依頼しました');
    expect(shown.body).toContain('依頼済み・インターネット接続系からの回答待ち');
    expect(await outbox()).toBe(1);
    expect((await get('/points/admin/settlement/2026-11/zengin')).statusCode).toBe(404);

    await deliver();
    const page = await get('/points/admin/settlement');
    expect(page.body).not.toContain('data-testid="runs-waiting"');
    const row = page.body.slice(page.body.indexOf('data-testid="run-'));
    expect(row).toContain('精算済み');
    // 神田商店: 12,345 less 1.5 % (185) = 12,160; やまだパン: 980 less 14 = 966; 銀行なし skipped.
    expect(row).toMatch(
      /<td class="numeric">2<\/td><td class="numeric">13,325<\/td><td class="numeric">199<\/td><td class="numeric">13,126<\/td><td class="numeric">1<\/td>/,
    );
    expect(page.body).toContain('銀行なし（m-nobank）：振込先の口座が登録されていません。');

    const zengin = await get('/points/admin/settlement/2026-11/zengin');
    expect(zengin.statusCode).toBe(200);
    expect(zengin.headers['content-type']).toBe('application/octet-stream');
    expect(zengin.headers['content-disposition']).toContain('zengin-131016-2026-11.txt');
    const file = zengin.rawPayload;
    const records = zenginRecords(file);
    expect(records.every((record) => record.length === ZENGIN_RECORD_BYTES)).toBe(true);
    expect(records.map((record) => String.fromCharCode(record[0]!))).toEqual(['1', '2', '2', '8', '9']);
    const trailer = records[3]!.toString('latin1');
    expect(trailer.slice(1, 7)).toBe('000002');
    expect(Number(trailer.slice(7, 19))).toBe(13_126);
    expect(records[0]!.toString('latin1').slice(54, 58)).toBe(nextWeek().slice(5).replace('-', ''));

    const [stored] = await storedRun('2026-11');
    expect(Buffer.compare(file, Buffer.from(stored!.zengin))).toBe(0);
    const report = await get('/points/admin/settlement/2026-11/report.csv');
    expect(report.headers['content-type']).toBe('text/csv; charset=utf-8');
    // (PGlite gives the stored text back without its BOM.)
    expect(report.body).toBe(`\uFEFF${stored!.report.replace(/^\uFEFF/, '')}`);
    expect(report.body).toContain('m-nobank,銀行なし,500,0,0,skipped: no bank account');
    expect(await auditActions(zones.lgwan, 'points.settlement.request')).toMatchObject([
      { actor: `staff:${staff.staffId}`, target: '2026-11' },
    ]);
    expect(await auditActions(zones.internet, 'points.settlement')).toMatchObject([
      { actor: `staff:${staff.staffId}`, target: '2026-11', payout: 13_126 },
    ]);
  });

  it('pays nothing twice for the same run id, even with points received since', async () => {
    await pay('m-kanda', 1_000);
    const again = await form(staff, '/points/admin/settlement/runs', {
      settlementId: '2026-11',
      transferDate: nextWeek(),
    });
    expect(again.statusCode).toBe(303);
    await deliver();
    const page = await get('/points/admin/settlement');
    expect(page.body).toContain('同じ精算IDの既存の精算。今回は支払っていません');
    expect(await storedRun('2026-11')).toHaveLength(1);
    expect((await balanceOf(ledger, chiyoda, accountId('merchant', 'm-kanda'))).posted).toBe(1_000);
    expect((await balanceOf(ledger, chiyoda, accountId('fees', 'settlement'))).posted).toBe(199);
    const [stored] = await storedRun('2026-11');
    const zengin = await get('/points/admin/settlement/2026-11/zengin');
    expect(Buffer.compare(zengin.rawPayload, Buffer.from(stored!.zengin))).toBe(0);
  });

  it('keeps an answer once, however often it is delivered', async () => {
    const db = zones.lgwan.context.database.db;
    const arrived = (await db
      .selectFrom('gateway_inbox' as never)
      .select('message_id' as never)
      .where('type' as never, '=', 'points.settlement' as never)
      .execute()) as { message_id: string }[];
    expect(arrived).toHaveLength(2);
    const [run] = (await db
      .selectFrom('points_admin_settlement_runs' as never)
      .select(['request_id' as never])
      .where('settlement_id' as never, '=', '2026-11' as never)
      .orderBy('requested_at' as never)
      .execute()) as { request_id: string }[];
    const part = {
      requestId: run!.request_id,
      settlementId: '2026-11',
      transferDate: nextWeek(),
      part: 1,
      parts: 1,
      outcome: 'settled' as const,
      refusal: null,
      repeated: false,
      totals: { merchants: 0, received: 0, fees: 0, payout: 0, skipped: 0 },
      requester: null,
      lines: [],
    };
    const duplicate = await zones.internet.gateway.send('lgwan', pointsSettlementV1, {
      id: arrived[0]!.message_id,
      municipalityCode: chiyoda.municipalityCode,
      payload: part,
    });
    expect(duplicate.duplicate).toBe(true);
    const other = await zones.internet.gateway.send('lgwan', pointsSettlementV1, {
      municipalityCode: chiyoda.municipalityCode,
      payload: part,
    });
    expect(other.result).toEqual({ part: 1, kept: false });
    const page = await get('/points/admin/settlement');
    expect(page.body).toContain('13,126');
    expect(await deliver()).toMatchObject({ processed: 0 });
  });

  it.each([
    [
      'kanji in a kana name',
      '/account',
      { ...account, bankName: '三菱' },
      '全銀ファイルで使えない文字「三」',
    ],
    [
      'a requester code of 9 digits',
      '/account',
      { ...account, requesterCode: '123456789' },
      '振込依頼人コードは10桁の数字',
    ],
    [
      'a branch name too long',
      '/account',
      { ...account, branchName: 'トウキョウエキマエダイニシテン' },
      '支店名は半角15文字以内',
    ],
    ['no account type', '/account', { ...account, accountType: '' }, '預金種目を選んでください'],
    [
      'a date that does not exist',
      '/runs',
      { settlementId: '2026-12', transferDate: '2026-02-30' },
      '実在する日付',
    ],
    [
      'a date in the past',
      '/runs',
      { settlementId: '2026-12', transferDate: '2020-01-06' },
      '今日以降の日付',
    ],
    ['a run id with a space', '/runs', { settlementId: '2026 12', transferDate: '2099-01-06' }, '精算IDは'],
  ])(
    'refuses %s, says why in Japanese, keeps what was typed and sends nothing',
    async (_, path, fields, words) => {
      const refused = await form(staff, `/points/admin/settlement${path}`, fields);
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('<title>エラー：');
      expect(refused.body).toContain(words);
      const kept = Object.entries(fields).find(([name]) => name !== 'accountType')!;
      expect(refused.body).toContain(`value="${kept[1]}"`);
      expect(await outbox()).toBe(0);
    },
  );

  it('says when the internet zone has no account to pay from', async () => {
    const sapporo = await signedInStaff(zones.lgwan, { municipalityCode: '011002', roles: ['points-admin'] });
    const asked = await form(sapporo, '/points/admin/settlement/runs', {
      settlementId: '2026-11',
      transferDate: nextWeek(),
    });
    expect(asked.statusCode).toBe(303);
    await deliver();
    const page = await get('/points/admin/settlement', sapporo);
    expect(page.body).toContain('精算できませんでした');
    expect(page.body).toContain('インターネット接続系に精算口座が設定されていません');
    expect((await get('/points/admin/settlement/2026-11/zengin', sapporo)).statusCode).toBe(404);
    // Sapporo's staff see none of Chiyoda's runs.
    expect(page.body).not.toContain('13,126');
  });

  it('is for points staff only, and every form needs its CSRF token', async () => {
    const clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['case-worker'] });
    expect((await get('/points/admin/settlement', clerk)).statusCode).toBe(403);
    expect((await get('/points/admin/settlement/2026-11/zengin', clerk)).statusCode).toBe(403);
    expect((await get('/points/admin/settlement/2026-11/report.csv', clerk)).statusCode).toBe(403);
    expect((await form(clerk, '/points/admin/settlement/account', account)).statusCode).toBe(403);
    const run = { settlementId: '2026-12', transferDate: nextWeek() };
    expect((await form(clerk, '/points/admin/settlement/runs', run)).statusCode).toBe(403);
    expect((await form(staff, '/points/admin/settlement/runs', run, false)).statusCode).toBe(403);
    expect((await form(staff, '/points/admin/settlement/account', account, false)).statusCode).toBe(403);
    expect(await outbox()).toBe(0);
  });
});

describe('the answer to a run, pushed only once the run committed', () => {
  const internet = () => zones.internet.context.database.db;
  const merchantBalance = async (merchantId: string) =>
    (await balanceOf(ledger, chiyoda, accountId('merchant', merchantId))).posted;

  /** lgwan's record of a run: its request id and its outcome (null while it waits). */
  async function lgwanRun(settlementId: string) {
    const rows = (await zones.lgwan.context.database.db
      .selectFrom('points_admin_settlement_runs' as never)
      .select(['request_id' as never, 'outcome' as never, 'payout' as never])
      .where('municipality_code' as never, '=', chiyoda.municipalityCode as never)
      .where('settlement_id' as never, '=', settlementId as never)
      .execute()) as { request_id: string; outcome: string | null; payout: number | string | null }[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  /** How many times lgwan's inbox took part 1 of the answer to `requestId`. */
  async function answersArrived(requestId: string) {
    const rows = await zones.lgwan.context.database.db
      .selectFrom('gateway_inbox' as never)
      .select('message_id' as never)
      .where('message_id' as never, '=', settlementAnswerId(requestId, 1) as never)
      .execute();
    return rows.length;
  }

  it('sends nothing when the run fails to commit, and settles once when the request comes again', async () => {
    await pay('m-pan', 2_000);
    const asked = await form(staff, '/points/admin/settlement/runs', {
      settlementId: '2027-01',
      transferDate: nextWeek(),
    });
    expect(asked.statusCode, asked.body).toBe(303);
    // The commit fails after the run was made and its answer built (a crash, a lost connection):
    // a check PostgreSQL makes at commit time only.
    await sql`create function fail_settlement_commit() returns trigger language plpgsql
      as $$ begin raise exception 'settlement commit failed'; end $$`.execute(internet());
    await sql`create constraint trigger fail_settlement_commit after insert on points_settlements
      deferrable initially deferred for each row execute function fail_settlement_commit()`.execute(
      internet(),
    );
    await expect(pull()).rejects.toThrow('settlement commit failed');
    expect(await sendAnswers()).toBe(0);

    // lgwan heard nothing: no bank file for a run the internet zone does not have.
    const { request_id: requestId } = await lgwanRun('2027-01');
    expect(await answersArrived(requestId)).toBe(0);
    expect((await lgwanRun('2027-01')).outcome).toBeNull();
    const waiting = await get('/points/admin/settlement');
    expect(waiting.body).toContain('data-testid="runs-waiting"');
    expect((await get('/points/admin/settlement/2027-01/zengin')).statusCode).toBe(404);
    expect(await storedRun('2027-01')).toHaveLength(0);
    expect(await merchantBalance('m-pan')).toBe(2_000);
    expect(await merchantBalance('m-kanda')).toBe(1_000);

    // The request, not acknowledged, comes back once its lease ran out, and commits this time.
    await sql`drop trigger fail_settlement_commit on points_settlements`.execute(internet());
    await sql`drop function fail_settlement_commit()`.execute(internet());
    ahead += LEASE_MS + 1_000;
    expect(await deliver()).toMatchObject({ processed: 1 });
    expect(await storedRun('2027-01')).toHaveLength(1);
    expect(await merchantBalance('m-pan')).toBe(0);
    expect(await merchantBalance('m-kanda')).toBe(0);
    // 神田商店 1,000 less 15 = 985, やまだパン 2,000 less 30 = 1,970.
    expect(await lgwanRun('2027-01')).toMatchObject({ outcome: 'settled' });
    expect(Number((await lgwanRun('2027-01')).payout)).toBe(2_955);
    expect(await answersArrived(requestId)).toBe(1);
    const [stored] = await storedRun('2027-01');
    const zengin = await get('/points/admin/settlement/2027-01/zengin');
    expect(Buffer.compare(zengin.rawPayload, Buffer.from(stored!.zengin))).toBe(0);
    expect(await outbox()).toBe(0);
  });

  it('pushes an answer lgwan did not take on a later round, and lgwan keeps it once', async () => {
    await pay('m-kanda', 3_000);
    const asked = await form(staff, '/points/admin/settlement/runs', {
      settlementId: '2027-02',
      transferDate: nextWeek(),
    });
    expect(asked.statusCode, asked.body).toBe(303);
    lgwanRefusesPushes = true;
    try {
      expect(await pull()).toMatchObject({ processed: 1 });
      const refused = await sendAnswers().catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'gateway-unreachable' });
      // Settled here, kept to be pushed; lgwan still waits.
      expect(await storedRun('2027-02')).toHaveLength(1);
      expect(await merchantBalance('m-kanda')).toBe(0);
      expect((await lgwanRun('2027-02')).outcome).toBeNull();
    } finally {
      lgwanRefusesPushes = false;
    }
    const { request_id: requestId } = await lgwanRun('2027-02');
    expect(await answersArrived(requestId)).toBe(0);

    await sendAnswers();
    expect(await lgwanRun('2027-02')).toMatchObject({ outcome: 'settled' });
    // 3,000 less 45.
    expect(Number((await lgwanRun('2027-02')).payout)).toBe(2_955);
    expect(await sendAnswers()).toBe(0);

    // Pushed again as if the round had stopped between lgwan's receipt and marking it sent:
    // the same message id, which lgwan keeps once.
    await sql`update points_settlement_answers set sent_at = null where request_id = ${requestId}`.execute(
      internet(),
    );
    expect(await sendAnswers()).toBe(1);
    expect(await answersArrived(requestId)).toBe(1);
    const page = await get('/points/admin/settlement');
    expect(page.body).not.toContain('data-testid="runs-waiting"');
    expect(await storedRun('2027-02')).toHaveLength(1);
  });
});
