import { describe, expect, it } from 'vitest';
import type { ZoneName } from '../../src/core/index.ts';
import { checkPage, follow, heading, isFocused, openPage, useBrowserSuite, visit } from './support.ts';

const zoneNames: readonly ZoneName[] = ['internet', 'lgwan', 'mynumber'];
const suite = useBrowserSuite(zoneNames);

const headings: Record<ZoneName, { ja: string; en: string }> = {
  internet: { ja: '住民向けポータル', en: 'Resident portal' },
  lgwan: { ja: '職員向け業務システム', en: 'Staff back office' },
  mynumber: { ja: '個人番号利用事務系 業務システム', en: 'My Number zone back office' },
};

describe.each(zoneNames)('%s zone pages in a browser', (name) => {
  const base = () => suite.zones[name]!.url;

  it('shows the home page in Japanese, styled, accessible at 1280px and 375px', async () => {
    const checked = await openPage(suite.browser);
    suite.current = checked;
    const { page } = checked;
    await visit(checked, `${base()}/`);
    expect(await heading(page)).toBe(headings[name].ja);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    // The stylesheet loaded and the tokens apply: the header is the tokens' blue-1100.
    const headerColour = await page
      .locator('.site-header')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(headerColour).toBe('rgb(0, 0, 113)');
    expect(await page.getByRole('cell', { name: '千代田区' }).isVisible()).toBe(true);
    await checkPage(checked, `${name}-home-ja`);
  });

  it('switches to English, remembers it, and keeps it on the next page', async () => {
    const checked = await openPage(suite.browser);
    suite.current = checked;
    const { page } = checked;
    await visit(checked, `${base()}/`);
    await follow(page, page.getByRole('link', { name: 'English' }));
    expect(await heading(page)).toBe(headings[name].en);
    await checkPage(checked, `${name}-home-en`);
    await follow(page, page.getByRole('link', { name: 'Error types and what to do' }));
    expect(await heading(page)).toBe('Problem types');
    expect(page.url()).toBe(`${base()}/problems`);
  });

  it('reveals the skip link on focus and moves to the main content', async () => {
    const checked = await openPage(suite.browser);
    suite.current = checked;
    const { page } = checked;
    await visit(checked, `${base()}/`);
    const skip = page.getByRole('link', { name: '本文へ移動' });
    const hiddenBox = await skip.boundingBox();
    expect(hiddenBox === null || hiddenBox.y + hiddenBox.height <= 0).toBe(true);
    await page.keyboard.press('Tab');
    expect(await isFocused(skip)).toBe(true);
    const shownBox = await skip.boundingBox();
    expect(shownBox!.y).toBeGreaterThanOrEqual(0);
    // The focus ring is drawn (outline), not left to the browser default or removed.
    const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    expect(await isFocused(page.locator('main'))).toBe(true);
  });

  it('documents problem types, listed and one by one', async () => {
    const checked = await openPage(suite.browser);
    suite.current = checked;
    const { page } = checked;
    await visit(checked, `${base()}/problems`);
    await checkPage(checked, `${name}-problems`);
    await follow(page, page.getByRole('link', { name: 'credentials-invalid' }));
    expect(await heading(page)).toBe('ユーザー名、パスワードまたはワンタイムコードが違います');
    await checkPage(checked, `${name}-problem-credentials-invalid`);
  });
});
