// ACCEPTANCE: a browser signs a staff member in with password and TOTP, finds a
// demo resident by kana, and opens the resident's history — checking every page
// on the way with axe (serious/critical fail) at 1280px and 375px.
import { describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope } from '../../src/core/index.ts';
import { createStaffAccount, type IdentityDb, totpCode } from '../../src/modules/identity/index.ts';
import { generateResidents, recordMoveWithin, seedRegistryDemo } from '../../src/modules/registry/index.ts';
import { checkPage, follow, heading, openPage, useBrowserSuite, visit } from './support.ts';

const CHIYODA = '131016';
const DEMO_COUNT = 300;
const password = 'correct horse battery staple 42';
const newAddress = '一番町1番地 メゾン一番町101号室';
const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

// The demo data is generated from a fixed seed, so the first generated resident is
// the first one seeded: the test knows whom to look for without reading the tables.
const demoResident = generateResidents({ municipality: CHIYODA, count: 1, seed: 1 }).next().value!;
const kana = `${demoResident.family_name_kana} ${demoResident.given_name_kana}`;

const suite = useBrowserSuite(['mynumber'], {
  mynumber: {
    municipalities: [CHIYODA],
    async seed(zone) {
      await seedRegistryDemo(zone.context, DEMO_COUNT);
      // One 転居 after the import, so the history has an event as well as residence periods.
      await recordMoveWithin(zone.context, tenantScope(parseLgCode(CHIYODA)), 'system:browser-test', {
        residentCode: demoResident.resident_code,
        effectiveOn: '2024-06-01',
        address: newAddress,
        household: { kind: 'keep' },
      });
      await createStaffAccount(zone.context.database.db as IdentityDb, tenantScope(parseLgCode(CHIYODA)), {
        userName: 'clerk.yamada',
        displayName: '山田 花子',
        roles: ['registry-clerk'],
        password,
        totpSecret,
      });
    },
  },
});

describe('registry in a browser (acceptance)', () => {
  it('signs a clerk in with password and TOTP, finds a demo resident by kana, and opens the history', async () => {
    const base = suite.zones.mynumber!.url;
    const checked = await openPage(suite.browser);
    suite.current = checked;
    const { page } = checked;

    // Not signed in: the registry sends the browser to the sign-in page and back afterwards.
    const first = await page.goto(`${base}/registry`);
    expect(first?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/staff/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/registry');
    expect(await heading(page)).toBe('職員サインイン');
    await checkPage(checked, 'staff-sign-in');

    // A wrong one-time code is refused, with an error summary that is itself accessible.
    await page.getByLabel('地方公共団体').selectOption(CHIYODA);
    await page.getByLabel('ユーザー名').fill('clerk.yamada');
    await page.getByLabel('パスワード').fill(password);
    const wrong = String((Number(totpCode(totpSecret, new Date())) + 500_000) % 1_000_000).padStart(6, '0');
    await page.getByLabel('ワンタイムコード（6桁）').fill(wrong);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/staff/sign-in');
    expect(await page.locator('.error-summary').isVisible()).toBe(true);
    await checkPage(checked, 'staff-sign-in-error');

    // The right code signs in and returns to the registry search.
    await page.getByLabel('地方公共団体').selectOption(CHIYODA);
    await page.getByLabel('ユーザー名').fill('clerk.yamada');
    await page.getByLabel('パスワード').fill(password);
    await page.getByLabel('ワンタイムコード（6桁）').fill(totpCode(totpSecret, new Date()));
    await follow(page, page.getByRole('button', { name: 'サインイン' }));
    expect(new URL(page.url()).pathname).toBe('/registry');
    expect(await heading(page)).toBe('住民基本台帳');
    expect(await page.locator('.site-header__user').textContent()).toContain('山田 花子');
    await checkPage(checked, 'registry-search');

    // Search by kana.
    await page.getByLabel('フリガナ').fill(kana);
    await follow(page, page.getByRole('button', { name: '検索する' }));
    expect(new URL(page.url()).searchParams.get('kana')).toBe(kana);
    const result = page.getByRole('link', { name: demoResident.resident_code, exact: true });
    expect(await result.count()).toBe(1);
    expect(await page.locator('tbody').textContent()).toContain(kana);
    await checkPage(checked, 'registry-results');

    // Opening the record asks for the purpose first (every view is audited).
    await follow(page, result);
    expect(new URL(page.url()).pathname).toBe(`/registry/residents/${demoResident.resident_code}`);
    expect(await page.getByRole('radio').count()).toBeGreaterThan(0);
    await checkPage(checked, 'registry-purpose');
    await page.getByRole('radio').first().check();
    await follow(page, page.getByRole('button', { name: '住民票を表示する' }));
    expect(new URL(page.url()).searchParams.get('purpose')).not.toBeNull();

    // The record and its history: the move recorded above, and both residence periods.
    expect(await page.getByRole('heading', { name: '異動履歴' }).isVisible()).toBe(true);
    const events = page.locator('section[aria-labelledby="history-heading"] table').first();
    const eventRows = await events.locator('tbody tr').allTextContents();
    expect(eventRows.some((row) => row.includes('転居') && row.includes(newAddress))).toBe(true);
    const residences = page.locator('section[aria-labelledby="history-heading"] table').nth(1);
    const residenceRows = await residences.locator('tbody tr').allTextContents();
    expect(residenceRows).toHaveLength(2);
    expect(residenceRows.join('\n')).toContain(demoResident.address);
    expect(await page.locator('main').textContent()).toContain(
      `${demoResident.family_name} ${demoResident.given_name}`,
    );
    await checkPage(checked, 'registry-person-history');
  });

  it('keeps a signed-out browser away from a record', async () => {
    const base = suite.zones.mynumber!.url;
    const checked = await openPage(suite.browser);
    suite.current = checked;
    await visit(checked, `${base}/registry/residents/${demoResident.resident_code}?purpose=x`);
    expect(new URL(checked.page.url()).pathname).toBe('/staff/sign-in');
    expect(await checked.page.locator('main').textContent()).not.toContain(demoResident.family_name_kana);
  });
});
