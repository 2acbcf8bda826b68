import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseLgCode, systemClock, tenantScope } from '../../src/core/index.ts';
import { createStaffAccount, type IdentityDb, totpCode } from '../../src/modules/identity/index.ts';
import { generateResidents, seedRegistryDemo } from '../../src/modules/registry/index.ts';
import {
  createEmbeddedNetwork,
  internetZone,
  lgwanZone,
  mynumberZone,
  openZone,
  type RunningZone,
} from '../../src/zones/index.ts';
import { openTestDatabase } from '../support/database.ts';
import { freePort } from '../support/free-port.ts';
import { createTestPki } from '../support/pki.ts';
import {
  type CheckedPage,
  checkPage,
  heading,
  launchBrowser,
  openPage,
  screenshot,
  visit,
} from './support.ts';

const CHIYODA = '131016';
const password = 'correct horse battery staple 42';
const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const demoResident = generateResidents({ municipality: CHIYODA, count: 1, seed: 1 }).next().value!;
const PIN = '4321';

let browser: Browser;
let pki: Awaited<ReturnType<typeof createTestPki>>;
const zones: RunningZone[] = [];
const closers: (() => Promise<void>)[] = [];
const urls = { internet: '', mynumber: '' };
const pages: CheckedPage[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  pki = await createTestPki();
  // The portal binds challenges to its own origin, so it listens where its configuration says.
  const [internetPort, mynumberPort] = [await freePort(), await freePort()];
  urls.internet = `http://127.0.0.1:${internetPort}`;
  urls.mynumber = `http://127.0.0.1:${mynumberPort}`;
  const config = loadConfig({
    MACHI_MUNICIPALITIES: CHIYODA,
    MACHI_DATA_DIR: '/nonexistent',
    MACHI_JPKI_DIR: pki.dir,
    MACHI_INTERNET_URL: urls.internet,
    MACHI_MYNUMBER_URL: urls.mynumber,
  });
  const network = createEmbeddedNetwork({ background: true });
  for (const definition of [internetZone, lgwanZone, mynumberZone]) {
    const database = await openTestDatabase();
    const zone = await openZone(definition, config, { database, clock: systemClock, gateway: network });
    zones.push(zone);
    closers.push(async () => {
      await zone.close();
      await database.close();
    });
  }
  const [internet, , mynumber] = zones as [RunningZone, RunningZone, RunningZone];
  await seedRegistryDemo(mynumber.context, 50);
  await createStaffAccount(mynumber.context.database.db as IdentityDb, tenantScope(parseLgCode(CHIYODA)), {
    userName: 'clerk.tanaka',
    displayName: '田中 一郎',
    roles: ['registry-clerk'],
    password,
    totpSecret,
  });
  await internet.app.listen({ host: '127.0.0.1', port: internetPort });
  await mynumber.app.listen({ host: '127.0.0.1', port: mynumberPort });
});
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    for (const checked of pages) await screenshot(checked.page, 'FAILED-jpki').catch(() => undefined);
  }
});
afterAll(async () => {
  for (const checked of pages) await checked.context.close().catch(() => undefined);
  await browser?.close();
  for (const close of closers.reverse()) await close();
  pki?.remove();
});

async function staffSignIn(checked: CheckedPage) {
  const { page } = checked;
  await visit(checked, `${urls.mynumber}/cards`);
  expect(await heading(page)).toBe('職員サインイン');
  await page.getByLabel('地方公共団体').selectOption(CHIYODA);
  await page.getByLabel('ユーザー名').fill('clerk.tanaka');
  await page.getByLabel('パスワード').fill(password);
  await page.getByLabel('ワンタイムコード（6桁）').fill(totpCode(totpSecret, new Date()));
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.waitForURL(`${urls.mynumber}/cards`);
  expect(await heading(page)).toBe('マイナンバーカード窓口');
}

async function cardSignIn(resident: CheckedPage) {
  const { page } = resident;
  await visit(resident, `${urls.internet}/sign-in`);
  expect(await heading(page)).toBe('マイナンバーカードでサインイン');
  await page.getByLabel('暗証番号（数字4桁）').fill(PIN);
  await page.getByRole('button', { name: 'サインイン' }).click();
}

describe('My Number card in a browser (acceptance)', () => {
  it('is issued at the counter, signs the resident in and out, and is refused once revoked', async () => {
    const resident = await openPage(browser);
    const staff = await openPage(browser);
    pages.push(resident, staff);

    // The resident asks for a browser card: keys are made in the browser, a code is shown.
    await visit(resident, `${urls.internet}/card`);
    expect(await heading(resident.page)).toBe('ブラウザでマイナンバーカードを使う');
    await checkPage(resident, 'card-setup');
    await resident.page.getByLabel('お住まいの市区町村').selectOption(CHIYODA);
    await resident.page.getByLabel('利用者証明用の暗証番号（数字4桁）').fill(PIN);
    await resident.page.getByLabel('署名用パスワード（英大文字と数字6～16文字）').fill('TANAKA2026');
    await resident.page.getByRole('button', { name: 'カードを申請する' }).click();
    const codeText = resident.page.locator('#card-code');
    await codeText.waitFor({ state: 'visible', timeout: 30_000 });
    const code = (await codeText.textContent())!.trim();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    await checkPage(resident, 'card-waiting');

    // At the counter: the clerk signs in with password and TOTP and issues against the code.
    await staffSignIn(staff);
    await checkPage(staff, 'counter');
    await staff.page.getByLabel('住民票コード（11桁）').first().fill(demoResident.resident_code);
    await staff.page.getByLabel('申請コード（8文字）').fill(code);
    // The request reaches mynumber on its next pull of lgwan (every 5 s): retry until it has.
    for (let attempt = 0; ; attempt++) {
      await staff.page.getByRole('button', { name: '交付する' }).click();
      await staff.page.waitForLoadState('load');
      if (await staff.page.getByText('カードを交付しました。').isVisible()) break;
      expect(attempt, 'the card request never reached the counter').toBeLessThan(10);
      await staff.page.waitForTimeout(2_000);
      await staff.page.getByLabel('住民票コード（11桁）').first().fill(demoResident.resident_code);
      await staff.page.getByLabel('申請コード（8文字）').fill(code);
    }
    await checkPage(staff, 'counter-issued');

    // The browser picks its certificates up by itself, then signs in with the PIN.
    await resident.page
      .getByRole('heading', { name: 'カードの準備ができました' })
      .waitFor({ timeout: 60_000 });
    await checkPage(resident, 'card-ready');
    for (let attempt = 0; ; attempt++) {
      await cardSignIn(resident);
      const landed = await Promise.race([
        resident.page.waitForURL(`${urls.internet}/me`, { timeout: 10_000 }).then(() => true),
        resident.page
          .locator('#sign-in-status')
          .waitFor({ state: 'visible', timeout: 10_000 })
          .then(() => false),
      ]);
      if (landed) break;
      // The status may still be on its way to the OCSP responder (a few seconds).
      const why = (await resident.page.locator('#sign-in-status').textContent()) ?? '';
      expect(attempt, why).toBeLessThan(10);
      await resident.page.waitForTimeout(2_000);
    }
    expect(await heading(resident.page)).toBe('マイページ');
    expect(await resident.page.getByText('有効', { exact: true }).isVisible()).toBe(true);
    expect(await resident.page.content()).not.toContain(demoResident.family_name);
    await checkPage(resident, 'my-card');
    await resident.page.getByRole('button', { name: 'サインアウト' }).click();
    await resident.page.waitForURL(`${urls.internet}/`);
    const me = await resident.page.goto(`${urls.internet}/me`);
    expect(new URL(me!.url()).pathname).toBe('/sign-in');

    // Staff revoke the card (reported lost).
    await staff.page.getByLabel('理由').selectOption('lost');
    await staff.page.getByRole('button', { name: '失効させる' }).click();
    await staff.page.getByText('カードを失効させました。').waitFor();
    await checkPage(staff, 'counter-revoked');

    // Within a minute the portal refuses the card, saying why.
    const refusal = resident.page.locator('#sign-in-status');
    for (let attempt = 0; ; attempt++) {
      await cardSignIn(resident);
      const refused = await Promise.race([
        resident.page.waitForURL(`${urls.internet}/me`, { timeout: 10_000 }).then(() => false),
        refusal.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true),
      ]);
      if (refused && (await refusal.textContent())?.includes('失効しています')) break;
      // Until the revocation has travelled mynumber → lgwan → internet (seconds), it still works.
      expect(attempt, 'the revocation never reached sign-in').toBeLessThan(30);
      await resident.page.waitForTimeout(2_000);
    }
    expect(new URL(resident.page.url()).pathname).toBe('/sign-in');
    // Chromium logs the refused sign-in call (401) as a console error: that refusal is the point.
    const expected = (line: string) =>
      line.includes('status of 401') && line.includes('/api/v1/jpki/sign-in');
    const unexpected = resident.problems.filter((line) => !expected(line));
    resident.problems.splice(0, resident.problems.length, ...unexpected);
    await checkPage(resident, 'sign-in-revoked');
  });
});
