// ACCEPTANCE (MyKey and municipal points) in Chromium: a resident signs in with the browser
// card, sets up a MyKey ID, earns points with an event's participation code, buys premium
// points by card (a declined card first), pays a shop by scanning the QR code its tablet shows (the code read from the
// rendered picture by jsQR, a decoder that is not ours, both here and in the resident's page),
// and orders a local product. The shop's tablet sees the payment and ships the order. In lgwan
// the points staff see it all on the dashboard's chart, define a programme and print codes,
// register a new shop whose till then signs in with the key they issued, and ask for the
// settlement, whose Zengin file (downloaded from lgwan) has records of exactly 120 bytes whose
// totals match. Every page is checked with axe at a desktop and a phone width, with the strict
// CSP in force.
import { createCanvas, loadImage } from '@napi-rs/canvas';
import jsQRModule from 'jsqr';
import type { Kysely } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope, toIsoDate } from '../../src/core/index.ts';
import { createStaffAccount, type IdentityDb, totpCode } from '../../src/modules/identity/index.ts';
import {
  addProduct,
  definePremiumOffer,
  defineProgramme,
  type EarningDb,
  formatGrantCode,
  fundPremiumBudget,
  issueGrantCodes,
  issueMerchantKey,
  type MerchantKeysDb,
  type MerchantsDb,
  openAccount,
  type PointsLedgerTables,
  type PremiumDb,
  parseMerchantQr,
  registerMerchant,
  type SettlementDb,
  type ShopDb,
  setSettlementAccount,
  ZENGIN_RECORD_BYTES,
  zenginRecords,
} from '../../src/modules/points/index.ts';
import { pointsFiguresPush } from '../../src/zones/internet/points-figures.ts';
import { sendSettlementAnswers } from '../../src/zones/internet/points-settlement-answers.ts';
import {
  CHIYODA,
  openPortalZones,
  type PortalZones,
  setUpBrowserCard,
  signInWithCard,
} from './portal-support.ts';
import {
  type CheckedPage,
  checkPage,
  heading,
  launchBrowser,
  openPage,
  screenshot,
  visit,
} from './support.ts';

// jsqr is CommonJS: its function is both the module and its `default` (typed as the latter).
const jsQR = jsQRModule.default;
const chiyoda = tenantScope(parseLgCode(CHIYODA));

let browser: Browser;
let zones: PortalZones;
let grantCode = '';
let terminalKey = '';
let resident: CheckedPage | undefined;
let tablet: CheckedPage | undefined;
let office: CheckedPage | undefined;
const STAFF_PASSWORD = 'correct horse battery staple 42';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** Reads a QR code out of a PNG with jsQR: the bytes it holds, as UTF-8. */
async function decodeQrPng(png: Buffer): Promise<string> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height);
  const found = jsQR(new Uint8ClampedArray(pixels.data), image.width, image.height);
  expect(found, 'no QR code in the picture').not.toBeNull();
  return new TextDecoder().decode(Uint8Array.from(found!.binaryData));
}

/** A field in a Zengin record, by the 1-based byte positions of the format's tables. */
const field = (record: Buffer, from: number, to: number) => record.subarray(from - 1, to).toString('latin1');

beforeAll(async () => {
  browser = await launchBrowser();
  zones = await openPortalZones();
  const db = zones.internet.context.database.db;
  const ledger = db as unknown as Kysely<PointsLedgerTables>;
  const now = zones.internet.context.clock.now();
  await openAccount(ledger, chiyoda, 'issuance', 'earning', now);
  await defineProgramme(
    db as EarningDb,
    chiyoda,
    {
      programmeId: 'autumn-festival',
      name: { ja: '秋まつり参加', en: 'Autumn festival' },
      points: 500,
      capPoints: 500,
      capPeriod: 'fiscal-year',
      expiryMonths: 12,
      active: true,
    },
    now,
  );
  const codes = await issueGrantCodes(
    ledger,
    chiyoda,
    { programmeId: 'autumn-festival', batchId: 'festival-2026', count: 1, validDays: 14 },
    now,
  );
  grantCode = codes[0]!;
  await registerMerchant(
    db as MerchantsDb,
    chiyoda,
    {
      merchantId: 'm-kanda',
      name: '神田商店',
      nameLatin: 'KANDA SHOTEN',
      cityLatin: 'CHIYODA-KU',
      categoryCode: '5411',
      feeBasisPoints: 100,
      bank: {
        bankCode: '0005',
        branchCode: '123',
        accountType: '1',
        accountNumber: '7654321',
        holderKana: 'カンダシヨウテン',
      },
    },
    now,
  );
  terminalKey = (await issueMerchantKey(db as MerchantKeysDb, chiyoda, 'm-kanda', 'タブレット', now)).token;
  await addProduct(
    db as ShopDb,
    chiyoda,
    {
      productId: 'rice-5kg',
      merchantId: 'm-kanda',
      name: { ja: '新米 5kg', en: 'New rice 5 kg' },
      pricePoints: 150,
      stock: 5,
    },
    now,
  );
  // Premium points: 5,000 yen buys 5,500 pt, two units a person, the public premium funded.
  await definePremiumOffer(
    db as PremiumDb,
    chiyoda,
    {
      offerId: 'winter-2026',
      name: { ja: '冬のプレミアムポイント', en: 'Winter premium points' },
      priceYen: 5_000,
      points: 5_500,
      maxUnitsPerPerson: 2,
      pointsExpireOn: null,
      salesFrom: null,
      salesUntil: null,
      active: true,
    },
    now,
  );
  const ledgerContext = { audit: zones.internet.context.audit, clock: zones.internet.context.clock };
  await fundPremiumBudget(
    db as PremiumDb,
    ledgerContext,
    chiyoda,
    { offerId: 'winter-2026', fundingId: 'fy2026-budget', points: 100_000 },
    'staff:test',
  );
  await createStaffAccount(zones.lgwan.context.database.db as IdentityDb, chiyoda, {
    userName: 'points.tanaka',
    displayName: '田中 一郎',
    roles: ['points-admin'],
    password: STAFF_PASSWORD,
    totpSecret: TOTP_SECRET,
  });
  await setSettlementAccount(db as SettlementDb, chiyoda, {
    requesterCode: '1310160001',
    requesterName: 'チヨダク',
    bankCode: '0005',
    bankName: 'ミツビシユーエフジエイ',
    branchCode: '001',
    branchName: 'ホンテン',
    accountType: '1',
    accountNumber: '1111111',
  });
});
afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  if (resident) await screenshot(resident.page, 'FAILED-points-resident').catch(() => undefined);
  if (tablet) await screenshot(tablet.page, 'FAILED-points-tablet').catch(() => undefined);
  if (office) await screenshot(office.page, 'FAILED-points-office').catch(() => undefined);
});
afterAll(async () => {
  await resident?.context.close().catch(() => undefined);
  await tablet?.context.close().catch(() => undefined);
  await office?.context.close().catch(() => undefined);
  await browser?.close();
  await zones?.close();
});

describe('MyKey and municipal points (browser, acceptance)', () => {
  it('earns, pays a shop by its QR code, orders a product; the shop sees it; settlement pays it', async () => {
    const { portal } = zones;
    resident = await openPage(browser);
    const { page } = resident;
    await setUpBrowserCard(zones, resident);

    // /points needs the card: sign in on the way, then back.
    await page.goto(`${portal}/points`);
    await page.waitForURL(/\/sign-in\?next=%2Fpoints/);
    await signInWithCard(page, `${portal}/points`);
    expect(await heading(page)).toBe('自治体ポイント');
    await checkPage(resident, 'points-set-up');
    await page.getByRole('button', { name: 'マイキーIDを設定する' }).click();
    await page.getByText('マイキーIDを設定しました。').waitFor();
    expect(await page.getByTestId('balance').textContent()).toBe('0 pt');

    // The festival's participation code, typed as printed.
    await page.getByLabel('参加証明コード（12文字）').fill(formatGrantCode(grantCode));
    await page.getByRole('button', { name: 'ポイントを受け取る' }).click();
    await page.getByText('秋まつり参加で 500 pt を受け取りました。').waitFor();
    expect(await page.getByTestId('balance').textContent()).toBe('500 pt');
    await checkPage(resident, 'points-home');

    // Premium points by card: a declined card is said beside the card number; another pays.
    await page.getByRole('link', { name: 'プレミアムポイントを購入する' }).click();
    expect(await heading(page)).toBe('プレミアムポイントの購入');
    await page.getByLabel('クレジットカード番号').fill('4000 0000 0000 0002');
    await page.getByRole('button', { name: '購入する' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').textContent()).toContain(
      'このカードはご利用になれませんでした',
    );
    await checkPage(resident, 'points-premium-declined');
    await page.getByLabel('口数').selectOption('1');
    await page.getByLabel('クレジットカード番号').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: '購入する' }).click();
    await page
      .getByText('5,000円をお支払いいただき、5,500 pt（うちプレミアム 500 pt）を受け取りました。')
      .waitFor();
    await checkPage(resident, 'points-premium-bought');
    await visit(resident, `${portal}/points`);
    expect(await page.getByTestId('balance').textContent()).toBe('6,000 pt');

    // The shop's tablet: signed in with its terminal key, a code for 320 pt.
    tablet = await openPage(browser);
    await visit(tablet, `${portal}/merchant`);
    await checkPage(tablet, 'merchant-sign-in');
    await tablet.page.getByLabel('端末キー').fill(terminalKey);
    await tablet.page.getByRole('button', { name: 'サインイン' }).click();
    await tablet.page.getByRole('heading', { name: 'お支払い用QRコード' }).waitFor();
    await tablet.page.getByLabel('金額を指定する（pt）').fill('320');
    await tablet.page.getByRole('button', { name: 'QRコードを表示' }).click();
    await tablet.page.getByText('この金額で支払われます：320 pt').waitFor();
    await checkPage(tablet, 'merchant-code');
    const picture = await tablet.page.getByTestId('merchant-qr').screenshot();
    const scanned = parseMerchantQr(await decodeQrPng(picture));
    expect(scanned).toMatchObject({
      kind: 'dynamic',
      merchantId: 'm-kanda',
      amount: 320,
      municipalityCode: CHIYODA,
    });

    // The resident scans it: a photo of the tablet, read in the page by jsQR.
    await visit(resident, `${portal}/points/pay`);
    await checkPage(resident, 'points-pay-scan');
    await page
      .locator('#scan-photo')
      .setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: picture });
    await page.waitForURL(`${portal}/points/pay/check`);
    expect(await page.getByTestId('shop-name').textContent()).toBe('神田商店');
    await checkPage(resident, 'points-pay-confirm');
    await page.getByRole('button', { name: '支払う' }).click();
    await page.getByRole('heading', { name: 'お支払いが完了しました' }).waitFor();
    expect(await page.getByTestId('paid-amount').textContent()).toBe('320 pt');
    const ref = (await page.getByTestId('payment-ref').textContent())!.trim();
    await checkPage(resident, 'points-paid');

    // The tablet sees it.
    await tablet.page.getByRole('link', { name: '最新の情報に更新' }).click();
    await tablet.page.getByTestId('day-payments').waitFor();
    expect(await tablet.page.getByTestId('day-payments').textContent()).toContain(ref);
    expect(await tablet.page.getByTestId('day-totals').textContent()).toContain('合計 320 pt');

    // A local product from the shop, then the tablet ships it.
    await visit(resident, `${portal}/points/shop`);
    await page.getByLabel('新米 5kg 数量').fill('1');
    await page.getByRole('button', { name: '注文する' }).click();
    await page.getByText(/ご注文を承りました（注文番号 [0-9a-f]{16}）。150 pt を確保しました。/).waitFor();
    await checkPage(resident, 'points-shop-ordered');
    await visit(resident, `${portal}/points/history`);
    await checkPage(resident, 'points-history');
    await tablet.page.getByRole('link', { name: '最新の情報に更新' }).click();
    await tablet.page.getByRole('button', { name: /発送済みにする/ }).click();
    await tablet.page.getByText(/発送済みにしました/).waitFor();
    await checkPage(tablet, 'merchant-shipped');

    // The municipality's dashboard in lgwan: the figures pushed through the gateway, as a chart.
    await pointsFiguresPush(zones.internet.context, zones.internet.gateway)();
    office = await openPage(browser);
    await visit(office, `${zones.office}/points/admin`);
    await office.page.getByLabel('地方公共団体').selectOption(CHIYODA);
    await office.page.getByLabel('ユーザー名').fill('points.tanaka');
    await office.page.getByLabel('パスワード').fill(STAFF_PASSWORD);
    await office.page.getByLabel('ワンタイムコード（6桁）').fill(totpCode(TOTP_SECRET, new Date()));
    await office.page.getByRole('button', { name: 'サインイン' }).click();
    await office.page.waitForURL(`${zones.office}/points/admin`);
    expect(await heading(office.page)).toBe('自治体ポイントの状況');
    // Issued: 500 earned + 5,500 bought; spent: 320 paid + 150 ordered; held: 6,000 − 470.
    expect(await office.page.getByTestId('total-issued').textContent()).toBe('6,000 pt');
    expect(await office.page.getByTestId('total-spent').textContent()).toBe('470 pt');
    expect(await office.page.getByTestId('outstanding').textContent()).toBe('5,530 pt');
    expect(await office.page.getByRole('img', { name: '日別の発行と利用（過去30日間）' }).count()).toBe(1);
    await checkPage(office, 'points-dashboard');

    // The programmes page: a new programme defined, and a batch of codes made for printing.
    await office.page.getByRole('link', { name: 'ポイント付与事業' }).click();
    await office.page.getByLabel('事業ID（英小文字・数字・-）').fill('walk-2027');
    await office.page.getByLabel('事業名（日本語）').fill('健康ウォーキング');
    await office.page.getByLabel('事業名（英語）').fill('Health walk');
    await office.page.getByLabel('1回の付与ポイント').fill('200');
    await office.page.getByLabel('1人あたりの上限ポイント').fill('2000');
    await office.page.getByLabel('上限の期間').selectOption('fiscal-year');
    await office.page.getByRole('button', { name: '保存して送る' }).click();
    await office.page
      .getByText('事業「健康ウォーキング」を保存し、インターネット接続系へ送りました。')
      .waitFor();
    await checkPage(office, 'points-programmes');
    await office.page.getByLabel('事業', { exact: true }).selectOption('walk-2027');
    await office.page.getByLabel('枚数（1〜1,000）').fill('12');
    await office.page.getByLabel('有効日数').fill('30');
    await office.page.getByLabel('ロット名（例：autumn-festival-2026）').fill('walk-spring');
    await office.page.getByRole('button', { name: '発行する' }).click();
    await office.page.getByTestId('code-sheet').waitFor();
    expect(await office.page.getByTestId('code-sheet').locator('li').count()).toBe(12);
    await checkPage(office, 'points-code-sheet');

    // A new shop registered in lgwan, with a key for its till; once the internet zone has
    // pulled them (its relay would; the test pulls), the shop's tablet signs in with that key.
    await office.page.getByRole('link', { name: '加盟店', exact: true }).click();
    await office.page.getByLabel('加盟店ID（英小文字・数字・-）').fill('m-jimbocho');
    await office.page.getByLabel('店名（日本語）').fill('神保町書店');
    await office.page.getByLabel('店名（ローマ字）').fill('JIMBOCHO SHOTEN');
    await office.page.getByLabel('市区町村名（ローマ字）').fill('CHIYODA-KU');
    await office.page.getByLabel('業種コード（MCC、数字4桁）').fill('5942');
    await office.page.getByLabel('手数料率（％）').fill('1.5');
    await office.page.getByRole('button', { name: '保存して送る' }).click();
    await office.page.getByText('加盟店「神保町書店」を保存し、インターネット接続系へ送りました。').waitFor();
    await checkPage(office, 'points-merchant');
    // Saved, staff are on the shop's own page: its terminal keys, then its terms.
    await office.page.getByLabel('端末の名前（例：レジ1）').fill('レジ1');
    await office.page.getByRole('button', { name: '端末キーを発行する' }).click();
    const issued = await office.page.getByTestId('terminal-key').inputValue();
    await checkPage(office, 'points-terminal-key');
    await zones.internet.gateway.pull('lgwan', 100);
    const till = await openPage(browser);
    await visit(till, `${portal}/merchant`);
    await till.page.getByLabel('端末キー').fill(issued);
    await till.page.getByRole('button', { name: 'サインイン' }).click();
    await till.page.getByRole('heading', { name: 'お支払い用QRコード' }).waitFor();
    await till.context.close();
    await office.page.getByRole('link', { name: '加盟店', exact: true }).click();
    await office.page.getByRole('link', { name: '神保町書店' }).waitFor();
    await checkPage(office, 'points-merchants');

    // The other staff pages: premium offers, partners and their invoices.
    await office.page.getByRole('link', { name: 'プレミアムポイント' }).click();
    await checkPage(office, 'points-premium-offers');
    await office.page.getByRole('link', { name: '提携事業者・請求' }).click();
    await checkPage(office, 'points-partners');

    // Settlement, asked for in lgwan: the internet zone pays the shop its 470 pt less the 1 %
    // fee (rounded down) and answers with the run's data, from which lgwan writes the Zengin
    // file staff download; its records are 120 bytes each and its totals match.
    await office.page.getByRole('link', { name: '加盟店への精算' }).click();
    await office.page.getByLabel('精算ID（例：2026-11）').fill('browser-1');
    await office.page
      .getByLabel('取組日（振込を実行する日）')
      .fill(toIsoDate(new Date(Date.now() + 86_400_000)));
    await office.page.getByRole('button', { name: '精算を依頼する' }).click();
    await office.page.getByText('精算「browser-1」を依頼しました。').waitFor();
    await zones.internet.gateway.pull('lgwan', 100);
    // The answer leaves the internet zone once the run has committed, as the background task does.
    await sendSettlementAnswers(zones.internet.context, zones.internet.gateway);
    await visit(office, `${zones.office}/points/admin/settlement`);
    await office.page.getByRole('link', { name: /全銀/ }).first().waitFor();
    await checkPage(office, 'points-settlement');
    const download = await office.page.request.get(
      `${zones.office}/points/admin/settlement/browser-1/zengin`,
    );
    expect(download.status()).toBe(200);
    const records = zenginRecords(Buffer.from(await download.body()));
    for (const record of records) expect(record.length).toBe(ZENGIN_RECORD_BYTES);
    expect(records.map((record) => field(record, 1, 1))).toEqual(['1', '2', '8', '9']);
    const [, data, trailer] = records;
    expect(field(data!, 81, 90)).toBe('0000000466');
    expect(field(trailer!, 2, 7)).toBe('000001');
    expect(field(trailer!, 8, 19)).toBe('000000000466');
  });
});
