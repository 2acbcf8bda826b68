import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditMigrations,
  createAuditLog,
  createHttpApp,
  type Database,
  fixedClock,
  type HttpApp,
  MachiError,
  migrate,
  parseLgCode,
  tenantScope,
} from '../../src/core/index.ts';
import { type MyKeyDb, mykeyMigrations, setUpMyKeyId } from '../../src/modules/mykey/index.ts';
import {
  accountId,
  balanceOf,
  buyPremiumPoints,
  definePremiumOffer,
  expireReservations,
  fundPremiumBudget,
  openAccount,
  type PointsLedgerTables,
  PREMIUM_HOLD_SECONDS,
  type PremiumContext,
  type PremiumDb,
  type PremiumOffer,
  pointsLedgerMigrations,
  premiumBudgetOf,
  premiumMigrations,
  reconcileLedger,
  registerPointsPremiumRoutes,
  settlePremiumPurchases,
} from '../../src/modules/points/index.ts';
import {
  type PaymentProvider,
  type RetryPolicy,
  TEST_CARDS,
  testPaymentProvider,
  testPaymentProviderMigrations,
} from '../../src/modules/procedures/index.ts';
import { openTestDatabase } from '../support/database.ts';

const clock = fixedClock(new Date('2026-07-01T10:00:00+09:00'));
const chiyoda = tenantScope(parseLgCode('131016'));
/** Quick retries, so transient failures cost milliseconds. */
const FAST_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 5, timeoutMs: 5_000 };
/** One call, no retry: the provider's answer lost stays lost, for the job to find. */
const NO_RETRY: RetryPolicy = { attempts: 1, baseDelayMs: 5, timeoutMs: 5_000 };
let database: Database;
let db: PremiumDb;
let ledger: Kysely<PointsLedgerTables>;
let provider: PaymentProvider;
let context: PremiumContext;
let serial = 0;

const offer = (overrides: Partial<PremiumOffer> = {}): PremiumOffer => ({
  offerId: 'summer',
  name: { ja: '夏のプレミアムポイント', en: 'Summer premium points' },
  priceYen: 10_000,
  points: 11_000,
  maxUnitsPerPerson: 3,
  pointsExpireOn: '2027-03-31',
  salesFrom: null,
  salesUntil: null,
  active: true,
  ...overrides,
});

/** A new resident with an empty points account; answers the MyKey ID. */
async function resident(): Promise<string> {
  serial += 1;
  const myKeyId = `MKTEST${String(serial).padStart(4, '0')}`;
  await openAccount(ledger, chiyoda, 'resident', myKeyId, clock.now());
  return myKeyId;
}

const card = (token: string = TEST_CARDS.approved) => ({ kind: 'card' as const, token });
const buy = (
  myKeyId: string,
  units: number,
  options: { offerId?: string; purchaseId?: string; token?: string; with?: PremiumContext } = {},
) =>
  buyPremiumPoints(db, options.with ?? context, chiyoda, {
    myKeyId,
    offerId: options.offerId ?? 'summer',
    units,
    purchaseId: options.purchaseId ?? `buy-${randomUUID()}`,
    method: card(options.token),
  });
const points = async (myKeyId: string) => balanceOf(ledger, chiyoda, accountId('resident', myKeyId));
const budget = async (offerId = 'summer') => balanceOf(ledger, chiyoda, premiumBudgetOf(offerId));
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as MachiError;
  }
  throw new Error('expected the call to fail');
};

/** The provider's payments for one offer's purchases, as its console would list them. */
async function payments(offerId = 'summer') {
  const rows = await sql<{ status: string; captured_yen: number }>`
    select status, captured_yen from test_payment_provider_payments
    where order_id like ${`premium-${offerId}-%`}`.execute(db);
  return rows.rows;
}
async function purchaseState(myKeyId: string, purchaseId: string) {
  const row = await db
    .selectFrom('points_premium_purchases')
    .select(['state', 'decline_code', 'transfer_id'])
    .where('account_id', '=', accountId('resident', myKeyId))
    .where('purchase_id', '=', purchaseId)
    .executeTakeFirstOrThrow();
  const transfer = await ledger
    .selectFrom('points_transfers')
    .select(['state', 'timeout_at', 'created_at'])
    .where('transfer_id', '=', row.transfer_id)
    .executeTakeFirstOrThrow();
  return { ...row, transfer };
}
async function reconciled() {
  const result = await reconcileLedger(ledger, chiyoda);
  expect(result.mismatches).toEqual([]);
  expect(result.sum).toBe(0);
}

/** Defines an offer and funds its budget with `budgetPoints`. */
async function onSale(terms: PremiumOffer, budgetPoints: number) {
  await definePremiumOffer(db, chiyoda, terms, clock.now());
  const funding = { offerId: terms.offerId, fundingId: 'initial', points: budgetPoints };
  await fundPremiumBudget(db, context, chiyoda, funding, 'staff:test');
}

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [
    auditMigrations,
    pointsLedgerMigrations,
    mykeyMigrations,
    testPaymentProviderMigrations,
    premiumMigrations,
  ]);
  db = database.db as unknown as PremiumDb;
  ledger = database.db as unknown as Kysely<PointsLedgerTables>;
  provider = testPaymentProvider(database, clock, { slowMs: 50 });
  context = { audit: createAuditLog(database, clock), clock, provider, retry: FAST_RETRY };
  await onSale(offer(), 1_000_000);
});
afterAll(async () => {
  await database?.close();
});

describe('defining offers', () => {
  it.each([
    ['fewer points than the price', { points: 9_999 }],
    ['a price of zero', { priceYen: 0 }],
    ['a fractional price', { priceYen: 100.5 }],
    ['no units per person', { maxUnitsPerPerson: 0 }],
    ['an offer id with capitals', { offerId: 'Summer' }],
  ])('refuses %s', async (_, terms) => {
    const error = await failure(definePremiumOffer(db, chiyoda, offer(terms), clock.now()));
    expect(error.code).toBe('validation-failed');
  });
});

describe('buying premium points', () => {
  it('posts the paid points and the public premium together, once the card is captured', async () => {
    const hanako = await resident();
    const before = await budget();
    const purchase = await buy(hanako, 2);
    expect(purchase).toMatchObject({
      state: 'paid',
      units: 2,
      amountYen: 20_000,
      points: 22_000,
      premiumPoints: 2_000,
      repeated: false,
    });
    expect(await points(hanako)).toMatchObject({ posted: 22_000, available: 22_000 });
    expect((await budget()).posted).toBe(before.posted - 2_000);
    const state = await purchaseState(hanako, purchase.purchaseId);
    expect(state.transfer.state).toBe('posted');
    await reconciled();
  });

  it('charges and gives once for a purchase id sent again, or sent five times at once', async () => {
    const taro = await resident();
    const before = (await payments()).length;
    const purchaseId = `buy-${randomUUID()}`;
    const first = await buy(taro, 1, { purchaseId });
    // A retried page brings a new one-time card token: still the same purchase.
    const again = await buy(taro, 1, { purchaseId, token: TEST_CARDS.approvedMastercard });
    expect(first.repeated).toBe(false);
    expect(again).toMatchObject({ purchaseId, state: 'paid', repeated: true });
    const racing = `buy-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => buy(taro, 1, { purchaseId: racing })));
    expect(results.every((one) => one.state === 'paid')).toBe(true);
    expect(results.filter((one) => !one.repeated)).toHaveLength(1);
    expect((await payments()).length - before).toBe(2);
    expect((await points(taro)).posted).toBe(22_000);
    const error = await failure(buy(taro, 2, { purchaseId }));
    expect(error.code).toBe('conflict');
  });

  it('takes nothing and gives nothing when the card is declined', async () => {
    const jiro = await resident();
    const before = await budget();
    const purchaseId = `buy-${randomUUID()}`;
    const error = await failure(buy(jiro, 1, { purchaseId, token: TEST_CARDS.insufficientFunds }));
    expect(error).toMatchObject({ code: 'payment-declined', status: 402 });
    expect(error.extensions).toEqual({ declineCode: 'insufficient_funds' });
    const state = await purchaseState(jiro, purchaseId);
    expect(state).toMatchObject({ state: 'voided', decline_code: 'insufficient_funds' });
    expect(state.transfer.state).toBe('voided');
    expect(await points(jiro)).toMatchObject({ posted: 0, available: 0, pendingCredits: 0 });
    expect(await budget()).toMatchObject({ posted: before.posted, available: before.available });
    // Asked again, it answers the same, and no new charge is tried.
    expect((await failure(buy(jiro, 1, { purchaseId }))).code).toBe('payment-declined');
    expect((await payments()).filter((one) => one.captured_yen > 0 && one.status !== 'succeeded')).toEqual(
      [],
    );
    // A declined purchase does not count against the cap.
    expect((await buy(jiro, 3)).state).toBe('paid');
    await reconciled();
  });

  it('keeps to the cap per person, however many purchases race', async () => {
    const saburo = await resident();
    await buy(saburo, 2);
    const over = await failure(buy(saburo, 2));
    expect(over).toMatchObject({ code: 'premium-cap-reached', extensions: { unitsLeft: 1 } });
    expect(over.detail).toContain('3 units');
    await buy(saburo, 1);
    expect((await failure(buy(saburo, 1))).extensions).toEqual({ unitsLeft: 0 });
    expect((await points(saburo)).posted).toBe(33_000);

    const shiro = await resident();
    const charged = (await payments()).length;
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => buy(shiro, 1)));
    expect(outcomes.filter((one) => one.status === 'fulfilled')).toHaveLength(3);
    const refused = outcomes.filter((one) => one.status === 'rejected');
    expect(refused.map((one) => (one.reason as MachiError).code)).toEqual(
      Array(3).fill('premium-cap-reached'),
    );
    // Nothing was charged for the refused ones: the cap is checked before the card.
    expect((await payments()).length - charged).toBe(3);
    expect((await points(shiro)).posted).toBe(33_000);
  });

  it('never exceeds the public budget: 50 buyers racing for premiums that cover 20', async () => {
    await onSale(offer({ offerId: 'race', maxUnitsPerPerson: 1 }), 20_000);
    const buyers = await Promise.all(Array.from({ length: 50 }, () => resident()));
    const outcomes = await Promise.allSettled(buyers.map((buyer) => buy(buyer, 1, { offerId: 'race' })));
    const paid = outcomes.filter((one) => one.status === 'fulfilled');
    expect(paid).toHaveLength(20);
    const codes = outcomes.flatMap((one) =>
      one.status === 'rejected' ? [(one.reason as MachiError).code] : [],
    );
    expect(codes).toEqual(Array(30).fill('premium-budget-exhausted'));
    expect(await budget('race')).toMatchObject({ posted: 0, available: 0, pendingDebits: 0 });
    // Only the 20 who got the premium were charged, each in full.
    const charged = await payments('race');
    expect(charged).toHaveLength(20);
    expect(charged.every((one) => one.status === 'succeeded' && one.captured_yen === 10_000)).toBe(true);
    const refusedBuyer = buyers.find((_, index) => outcomes[index]?.status === 'rejected') as string;
    expect((await points(refusedBuyer)).posted).toBe(0);
    await reconciled();
  });

  it('refuses an offer not on sale, and an unknown one', async () => {
    const goro = await resident();
    await onSale(offer({ offerId: 'closed', active: false }), 10_000);
    await onSale(offer({ offerId: 'later', salesFrom: new Date('2026-08-01T00:00:00+09:00') }), 10_000);
    expect((await failure(buy(goro, 1, { offerId: 'closed' }))).code).toBe('conflict');
    expect((await failure(buy(goro, 1, { offerId: 'later' }))).code).toBe('conflict');
    expect((await failure(buy(goro, 1, { offerId: 'nothing' }))).code).toBe('not-found');
    expect((await failure(buy(goro, 0))).code).toBe('validation-failed');
    expect((await failure(buy(goro, 1, { purchaseId: 'short' }))).code).toBe('validation-failed');
  });
});

describe('settling purchases the provider left unanswered', () => {
  const patient = () => ({ ...context, retry: NO_RETRY });

  it('holds a purchase in the ledger far longer than the job takes to settle it', async () => {
    const rokuro = await resident();
    const purchaseId = `buy-${randomUUID()}`;
    // The provider authorises, then the answer is lost on the way back.
    const error = await failure(
      buy(rokuro, 1, { purchaseId, token: TEST_CARDS.loseAnswerOnce, with: patient() }),
    );
    expect(error.code).toBe('payment-unavailable');
    const state = await purchaseState(rokuro, purchaseId);
    expect(state.state).toBe('reserved');
    const held =
      new Date(state.transfer.timeout_at as Date).getTime() - new Date(state.transfer.created_at).getTime();
    expect(held).toBe(PREMIUM_HOLD_SECONDS * 1000);
    // Reserved points are not spendable yet; the budget holds the premium.
    expect(await points(rokuro)).toMatchObject({ posted: 0, available: 0, pendingCredits: 11_000 });

    // Too young for the job: the resident's request may still be under way.
    expect(await settlePremiumPurchases(db, patient(), chiyoda)).toMatchObject({ checked: 0 });
    clock.advance(61_000);
    // The job captures it; the capture's answer is lost too, so it is settled next round.
    expect(await settlePremiumPurchases(db, patient(), chiyoda)).toEqual({
      checked: 1,
      settled: 0,
      errors: 1,
    });
    expect(await settlePremiumPurchases(db, patient(), chiyoda)).toEqual({
      checked: 1,
      settled: 1,
      errors: 0,
    });
    expect(await points(rokuro)).toMatchObject({ posted: 11_000, available: 11_000, pendingCredits: 0 });
    // The resident's retry answers the purchase the job completed: no second charge.
    const again = await buy(rokuro, 1, { purchaseId });
    expect(again).toMatchObject({ state: 'paid', repeated: true });
    const mine = await sql<{ n: number }>`select count(*)::int as n from test_payment_provider_payments
      where card_last4 = ${TEST_CARDS.loseAnswerOnce.slice(-4)}`.execute(db);
    expect(mine.rows[0]?.n).toBe(1);
    await reconciled();
  });

  it('voids a purchase that never reached the provider, returning its hold', async () => {
    const shichiro = await resident();
    const before = await budget();
    const purchaseId = `buy-${randomUUID()}`;
    // The provider fails before acting: nothing is made there.
    const error = await failure(
      buy(shichiro, 1, { purchaseId, token: TEST_CARDS.failOnce, with: patient() }),
    );
    expect(error.code).toBe('payment-unavailable');
    expect((await budget()).available).toBe(before.available - 1_000);
    clock.advance(61_000);
    expect(await settlePremiumPurchases(db, patient(), chiyoda)).toEqual({
      checked: 1,
      settled: 1,
      errors: 0,
    });
    expect(await purchaseState(shichiro, purchaseId)).toMatchObject({ state: 'voided', decline_code: null });
    expect((await budget()).available).toBe(before.available);
    expect((await points(shichiro)).pendingCredits).toBe(0);
    const again = await failure(buy(shichiro, 1, { purchaseId }));
    expect(again.code).toBe('conflict');
    expect(again.detail).toContain('nothing was charged');
    await reconciled();
  });

  it('never charges a card once its hold has lapsed', async () => {
    const hachiro = await resident();
    const purchaseId = `buy-${randomUUID()}`;
    await failure(buy(hachiro, 1, { purchaseId, token: TEST_CARDS.loseAnswerOnce, with: patient() }));
    // The job did not run for over a week; the ledger's own job returned the hold.
    clock.advance((PREMIUM_HOLD_SECONDS + 60) * 1000);
    expect(await expireReservations(ledger, context)).toBeGreaterThanOrEqual(1);
    expect(await settlePremiumPurchases(db, patient(), chiyoda)).toMatchObject({ settled: 1, errors: 0 });
    expect(await purchaseState(hachiro, purchaseId)).toMatchObject({
      state: 'voided',
      decline_code: 'reservation-expired',
    });
    const authorised = await sql<{ status: string; captured_yen: number }>`
      select status, captured_yen from test_payment_provider_payments
      where card_last4 = ${TEST_CARDS.loseAnswerOnce.slice(-4)} order by created_at desc limit 1`.execute(db);
    expect(authorised.rows[0]).toEqual({ status: 'authorized', captured_yen: 0 });
    expect((await points(hachiro)).posted).toBe(0);
    await reconciled();
  });

  it('pays back money taken for a hold that lapsed before it was posted', async () => {
    const kuro = await resident();
    const purchaseId = `buy-${randomUUID()}`;
    // The process stops right after the capture acted: the purchase stays reserved.
    const crashing: PaymentProvider = {
      ...provider,
      async capturePayment(request) {
        await provider.capturePayment(request);
        throw new MachiError('payment-unavailable', 'The process stopped (test).');
      },
    };
    const error = await failure(buy(kuro, 1, { purchaseId, with: { ...patient(), provider: crashing } }));
    expect(error.code).toBe('payment-unavailable');
    clock.advance((PREMIUM_HOLD_SECONDS + 60) * 1000);
    await expireReservations(ledger, context);
    expect(await settlePremiumPurchases(db, patient(), chiyoda)).toMatchObject({ settled: 0, errors: 0 });
    expect((await purchaseState(kuro, purchaseId)).state).toBe('refunding');
    expect(await settlePremiumPurchases(db, patient(), chiyoda)).toMatchObject({ settled: 1, errors: 0 });
    expect((await purchaseState(kuro, purchaseId)).state).toBe('refunded');
    const refunded = await sql<{ status: string }>`select status from test_payment_provider_payments
      where order_id like 'premium-summer-%' order by created_at desc limit 1`.execute(db);
    expect(refunded.rows[0]?.status).toBe('refunded');
    expect((await points(kuro)).posted).toBe(0);
    expect((await failure(buy(kuro, 1, { purchaseId }))).detail).toContain('paid back');
    await reconciled();
  });
});

describe('the premium points API', () => {
  let app: HttpApp;
  const subjects = new Map<string, string>();

  /** A request as the signed-in resident `subject` (the zone's session stands behind the header here). */
  const as = (subject: string) => (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { 'x-test-subject': subject }, ...(payload ? { payload } : {}) });
  const body = (overrides: Record<string, unknown> = {}) => ({
    offerId: 'summer',
    units: 1,
    purchaseId: `app-${randomUUID()}`,
    cardToken: TEST_CARDS.approved,
    ...overrides,
  });

  beforeAll(async () => {
    app = createHttpApp({ name: 'test' });
    registerPointsPremiumRoutes(app, { db: database.db, ...context }, async (request) => {
      const subjectId = request.headers['x-test-subject'];
      if (typeof subjectId !== 'string') throw new MachiError('authentication-required');
      return { scope: chiyoda, subjectId, csrfToken: 'test' };
    });
    for (const subject of ['hanako', 'taro']) {
      const { myKeyId } = await setUpMyKeyId(database.db as MyKeyDb, chiyoda, subject, clock.now());
      await openAccount(ledger, chiyoda, 'resident', myKeyId, clock.now());
      subjects.set(subject, myKeyId);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists the offers on sale with what is left for the resident', async () => {
    await as('hanako')('POST', '/api/v1/points/premium/purchases', body({ units: 2 }));
    const response = await as('hanako')('GET', '/api/v1/points/premium/offers');
    expect(response.statusCode, response.body).toBe(200);
    const offers = response.json().offers as { offerId: string }[];
    // Closed, not yet on sale: not listed. The race's budget is used up.
    expect(offers.map((one) => one.offerId)).toEqual(['race', 'summer']);
    expect(offers[1]).toEqual({
      offerId: 'summer',
      name: { ja: '夏のプレミアムポイント', en: 'Summer premium points' },
      priceYen: 10_000,
      points: 11_000,
      premiumPoints: 1_000,
      maxUnitsPerPerson: 3,
      unitsLeft: 1,
      budgetRemains: true,
      salesUntil: null,
      pointsExpireOn: '2027-03-31',
    });
    expect(offers[0]).toMatchObject({ unitsLeft: 1, budgetRemains: false });
  });

  it('buys once: 201, then 200 with the same purchase', async () => {
    const sent = body();
    const first = await as('taro')('POST', '/api/v1/points/premium/purchases', sent);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      purchaseId: sent.purchaseId,
      offerId: 'summer',
      units: 1,
      amountYen: 10_000,
      points: 11_000,
      premiumPoints: 1_000,
      state: 'paid',
    });
    expect(first.json()).not.toHaveProperty('repeated');
    const again = await as('taro')('POST', '/api/v1/points/premium/purchases', sent);
    expect(again.statusCode).toBe(200);
    expect(again.json().purchaseId).toBe(sent.purchaseId);
    expect((await points(subjects.get('taro') as string)).posted).toBe(11_000);
  });

  it.each([
    ['negative units', { units: -1 }, 'units'],
    ['fractional units', { units: 1.5 }, 'units'],
    ['units as words', { units: 'two' }, 'units'],
    ['no card token', { cardToken: undefined }, 'cardToken'],
    ['no offer', { offerId: undefined }, 'offerId'],
    ['a malformed purchase id', { purchaseId: 'a b' }, 'purchaseId'],
    ['an unknown field', { coupon: 'FREE' }, 'additional properties'],
  ])('refuses %s with a problem naming the field', async (_, overrides, field) => {
    const response = await as('taro')('POST', '/api/v1/points/premium/purchases', body(overrides));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().type).toBe('/problems/validation-failed');
    expect(response.body).toContain(field);
  });

  it('answers an unknown offer 404, a declined card 402, the cap 409, all as problems', async () => {
    const unknown = await as('taro')('POST', '/api/v1/points/premium/purchases', body({ offerId: 'winter' }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      type: '/problems/not-found',
      detail: 'No premium points offer winter.',
    });
    const declined = await as('taro')(
      'POST',
      '/api/v1/points/premium/purchases',
      body({ cardToken: TEST_CARDS.declined }),
    );
    expect(declined.statusCode).toBe(402);
    expect(declined.json()).toMatchObject({
      type: '/problems/payment-declined',
      declineCode: 'card_declined',
    });
    const capped = await as('taro')('POST', '/api/v1/points/premium/purchases', body({ units: 3 }));
    expect(capped.statusCode).toBe(409);
    expect(capped.json()).toMatchObject({ type: '/problems/premium-cap-reached', unitsLeft: 2 });
  });

  it('asks a resident without a MyKey ID to set one up first', async () => {
    const response = await as('nobody')('GET', '/api/v1/points/premium/offers');
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toContain('/api/v1/points/mykey');
  });
});
