// Paying with a code the resident shows (利用者提示型): the resident's app or page makes a
// one-time code, the shop's till or tablet charges it. A code pays once, for five minutes, in
// its own municipality; a refused charge posts nothing and leaves the code usable; only the
// code's digest is kept; the payment is in the shop's day and refunded like any other.
import { createHash, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, parseLgCode, tenantScope } from '../../src/core/index.ts';
import {
  accountId,
  balanceOf,
  issueMerchantKey,
  MAX_PAYMENT,
  type MerchantKeysDb,
  type MerchantsDb,
  merchantDay,
  openAccount,
  type PointsLedgerTables,
  postTransfer,
  reconcileLedger,
  refundPayment,
  registerMerchant,
} from '../../src/modules/points/index.ts';
import { createEmbeddedNetwork } from '../../src/zones/index.ts';
import { auditActions, openThreeZones, type ThreeZones } from '../gateway/support.ts';
import { asResident, browsePortal, type PageForm } from '../procedures/support.ts';
import type { SignedInResident } from '../sanitize/support.ts';
import { signedInResident } from '../sanitize/support.ts';
import { createTestPki } from '../support/pki.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
const sapporo = tenantScope(parseLgCode('011002'));
/** The zones' clock, moved forward to see a code expire. */
let ahead = 0;
const clock: Clock = { now: () => new Date(Date.now() + ahead) };
let zones: ThreeZones;
let removePki: () => void;
let hanako: SignedInResident;
let taro: SignedInResident;
let hanakoKey: string;
let ledger: Kysely<PointsLedgerTables>;
/** Terminal keys: 神田商店 in 千代田区, and a shop of the same id in 札幌市. */
let kandaKey: string;
let sapporoKey: string;

const merchant = {
  merchantId: 'm-kanda',
  name: '神田商店',
  nameLatin: 'KANDA SHOTEN',
  cityLatin: 'CHIYODA-KU',
  categoryCode: '5411',
  feeBasisPoints: 100,
};
const chargeId = () => `till-${randomUUID()}`;
const context = () => ({ audit: zones.internet.context.audit, clock });

function terminal(token: string | undefined) {
  return (payload: object) =>
    zones.internet.app.inject({
      method: 'POST',
      url: '/api/v1/points/merchant/charges',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload,
    });
}
const kanda = (payload: object) => terminal(kandaKey)(payload);

async function newCode(who: SignedInResident = hanako): Promise<string> {
  const response = await asResident(zones, who)('POST', '/api/v1/points/codes');
  expect(response.statusCode, response.body).toBe(201);
  return response.json().code as string;
}
const balance = async (myKeyId = hanakoKey) =>
  (await balanceOf(ledger, chiyoda, accountId('resident', myKeyId))).posted;

/** The stored row of a code, found by its digest. */
async function rowOf(code: string) {
  const digest = createHash('sha256').update(code).digest('hex');
  const rows = await sql<{ used_at: Date | null; used_by: string | null; transfer_id: string | null }>`
    select used_at, used_by, transfer_id from points_payment_codes where code_sha256 = ${digest}`.execute(
    ledger,
  );
  return rows.rows[0];
}

/** The Luhn check digit, to make a well-formed code nobody was given. */
function luhn(payload: string): string {
  let sum = 0;
  [...payload].reverse().forEach((c, i) => {
    const d = Number(c) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return String((10 - (sum % 10)) % 10);
}

function tablet(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
  return zones.internet.app.inject({
    method,
    url,
    headers: {
      accept: 'text/html',
      cookie: `machi_terminal=${kandaKey}`,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
  });
}
const page = (who: SignedInResident | undefined, method: 'GET' | 'POST', url: string, form?: PageForm) =>
  browsePortal(zones, who, method, url, form);
const hidden = (body: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? '';
/** The digits a page shows in fours, as one code. */
const shownCode = (body: string) =>
  /data-testid="pay-code">(\d{4} \d{4} \d{4} \d{4} \d{4})</.exec(body)?.[1]?.replace(/ /g, '') ?? '';

beforeAll(async () => {
  const pki = await createTestPki();
  removePki = () => pki.remove();
  zones = await openThreeZones(createEmbeddedNetwork(), clock, { jpkiDir: pki.dir });
  hanako = await signedInResident(zones, 931);
  taro = await signedInResident(zones, 932);
  const db = zones.internet.context.database.db;
  ledger = db as unknown as Kysely<PointsLedgerTables>;
  const now = clock.now();
  await registerMerchant(db as MerchantsDb, chiyoda, merchant, now);
  await registerMerchant(db as MerchantsDb, sapporo, { ...merchant, cityLatin: 'SAPPORO' }, now);
  kandaKey = (await issueMerchantKey(db as MerchantKeysDb, chiyoda, 'm-kanda', 'レジ1', now)).token;
  sapporoKey = (await issueMerchantKey(db as MerchantKeysDb, sapporo, 'm-kanda', 'till', now)).token;
  await openAccount(ledger, chiyoda, 'issuance', 'earning', now);
});
afterAll(async () => {
  await zones?.close();
  removePki?.();
});

describe('a one-time code (API)', () => {
  it('is for a resident with a MyKey ID: 20 digits, 5 minutes, never cached', async () => {
    const early = await asResident(zones, hanako)('POST', '/api/v1/points/codes');
    expect(early.statusCode).toBe(409);
    expect(early.json().type).toBe('/problems/conflict');
    const anonymous = await zones.internet.app.inject({ method: 'POST', url: '/api/v1/points/codes' });
    expect(anonymous.statusCode).toBe(401);

    hanakoKey = (await asResident(zones, hanako)('POST', '/api/v1/points/mykey')).json().myKeyId;
    await postTransfer(
      ledger,
      context(),
      chiyoda,
      {
        transferId: 'event-hanako',
        code: 'earning',
        legs: [
          {
            debit: accountId('issuance', 'earning'),
            credit: accountId('resident', hanakoKey),
            amount: 1_000,
          },
        ],
      },
      'system',
    );
    const before = Date.now();
    const made = await asResident(zones, hanako)('POST', '/api/v1/points/codes');
    expect(made.statusCode, made.body).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const { code, expiresAt } = made.json();
    expect(code).toMatch(/^99\d{18}$/);
    const lifetime = new Date(expiresAt).getTime() - before;
    expect(lifetime).toBeGreaterThan(299_000);
    expect(lifetime).toBeLessThanOrEqual(301_000);
  });

  it('is kept only as its SHA-256, with whose and when', async () => {
    const code = await newCode();
    const rows = await sql<Record<string, unknown>>`select * from points_payment_codes`.execute(ledger);
    expect(rows.rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows.rows)).not.toContain(code);
    expect(JSON.stringify(rows.rows)).not.toContain(code.slice(2, 18));
    const digest = createHash('sha256').update(code).digest('hex');
    const mine = rows.rows.find((row) => row.code_sha256 === digest);
    expect(mine).toMatchObject({ municipality_code: '131016', my_key_id: hanakoKey, used_at: null });
    // Audited as made, by whom and until when; neither the code nor its digest is in the log.
    const made = await auditActions(zones.internet, 'points.payment-code.issue');
    expect(made.at(-1)).toMatchObject({ actor: `resident:${hanakoKey}`, target: hanakoKey });
    expect(JSON.stringify(made)).not.toContain(code);
    expect(JSON.stringify(made)).not.toContain(digest);
  });

  it('pays once: the same charge id again answers the first payment, any other is refused', async () => {
    const code = await newCode();
    const id = chargeId();
    // As a person types it off the phone: in fours, with spaces.
    const typed = code.replace(/(\d{4})(?=\d)/g, '$1 ');
    const first = await kanda({ code: typed, amount: 300, chargeId: id });
    expect(first.statusCode, first.body).toBe(201);
    const receipt = first.json();
    expect(receipt).toMatchObject({ chargeId: id, amount: 300 });
    expect(receipt.ref).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(receipt).sort()).toEqual(['amount', 'chargeId', 'paidAt', 'ref']);
    expect(first.body).not.toContain(hanakoKey);

    const again = await kanda({ code, amount: 300, chargeId: id });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(receipt);
    const other = await kanda({ code, amount: 300, chargeId: chargeId() });
    expect(other.statusCode).toBe(409);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json().detail).toContain('already been used');
    const differentAmount = await kanda({ code, amount: 301, chargeId: id });
    expect(differentAmount.statusCode).toBe(409);
    expect(await balance()).toBe(700);
    expect(await rowOf(code)).toMatchObject({ used_by: 'm-kanda' });

    const transfer = await sql<{ code: string; details: Record<string, unknown> }>`
      select code, details from points_transfers where transfer_id = ${(await rowOf(code))?.transfer_id}`.execute(
      ledger,
    );
    expect(transfer.rows[0]).toMatchObject({
      code: 'payment',
      details: { merchant: 'm-kanda', ref: receipt.ref, via: 'code' },
    });
  });

  it.each([
    ['zero', 0],
    ['a negative amount', -5],
    ['a fractional amount', 1.5],
    ['more than one payment may be', MAX_PAYMENT + 1],
    ['an amount as text', 'abc'],
  ])('refuses %s with a problem, posting nothing and leaving the code usable', async (_, amount) => {
    const code = await newCode();
    const before = await balance();
    const response = await kanda({ code, amount, chargeId: chargeId() });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().type).toBe('/problems/validation-failed');
    expect(await balance()).toBe(before);
    expect((await rowOf(code))?.used_at).toBeNull();
  });

  it('refuses more than the balance as points-insufficient, and the code still pays a smaller amount', async () => {
    const code = await newCode();
    const id = chargeId();
    const refused = await kanda({ code, amount: 701, chargeId: id });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().type).toBe('/problems/points-insufficient');
    expect(await balance()).toBe(700);
    expect((await rowOf(code))?.used_at).toBeNull();
    const paid = await kanda({ code, amount: 200, chargeId: id });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(await balance()).toBe(500);
  });

  it('refuses a code after its five minutes', async () => {
    const code = await newCode();
    ahead = 300_001;
    try {
      const late = await kanda({ code, amount: 10, chargeId: chargeId() });
      expect(late.statusCode).toBe(409);
      expect(late.json().detail).toContain('expired');
    } finally {
      ahead = 0;
    }
    expect(await balance()).toBe(500);
  });

  it("refuses a code at another municipality's shop, which cannot even find it", async () => {
    const code = await newCode();
    const elsewhere = await terminal(sapporoKey)({ code, amount: 10, chargeId: chargeId() });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().type).toBe('/problems/not-found');
    expect(await balance()).toBe(500);
    expect((await rowOf(code))?.used_at).toBeNull();
  });

  it('tells a mistyped code from an unknown one, and needs a terminal key', async () => {
    const code = await newCode();
    const slip = `${code.slice(0, 10)}${(Number(code[10]) + 1) % 10}${code.slice(11)}`;
    for (const wrong of ['1234', slip, `11${code.slice(2)}`]) {
      const response = await kanda({ code: wrong, amount: 10, chargeId: chargeId() });
      expect(response.statusCode, wrong).toBe(400);
      expect(response.json().type).toBe('/problems/qr-invalid');
    }
    const payload = `99${'0'.repeat(17)}`;
    const unknown = await kanda({ code: `${payload}${luhn(payload)}`, amount: 10, chargeId: chargeId() });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().type).toBe('/problems/not-found');
    const anonymous = await terminal(undefined)({ code, amount: 10, chargeId: chargeId() });
    expect(anonymous.statusCode).toBe(401);
    expect(await balance()).toBe(500);
  });

  it('keeps a few codes live per resident: a new one past them retires the oldest', async () => {
    const codes = [await newCode(), await newCode(), await newCode(), await newCode()];
    const oldest = await kanda({ code: codes[0], amount: 1, chargeId: chargeId() });
    expect(oldest.statusCode).toBe(409);
    expect(oldest.json().detail).toContain('expired');
    const live = await sql<{ n: number }>`
      select count(*)::int as n from points_payment_codes
      where my_key_id = ${hanakoKey} and used_at is null and expires_at > now()`.execute(ledger);
    expect(live.rows[0]?.n).toBe(3);
    expect((await kanda({ code: codes[3], amount: 1, chargeId: chargeId() })).statusCode).toBe(201);
    expect(await balance()).toBe(499);
  });

  it("is in the shop's day like a QR payment, and refunded the same way", async () => {
    const db = zones.internet.context.database.db as unknown as Kysely<PointsLedgerTables>;
    const today = (
      await zones.internet.app.inject({
        method: 'GET',
        url: '/api/v1/points/merchant/day',
        headers: { authorization: `Bearer ${kandaKey}` },
      })
    ).json();
    expect(today.payments.map((one: { amount: number }) => one.amount)).toEqual([300, 200, 1]);
    const day = await merchantDay(db, chiyoda, 'm-kanda', today.day);
    expect(day).toMatchObject({ total: 501, refunded: 0 });
    const ref = day.payments[1]!.ref;
    const refund = await refundPayment(db, context(), chiyoda, 'm-kanda', ref, 'merchant:m-kanda:test');
    expect(refund.amount).toBe(200);
    expect(await balance()).toBe(699);
    expect(await merchantDay(db, chiyoda, 'm-kanda', today.day)).toMatchObject({ refunded: 200, net: 301 });
    expect((await reconcileLedger(ledger, chiyoda)).mismatches).toEqual([]);
  });
});

describe('the code page and the shop tablet', () => {
  it('sends a visitor to sign in, and a resident without a MyKey ID to set one up', async () => {
    const visitor = await page(undefined, 'GET', '/points/code');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/sign-in?next=%2Fpoints%2Fcode');
    const early = await page(taro, 'GET', '/points/code');
    expect(early.statusCode).toBe(303);
    expect(early.headers.location).toBe('/points');
  });

  it('links the code page from the home page, and shows the code as a QR code and in fours', async () => {
    const home = await page(hanako, 'GET', '/points');
    expect(home.body).toContain('<a href="/points/code">コードを見せて支払う</a>');
    const shown = await page(hanako, 'GET', '/points/code');
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.body).toContain('<title>コードを見せて支払う');
    expect(shown.body).toMatch(/data-testid="pay-code-qr"><svg class="qr-code"/);
    expect(shown.body).toMatch(/\d{2}:\d{2} まで有効（5分間）/);
    expect(shownCode(shown.body)).toMatch(/^99\d{18}$/);
    const english = await page(hanako, 'GET', '/points/code?lang=en');
    expect(english.body).toContain('Valid until');
  });

  it('shows a new code from its button, and refuses the button without the session token', async () => {
    const first = shownCode((await page(hanako, 'GET', '/points/code')).body);
    const next = await page(hanako, 'POST', '/points/code');
    expect(next.statusCode).toBe(200);
    expect(shownCode(next.body)).toMatch(/^99\d{18}$/);
    expect(shownCode(next.body)).not.toBe(first);
    const forged = await zones.internet.app.inject({
      method: 'POST',
      url: '/points/code',
      headers: { cookie: hanako.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(forged.statusCode).toBe(403);
  });

  it("takes a payment by the customer's code on the tablet, once, and lists it today", async () => {
    const code = shownCode((await page(hanako, 'GET', '/points/code')).body);
    const dashboard = await tablet('GET', '/merchant');
    expect(dashboard.body).toContain('お客様のコードで受け取る');
    expect(dashboard.body).toContain('action="/merchant/charges"');
    const csrf = hidden(dashboard.body, '_csrf');
    const id = hidden(dashboard.body, 'chargeId');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const before = await balance();

    const forged = await tablet('POST', '/merchant/charges', { code, amount: '120', chargeId: id });
    expect(forged.statusCode).toBe(403);
    expect(await balance()).toBe(before);
    expect((await rowOf(code))?.used_at).toBeNull();

    const typo = await tablet('POST', '/merchant/charges', {
      _csrf: csrf,
      code,
      amount: '12o',
      chargeId: id,
    });
    expect(typo.statusCode).toBe(422);
    expect(typo.body).toContain('<title>エラー：');
    expect(typo.body).toContain('href="#code-amount"');
    expect(typo.body).toContain(`value="${code}"`);

    const spaced = code.replace(/(\d{4})(?=\d)/g, '$1 ');
    const taken = await tablet('POST', '/merchant/charges', {
      _csrf: csrf,
      code: spaced,
      amount: '１２０',
      chargeId: id,
    });
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.body).toMatch(/120 pt を受け取りました（取引番号 [0-9a-f]{16}）/);
    const ref = /取引番号 ([0-9a-f]{16})/.exec(taken.body)?.[1] ?? '';
    expect(taken.body).toMatch(new RegExp(`<span class="nowrap">${ref}</span>`));
    expect(await balance()).toBe(before - 120);

    // Pressed twice: the same form charges once.
    const twice = await tablet('POST', '/merchant/charges', {
      _csrf: csrf,
      code,
      amount: '120',
      chargeId: id,
    });
    expect(twice.statusCode).toBe(200);
    expect(await balance()).toBe(before - 120);
    // From a fresh form, the code is spent.
    const fresh = hidden(taken.body, 'chargeId');
    expect(fresh).not.toBe(id);
    const spent = await tablet('POST', '/merchant/charges', {
      _csrf: csrf,
      code,
      amount: '120',
      chargeId: fresh,
    });
    expect(spent.statusCode).toBe(422);
    expect(spent.body).toContain('このコードは使用済みか、有効期限が切れています');
    expect(spent.body).toContain('href="#customer-code"');
    expect(await balance()).toBe(before - 120);
  });

  it('says on the tablet when the customer has too few points, and the code stays usable', async () => {
    const code = shownCode((await page(hanako, 'GET', '/points/code')).body);
    const dashboard = await tablet('GET', '/merchant');
    const csrf = hidden(dashboard.body, '_csrf');
    const form = { _csrf: csrf, code, chargeId: hidden(dashboard.body, 'chargeId') };
    const short = await tablet('POST', '/merchant/charges', { ...form, amount: '100000' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('お客様のポイントが足りません');
    const unknown = await tablet('POST', '/merchant/charges', { ...form, code: '1234', amount: '10' });
    expect(unknown.body).toContain('コードの読み取りに誤りがあります');
    const paid = await tablet('POST', '/merchant/charges', { ...form, amount: '10' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.body).toContain('10 pt を受け取りました');
  });
});
