// Merchants by points staff in lgwan: a shop registered, changed and suspended there reaches
// the internet zone through lgwan's outbox; a terminal key is made in lgwan, its token shown
// once and only its hash sent, and it works on the merchant API until revoked. Refusals are
// said on the page in Japanese and send nothing; other roles and forged forms are turned
// away; a message delivered again changes nothing.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, systemClock, tenantScope } from '../../src/core/index.ts';
import {
  type MerchantsDb,
  merchantOf,
  merchantQrText,
  readMerchantCode,
} from '../../src/modules/points/index.ts';
import { pendingInOutbox, pointsMerchantKeyV1, pointsMerchantV1 } from '../../src/zones/gateway/index.ts';
import { createEmbeddedNetwork } from '../../src/zones/index.ts';
import { openThreeZones, type ThreeZones } from '../gateway/support.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
let zones: ThreeZones;
let staff: SignedInStaff;

const kanda = {
  mode: 'new',
  merchantId: 'm-kanda',
  name: '神田商店',
  nameLatin: 'KANDA SHOTEN',
  cityLatin: 'CHIYODA-KU',
  categoryCode: '5411',
  postalCode: '101-0021',
  feePercent: '1.0',
  bankCode: '0005',
  branchCode: '001',
  accountType: '1',
  accountNumber: '1234567',
  holderKana: 'カ）カンダショウテン',
  status: 'active',
};

function form(who: SignedInStaff, url: string, fields: Record<string, string>, csrf = true) {
  return zones.lgwan.app.inject({
    method: 'POST',
    url,
    headers: { cookie: who.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...(csrf ? { _csrf: who.csrfToken } : {}), ...fields }).toString(),
  });
}
const page = (who: SignedInStaff, url: string) =>
  zones.lgwan.app.inject({ method: 'GET', url, headers: { cookie: who.cookie, accept: 'text/html' } });
const pending = () => pendingInOutbox(zones.lgwan.context.database, 'internet');
const deliver = () => zones.internet.gateway.pull('lgwan', 100);
const internetDb = () => zones.internet.context.database.db;

/** The stored row of a merchant in the internet zone, bank account and all. */
async function internetRow(merchantId: string) {
  const rows = await sql<Record<string, unknown>>`
    select * from points_merchants where municipality_code = '131016' and merchant_id = ${merchantId}`.execute(
    internetDb(),
  );
  return rows.rows[0];
}

/** A call of the merchant API with a terminal key: the shop's static code. */
const shopCode = (token: string) =>
  zones.internet.app.inject({
    method: 'POST',
    url: '/api/v1/points/merchant/codes',
    headers: { authorization: `Bearer ${token}` },
    payload: {},
  });

/** A payment code nobody was given, well formed (20 digits from 99, Luhn check digit). */
function unknownPaymentCode(): string {
  const payload = `99${String(Date.now()).padStart(17, '0').slice(-17)}`;
  let sum = 0;
  [...payload].reverse().forEach((c, i) => {
    const d = Number(c) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return `${payload}${(10 - (sum % 10)) % 10}`;
}
const charge = (token: string) =>
  zones.internet.app.inject({
    method: 'POST',
    url: '/api/v1/points/merchant/charges',
    headers: { authorization: `Bearer ${token}` },
    payload: { code: unknownPaymentCode(), amount: 100, chargeId: `till-${Date.now()}` },
  });

/** The envelopes waiting in lgwan's outbox for the internet zone (before they are pulled, which empties them). */
async function waiting(type: string) {
  const rows = await sql<{ message_id: string; envelope: { payload: Record<string, unknown> } | string }>`
    select message_id, envelope from gateway_outbox where to_zone = 'internet' and acked_at is null and type = ${type}
    order by seq`.execute(zones.lgwan.context.database.db);
  return rows.rows.map((row) => ({
    id: row.message_id,
    envelope: (typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope) as {
      payload: Record<string, unknown>;
    },
  }));
}

let token = '';

beforeAll(async () => {
  zones = await openThreeZones(createEmbeddedNetwork(), systemClock);
  staff = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['points-admin'] });
});
afterAll(async () => {
  await zones?.close();
});

describe('merchants in lgwan', () => {
  it('registers a merchant, which the internet zone keeps with its bank account', async () => {
    const list = await page(staff, '/points/admin/merchants');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/points/admin/merchants"');
    const saved = await form(staff, '/points/admin/merchants', kanda);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).toContain('加盟店「神田商店」を保存し、インターネット接続系へ送りました');
    // Kept as the Zengin file writes it: half-width kana, small kana large.
    expect(saved.body).toContain('ｶ)ｶﾝﾀﾞｼﾖｳﾃﾝ');
    expect(await pending()).toBe(1);
    expect((await deliver()).processed).toBe(1);
    const merchant = await merchantOf(internetDb() as MerchantsDb, chiyoda, 'm-kanda');
    expect(merchant).toMatchObject({
      name: '神田商店',
      nameLatin: 'KANDA SHOTEN',
      postalCode: '1010021',
      feeBasisPoints: 100,
      active: true,
    });
    expect(await internetRow('m-kanda')).toMatchObject({
      bank_code: '0005',
      branch_code: '001',
      account_type: '1',
      account_number: '1234567',
      account_holder_kana: 'ｶ)ｶﾝﾀﾞｼﾖｳﾃﾝ',
      revision: 1,
    });
    const listed = await page(staff, '/points/admin/merchants');
    expect(listed.body).toContain('1.0 %');
  });

  it('issues a terminal key shown once, of which only the hash leaves lgwan; it works on the merchant API', async () => {
    const issued = await form(staff, '/points/admin/merchants/m-kanda/keys', { label: 'レジ1' });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.headers['cache-control']).toBe('no-store');
    token =
      /data-testid="terminal-key" value="(mk_[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43})"/.exec(issued.body)?.[1] ??
      '';
    expect(token).not.toBe('');
    const secret = token.split('.')[1]!;
    const [sent] = await waiting('points.merchant-key');
    expect(sent?.envelope.payload).toMatchObject({
      merchantId: 'm-kanda',
      label: 'レジ1',
      keyId: token.split('.')[0],
    });
    // Nothing of the secret is kept in lgwan or sent: not the outbox, not the key list.
    const lgwanDb = zones.lgwan.context.database.db;
    for (const table of ['gateway_outbox', 'points_admin_merchant_keys', 'audit_log']) {
      const rows = await sql`select * from ${sql.table(table)}`.execute(lgwanDb);
      expect(JSON.stringify(rows.rows), table).not.toContain(secret);
    }
    // Not usable before it reaches the internet zone; usable after.
    expect((await shopCode(token)).statusCode).toBe(401);
    await deliver();
    const code = await shopCode(token);
    expect(code.statusCode, code.body).toBe(200);
    expect(code.json().kind).toBe('static');
    // A charge passes the key and the merchant; only the (unknown) code is refused.
    expect((await charge(token)).json().type).toBe('/problems/not-found');
    // The merchant's page lists the key, never its token again.
    const shown = await page(staff, '/points/admin/merchants/m-kanda');
    expect(shown.body).toContain('レジ1');
    expect(shown.body).not.toContain(secret);
  });

  it('changes the fee and bank account and suspends: the internet zone follows, payments are refused', async () => {
    const changed = await form(staff, '/points/admin/merchants', {
      ...kanda,
      mode: 'edit',
      feePercent: '２．５',
      bankCode: '0009',
      branchCode: '100',
      accountType: '2',
      accountNumber: '7654321',
      holderKana: 'かんだしょうてん',
      status: 'suspended',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.body).toContain('2.5');
    await deliver();
    expect(await internetRow('m-kanda')).toMatchObject({
      fee_basis_points: 250,
      bank_code: '0009',
      branch_code: '100',
      account_type: '2',
      account_number: '7654321',
      account_holder_kana: 'ｶﾝﾀﾞｼﾖｳﾃﾝ',
      status: 'suspended',
      revision: 2,
    });
    const merchant = await merchantOf(internetDb() as MerchantsDb, chiyoda, 'm-kanda');
    await expect(
      readMerchantCode(internetDb() as MerchantsDb, chiyoda, merchantQrText(chiyoda, merchant)),
    ).rejects.toMatchObject({ code: 'merchant-unknown' });
    expect((await charge(token)).json().type).toBe('/problems/merchant-unknown');

    await form(staff, '/points/admin/merchants', { ...kanda, mode: 'edit', status: 'active' });
    await deliver();
    expect((await charge(token)).json().type).toBe('/problems/not-found');
  });

  it('revokes a key: its terminal is refused once the revocation arrives', async () => {
    const keyId = token.split('.')[0]!;
    const revoked = await form(staff, `/points/admin/merchants/m-kanda/keys/${keyId}/revoke`, {});
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.body).toContain('端末キー「レジ1」を失効させました');
    expect(revoked.body).toContain('失効（');
    await deliver();
    expect((await shopCode(token)).statusCode).toBe(401);
    // Revoking again sends nothing more.
    await form(staff, `/points/admin/merchants/m-kanda/keys/${keyId}/revoke`, {});
    expect(await pending()).toBe(0);
  });

  it('says in Japanese what is wrong, keeps what was typed, and sends nothing', async () => {
    const before = await pending();
    const refused = await form(staff, '/points/admin/merchants', {
      ...kanda,
      merchantId: 'm-bad',
      bankCode: '12',
      holderKana: '神田商店',
      feePercent: '150',
      nameLatin: '神田',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('<title>エラー：');
    expect(refused.body).toContain('金融機関コードは数字4桁です。');
    expect(refused.body).toContain('口座名義に全銀ファイルで使えない文字「神」があります');
    expect(refused.body).toContain('手数料率は0〜100％の範囲で');
    expect(refused.body).toContain('店名（ローマ字）を半角英数字25文字以内で');
    expect(refused.body).toContain('value="150"');
    expect(refused.body).toContain('aria-invalid="true"');
    const halfBank = await form(staff, '/points/admin/merchants', {
      ...kanda,
      merchantId: 'm-half',
      accountNumber: '',
      holderKana: '',
    });
    expect(halfBank.statusCode).toBe(422);
    expect(halfBank.body).toContain('口座番号は数字7桁です');
    const taken = await form(staff, '/points/admin/merchants', kanda);
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('加盟店ID「m-kanda」は登録済みです');
    const noLabel = await form(staff, '/points/admin/merchants/m-kanda/keys', { label: ' ' });
    expect(noLabel.statusCode).toBe(422);
    expect(noLabel.body).toContain('端末の名前を1〜40文字で入力してください。');
    expect(await pending()).toBe(before);
    // In English when asked.
    const english = await zones.lgwan.app.inject({
      method: 'POST',
      url: '/points/admin/merchants?lang=en',
      headers: { cookie: staff.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: staff.csrfToken,
        ...kanda,
        merchantId: 'm-x',
        bankCode: '1',
      }).toString(),
    });
    expect(english.statusCode).toBe(422);
    expect(english.body).toContain('The bank code is 4 digits.');
  });

  it('is for points staff of the municipality only, and refuses a form without its CSRF token', async () => {
    const before = await pending();
    const clerk = await signedInStaff(zones.lgwan, { municipalityCode: '131016', roles: ['case-worker'] });
    expect((await page(clerk, '/points/admin/merchants')).statusCode).toBe(403);
    expect(
      (await form(clerk, '/points/admin/merchants', { ...kanda, merchantId: 'm-clerk' })).statusCode,
    ).toBe(403);
    expect((await form(clerk, '/points/admin/merchants/m-kanda/keys', { label: 'x' })).statusCode).toBe(403);
    const forged = await form(staff, '/points/admin/merchants', { ...kanda, merchantId: 'm-forged' }, false);
    expect(forged.statusCode).toBe(403);
    const sapporo = await signedInStaff(zones.lgwan, { municipalityCode: '011002', roles: ['points-admin'] });
    expect((await page(sapporo, '/points/admin/merchants/m-kanda')).statusCode).toBe(404);
    expect((await form(sapporo, '/points/admin/merchants/m-kanda/keys', { label: 'x' })).statusCode).toBe(
      404,
    );
    expect((await page(sapporo, '/points/admin/merchants')).body).not.toContain('神田商店');
    expect(await pending()).toBe(before);
  });

  it('changes nothing for a message delivered again, or an older save arriving after a newer one', async () => {
    const lgwanDb = zones.lgwan.context.database.db;
    await form(staff, '/points/admin/merchants', { ...kanda, mode: 'edit', feePercent: '3' });
    await form(staff, '/points/admin/merchants', { ...kanda, mode: 'edit', feePercent: '4' });
    const [older, newer] = await waiting('points.merchant');
    expect((await deliver()).processed).toBe(2);
    expect((await internetRow('m-kanda'))?.fee_basis_points).toBe(400);

    // The same message again (its ack was lost): the inbox knows its id and drops it.
    await sql`update gateway_outbox set acked_at = null, leased_until = null,
      envelope = ${JSON.stringify(newer!.envelope)}::jsonb where message_id = ${newer!.id}`.execute(lgwanDb);
    expect(await deliver()).toMatchObject({ processed: 0, duplicates: 1 });
    // The older save under a new id (a retry that lost the race): its revision is behind, so it is left alone.
    await lgwanDb.transaction().execute((trx) =>
      zones.lgwan.gateway.enqueue(trx, 'internet', pointsMerchantV1, {
        municipalityCode: chiyoda.municipalityCode,
        payload: older!.envelope.payload as never,
      }),
    );
    expect((await deliver()).processed).toBe(1);
    expect(await internetRow('m-kanda')).toMatchObject({ fee_basis_points: 400, revision: 5 });

    // A key's message again under a new id: the key is kept once, as it was.
    const issued = await form(staff, '/points/admin/merchants/m-kanda/keys', { label: 'タブレット' });
    const second = /data-testid="terminal-key" value="([^"]+)"/.exec(issued.body)?.[1] ?? '';
    const [key] = await waiting('points.merchant-key');
    await lgwanDb.transaction().execute((trx) =>
      zones.lgwan.gateway.enqueue(trx, 'internet', pointsMerchantKeyV1, {
        municipalityCode: chiyoda.municipalityCode,
        payload: key!.envelope.payload as never,
      }),
    );
    expect((await deliver()).processed).toBe(2);
    const keys = await sql<{ n: number }>`
      select count(*)::int as n from points_merchant_keys where key_id = ${second.split('.')[0]}`.execute(
      internetDb(),
    );
    expect(keys.rows[0]?.n).toBe(1);
    expect((await shopCode(second)).statusCode).toBe(200);
  });
});
