// The points pages without a browser: a resident's /points (MyKey ID, participation codes,
// history, a programme with an age limit checked against the registry), paying by QR on pages, the shop and donations, and a shop's tablet (/merchant).
// Good paths and refused ones: each refusal is said on the page, nothing moves.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope } from '../../src/core/index.ts';
import {
  accountId,
  addProduct,
  balanceOf,
  defineProgramme,
  type EarningDb,
  issueGrantCodes,
  issueMerchantKey,
  type MerchantKeysDb,
  type MerchantsDb,
  merchantQrText,
  openAccount,
  type PointsLedgerTables,
  registerMerchant,
  type ShopDb,
} from '../../src/modules/points/index.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { browsePortal, type PageForm, residentNamed } from '../procedures/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident } from '../sanitize/support.ts';
import { signedInStaff } from '../support/staff.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
let zones: ThreeZones & { remove(): void };
let hanako: SignedInResident;
let taro: SignedInResident;
let ledger: Kysely<PointsLedgerTables>;
let codes: string[];
let seniorCodes: string[];
let shopQr: string;
let terminalKey: string;

const page = (who: SignedInResident | undefined, method: 'GET' | 'POST', url: string, form?: PageForm) =>
  browsePortal(zones, who, method, url, form);
/** A hidden field's value in a page. */
const hidden = (body: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? '';

async function myKeyIdOf(who: SignedInResident): Promise<string> {
  const home = await page(who, 'GET', '/points');
  return /(MK[A-Z0-9]{12})/.exec(home.body)?.[1] ?? '';
}
const available = async (who: SignedInResident) =>
  (await balanceOf(ledger, chiyoda, accountId('resident', await myKeyIdOf(who)))).available;

function tablet(method: 'GET' | 'POST', url: string, form?: Record<string, string>, key = terminalKey) {
  return zones.internet.app.inject({
    method,
    url,
    headers: {
      accept: 'text/html',
      cookie: `machi_terminal=${key}`,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
  });
}

beforeAll(async () => {
  zones = await openZonesWithPki();
  hanako = await signedInResident(zones, 911);
  taro = await signedInResident(zones, 912);
  const db = zones.internet.context.database.db;
  ledger = db as unknown as Kysely<PointsLedgerTables>;
  const now = zones.internet.context.clock.now();
  await openAccount(ledger, chiyoda, 'issuance', 'earning', now);
  await defineProgramme(
    db as EarningDb,
    chiyoda,
    {
      programmeId: 'cleanup',
      name: { ja: '河川清掃', en: 'River clean-up' },
      points: 300,
      capPoints: 600,
      capPeriod: 'month',
      expiryMonths: 12,
      active: true,
    },
    now,
  );
  codes = await issueGrantCodes(
    ledger,
    chiyoda,
    { programmeId: 'cleanup', batchId: 'river-1130', count: 4, validDays: 30 },
    now,
  );
  // Tsu city's pass: residents aged 65 and over, their age from the registry.
  await defineProgramme(
    db as EarningDb,
    chiyoda,
    {
      programmeId: 'senior-bus',
      name: { ja: 'シニアバス', en: 'Senior bus pass' },
      points: 500,
      capPoints: 2_000,
      capPeriod: 'fiscal-year',
      expiryMonths: 12,
      minAge: 65,
      active: true,
    },
    now,
  );
  seniorCodes = await issueGrantCodes(
    ledger,
    chiyoda,
    { programmeId: 'senior-bus', batchId: 'bus-2026', count: 2, validDays: 30 },
    now,
  );
  const shop = await registerMerchant(
    db as MerchantsDb,
    chiyoda,
    {
      merchantId: 'm-kanda',
      name: '神田商店',
      nameLatin: 'KANDA SHOTEN',
      cityLatin: 'CHIYODA-KU',
      categoryCode: '5411',
      feeBasisPoints: 100,
    },
    now,
  );
  shopQr = merchantQrText(chiyoda, shop);
  terminalKey = (await issueMerchantKey(db as MerchantKeysDb, chiyoda, 'm-kanda', 'tablet', now)).token;
  await addProduct(
    db as ShopDb,
    chiyoda,
    {
      productId: 'rice-5kg',
      merchantId: 'm-kanda',
      name: { ja: '新米 5kg', en: 'New rice 5 kg' },
      pricePoints: 200,
      stock: 3,
    },
    now,
  );
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

describe('/points', () => {
  it('sends a visitor to sign in with the card, and back', async () => {
    const response = await page(undefined, 'GET', '/points');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?next=%2Fpoints');
  });

  it('sets up the MyKey ID from the page, once', async () => {
    const before = await page(hanako, 'GET', '/points');
    expect(before.body).toContain('マイキーIDを設定する');
    const set = await page(hanako, 'POST', '/points/mykey');
    expect(set.statusCode).toBe(200);
    expect(set.body).toContain('マイキーIDを設定しました');
    const id = await myKeyIdOf(hanako);
    await page(hanako, 'POST', '/points/mykey');
    expect(await myKeyIdOf(hanako)).toBe(id);
    await page(taro, 'POST', '/points/mykey');
  });

  it('refuses a form without the session token', async () => {
    const response = await zones.internet.app.inject({
      method: 'POST',
      url: '/points/codes',
      headers: { cookie: hanako.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `code=${codes[0]}`,
    });
    expect(response.statusCode).toBe(403);
    expect(await available(hanako)).toBe(0);
  });

  it('redeems a participation code typed loosely, once, for one person', async () => {
    // Lower case, full-width, with ー for hyphens: as typed on a phone.
    const loose = codes[0]!.toLowerCase().replace(/(.{4})(?=.)/g, '$1ー');
    const done = await page(hanako, 'POST', '/points/codes', { code: loose });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.body).toContain('河川清掃で 300 pt を受け取りました');
    expect(await available(hanako)).toBe(300);
    // Again by the same resident: the same grant, nothing more.
    await page(hanako, 'POST', '/points/codes', { code: codes[0]! });
    expect(await available(hanako)).toBe(300);
    const taken = await page(taro, 'POST', '/points/codes', { code: codes[0]! });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('このコードは使用済みか、有効期限が切れています');
    expect(await available(taro)).toBe(0);
  });

  it('says an unknown code is unknown, and the cap stops a third grant', async () => {
    const unknown = await page(hanako, 'POST', '/points/codes', { code: 'ZZZZ-ZZZZ-ZZZZ' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('<title>エラー：');
    expect(unknown.body).toContain('aria-invalid="true"');
    expect(unknown.body).toContain('このコードは見つかりません');
    await page(hanako, 'POST', '/points/codes', { code: codes[1]! });
    const capped = await page(hanako, 'POST', '/points/codes', { code: codes[2]! });
    expect(capped.statusCode).toBe(422);
    expect(capped.body).toContain('上限に達しています');
    expect(await available(hanako)).toBe(600);
    // The refused code was not used up: someone else may still redeem it.
    expect((await page(taro, 'POST', '/points/codes', { code: codes[2]! })).statusCode).toBe(200);
  });
});

describe('/points/pay', () => {
  it('says a tampered code is unusable, and pays nothing', async () => {
    const tampered = shopQr.replace('KANDA', 'KANDO');
    const response = await page(hanako, 'POST', '/points/pay/check', { qr: tampered });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('このQRコードはお支払いに使えません');
  });

  it('shows the shop, takes a typed amount (full-width too), and pays once per confirmation', async () => {
    const confirm = await page(hanako, 'POST', '/points/pay/check', { qr: shopQr });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('神田商店');
    const paymentId = hidden(confirm.body, 'paymentId');
    const bad = await page(hanako, 'POST', '/points/pay', { qr: shopQr, paymentId, amount: '-5' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('ポイントは1以上の整数で入力してください');
    const paid = await page(hanako, 'POST', '/points/pay', { qr: shopQr, paymentId, amount: '２５０' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.body).toContain('お支払いが完了しました');
    const ref = /data-testid="payment-ref">([0-9a-f]{16})</.exec(paid.body)?.[1];
    expect(ref).toBeDefined();
    const again = await page(hanako, 'POST', '/points/pay', { qr: shopQr, paymentId, amount: '250' });
    expect(again.body).toContain(ref);
    expect(await available(hanako)).toBe(350);
    const tooMuch = await page(hanako, 'POST', '/points/pay', {
      qr: shopQr,
      paymentId: `${paymentId}-2`,
      amount: '9999',
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.body).toContain('ポイントが足りません');
    expect(await available(hanako)).toBe(350);
  });
});

describe('/points/shop', () => {
  it('orders from the cart, holds the points, and cancels', async () => {
    const shop = await page(hanako, 'GET', '/points/shop');
    expect(shop.body).toContain('新米 5kg');
    const orderId = hidden(shop.body, 'orderId');
    const none = await page(hanako, 'POST', '/points/shop/orders', { orderId, 'qty-rice-5kg': '0' });
    expect(none.statusCode).toBe(422);
    const placed = await page(hanako, 'POST', '/points/shop/orders', { orderId, 'qty-rice-5kg': '1' });
    expect(placed.statusCode, placed.body).toBe(200);
    const ref = /注文番号 ([0-9a-f]{16})/.exec(placed.body)?.[1];
    expect(ref).toBeDefined();
    expect(await available(hanako)).toBe(150);
    const cancelled = await page(hanako, 'POST', `/points/shop/orders/${ref}/cancel`);
    expect(cancelled.body).toContain('注文を取り消しました');
    expect(await available(hanako)).toBe(350);
    // Another resident cannot cancel hanako's order by its reference.
    const again = await page(hanako, 'POST', '/points/shop/orders', {
      orderId: `${orderId}-b`,
      'qty-rice-5kg': '1',
    });
    const ref2 = /注文番号 ([0-9a-f]{16})/.exec(again.body)?.[1];
    const foreign = await page(taro, 'POST', `/points/shop/orders/${ref2}/cancel`);
    expect(foreign.statusCode).toBe(422);
    expect(await available(hanako)).toBe(150);
  });

  it('gives points as a donation once per form', async () => {
    const shop = await page(taro, 'GET', '/points/shop');
    const donationId = hidden(shop.body, 'donationId');
    expect((await page(taro, 'POST', '/points/donations', { donationId, amount: '1.5' })).statusCode).toBe(
      422,
    );
    const done = await page(taro, 'POST', '/points/donations', { donationId, amount: '100' });
    expect(done.body).toContain('100 pt を寄附しました');
    await page(taro, 'POST', '/points/donations', { donationId, amount: '100' });
    expect(await available(taro)).toBe(200);
  });

  it('lists the history, newest first, one line per transfer', async () => {
    const history = await page(hanako, 'GET', '/points/history');
    expect(history.statusCode).toBe(200);
    const rows = history.body.match(/<tr>\s*<td><time/g) ?? [];
    // Two grants, one payment, two orders (one cancelled).
    expect(rows).toHaveLength(5);
    expect(history.body).toContain('お支払い（神田商店）');
    expect(history.body).toContain('−250 pt');
  });
});

describe('/merchant', () => {
  it('asks for the terminal key, refuses a wrong one', async () => {
    const first = await zones.internet.app.inject({ method: 'GET', url: '/merchant' });
    expect(first.body).toContain('端末キー');
    const wrong = await tablet('POST', '/merchant/sign-in', { terminalKey: 'mk_nope.nope' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const right = await tablet('POST', '/merchant/sign-in', { terminalKey });
    expect(right.statusCode).toBe(303);
    expect(String(right.headers['set-cookie'])).toMatch(/machi_terminal=.*HttpOnly.*SameSite=Strict/i);
  });

  it("shows the code, today's payment and the order to ship; refunds and ships with the form token only", async () => {
    const home = await tablet('GET', '/merchant');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<svg class="qr-code"');
    expect(home.body).toContain('合計 250 pt');
    const ref = /<span class="nowrap">([0-9a-f]{16})<\/span><\/td>\s*<td class="numeric">250 pt/.exec(
      home.body,
    )?.[1];
    expect(ref).toBeDefined();
    const csrf = hidden(home.body, '_csrf');
    const forged = await tablet('POST', '/merchant/refunds', { ref: ref! });
    expect(forged.statusCode).toBe(403);
    const refunded = await tablet('POST', '/merchant/refunds', { _csrf: csrf, ref: ref! });
    expect(refunded.body).toContain(`取引 ${ref} を返金しました`);
    expect(await available(hanako)).toBe(400);
    const orderRef = /action="\/merchant\/orders\/([0-9a-f]{16})\/confirm"/.exec(refunded.body)?.[1];
    const shipped = await tablet('POST', `/merchant/orders/${orderRef}/confirm`, { _csrf: csrf });
    expect(shipped.body).toContain('発送済みにしました');
    const dynamic = await tablet('GET', '/merchant?amount=1200');
    expect(dynamic.body).toContain('この金額で支払われます：1,200 pt');
    expect((await tablet('GET', '/merchant?amount=-1')).statusCode).toBe(422);
  });
});

describe('a programme with an age limit', () => {
  /** The registry's answer travels mynumber → lgwan → internet; the zones pull by hand here. */
  async function registryAnswers() {
    await zones.mynumber.gateway.pull('lgwan', 100);
    await zones.internet.gateway.pull('lgwan', 100);
  }

  it('asks the registry first, then grants a resident of 65 or more', async () => {
    const asked = await page(hanako, 'POST', '/points/codes', { code: seniorCodes[0]! });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('住民基本台帳で確認しています');
    const before = await available(hanako);
    await registryAnswers();
    // 佐藤花子 was born in 1950.
    const granted = await page(hanako, 'POST', '/points/codes', { code: seniorCodes[0]! });
    expect(granted.body).toContain('シニアバスで 500 pt を受け取りました');
    expect(await available(hanako)).toBe(before + 500);
  });

  it('refuses a younger resident by the registry, and leaves the code unused', async () => {
    const registrar = await signedInStaff(zones.mynumber, {
      municipalityCode: '131016',
      roles: ['registry-clerk'],
    });
    const young = await residentNamed(zones, registrar, 913, '山田', '次郎', '2000-05-05');
    await page(young.resident, 'POST', '/points/mykey');
    await page(young.resident, 'POST', '/points/codes', { code: seniorCodes[1]! });
    await registryAnswers();
    const refused = await page(young.resident, 'POST', '/points/codes', { code: seniorCodes[1]! });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('住民基本台帳の記録では対象外です');
    expect(await available(young.resident)).toBe(0);
  });
});
