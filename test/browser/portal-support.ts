import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadConfig, systemClock } from '../../src/core/index.ts';
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
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { type CheckedPage, visit } from './support.ts';

export const CHIYODA = '131016';
export const PIN = '2468';
export const SIGNING_PASSWORD = 'SATO2026';
/** The first demo resident of 千代田区: the one who gets a browser card. */
export const demoResident = generateResidents({ municipality: CHIYODA, count: 1, seed: 1 }).next().value!;

/** The three zones on loopback ports, with the registry's demo residents and a registry clerk. */
export interface PortalZones {
  /** e.g. http://127.0.0.1:41234 */
  readonly portal: string;
  readonly office: string;
  readonly internet: RunningZone;
  readonly lgwan: RunningZone;
  readonly mynumber: RunningZone;
  readonly registryClerk: SignedInStaff;
  /** Where lgwan keeps the municipality's signing authority (notices verify against it). */
  readonly lgpkiDir: string;
  close(): Promise<void>;
}

/**
 * The resident portal (internet), the back office (lgwan) and the registry (mynumber) on
 * fresh test databases, wired by the embedded gateway as a deployment is. The portal binds
 * sign-in challenges to its own origin, so each listens where its configuration says.
 */
export async function openPortalZones(): Promise<PortalZones> {
  const pki = await createTestPki();
  const lgpkiDir = mkdtempSync(join(tmpdir(), 'machi-browser-lgpki-'));
  const filesDir = mkdtempSync(join(tmpdir(), 'machi-browser-files-'));
  const [port, lgwanPort] = [await freePort(), await freePort()];
  const portal = `http://127.0.0.1:${port}`;
  const office = `http://127.0.0.1:${lgwanPort}`;
  const config = loadConfig({
    MACHI_MUNICIPALITIES: CHIYODA,
    MACHI_DATA_DIR: '/nonexistent',
    MACHI_JPKI_DIR: pki.dir,
    MACHI_LGPKI_DIR: lgpkiDir,
    MACHI_INTERNET_FILES_DIR: join(filesDir, 'internet'),
    MACHI_LGWAN_FILES_DIR: join(filesDir, 'lgwan'),
    MACHI_INTERNET_URL: portal,
    MACHI_LGWAN_URL: office,
  });
  const network = createEmbeddedNetwork({ background: true });
  const zones: RunningZone[] = [];
  const closers: (() => Promise<void>)[] = [];
  for (const definition of [internetZone, lgwanZone, mynumberZone]) {
    const database = await openTestDatabase();
    const zone = await openZone(definition, config, { database, clock: systemClock, gateway: network });
    zones.push(zone);
    closers.push(async () => {
      await zone.close();
      await database.close();
    });
  }
  const [internet, lgwan, mynumber] = zones as [RunningZone, RunningZone, RunningZone];
  await seedRegistryDemo(mynumber.context, 5);
  const registryClerk = await signedInStaff(mynumber, {
    municipalityCode: CHIYODA,
    roles: ['registry-clerk'],
  });
  await internet.app.listen({ host: '127.0.0.1', port });
  await lgwan.app.listen({ host: '127.0.0.1', port: lgwanPort });
  return {
    portal,
    office,
    internet,
    lgwan,
    mynumber,
    registryClerk,
    lgpkiDir,
    async close() {
      for (const close of closers.reverse()) await close();
      rmSync(lgpkiDir, { recursive: true, force: true });
      rmSync(filesDir, { recursive: true, force: true });
      pki.remove();
    },
  };
}

/** A browser card for the demo resident: asked for on /card, issued at the counter (API), picked up. */
export async function setUpBrowserCard(zones: PortalZones, checked: CheckedPage): Promise<void> {
  const { page } = checked;
  await visit(checked, `${zones.portal}/card`);
  await page.getByLabel('お住まいの市区町村').selectOption(CHIYODA);
  await page.getByLabel('利用者証明用の暗証番号（数字4桁）').fill(PIN);
  await page.getByLabel('署名用パスワード（英大文字と数字6～16文字）').fill(SIGNING_PASSWORD);
  await page.getByRole('button', { name: 'カードを申請する' }).click();
  const codeText = page.locator('#card-code');
  await codeText.waitFor({ state: 'visible', timeout: 30_000 });
  const code = (await codeText.textContent())!.trim();
  // The request reaches mynumber through lgwan in a few seconds: the clerk tries until it has.
  for (let attempt = 0; ; attempt++) {
    const issued = await zones.mynumber.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${CHIYODA}/card-requests/issue`,
      headers: { cookie: zones.registryClerk.cookie, 'x-csrf-token': zones.registryClerk.csrfToken },
      payload: { residentCode: demoResident.resident_code, code },
    });
    if (issued.statusCode === 201) break;
    expect(attempt, issued.body).toBeLessThan(20);
    await page.waitForTimeout(2_000);
  }
  await page.getByRole('heading', { name: 'カードの準備ができました' }).waitFor({ timeout: 60_000 });
}

/**
 * On /sign-in (reached on the way to a page that needs it): the PIN, until the portal lets the
 * resident on to `landing`. A new card's status may still be on its way to the OCSP responder,
 * so a refusal is tried again a few times.
 */
export async function signInWithCard(page: Page, landing: string | RegExp): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await page.getByLabel('暗証番号（数字4桁）').fill(PIN);
    await page.getByRole('button', { name: 'サインイン' }).click();
    const landed = await Promise.race([
      page.waitForURL(landing, { timeout: 10_000 }).then(() => true),
      page
        .locator('#sign-in-status')
        .waitFor({ state: 'visible', timeout: 10_000 })
        .then(() => false),
    ]);
    if (landed) return;
    expect(attempt, (await page.locator('#sign-in-status').textContent()) ?? '').toBeLessThan(10);
    await page.waitForTimeout(2_000);
    await page.reload();
  }
}
