import { mkdirSync } from 'node:fs';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ZoneName } from '../../src/core/index.ts';
import { type RunningZone, type ZoneDefinition, zoneDefinitions } from '../../src/zones/index.ts';
import { openTestZone, type TestZoneOptions } from '../support/zone.ts';

/** Screenshots go here (git-ignored); CI keeps them as artefacts of a failed run. */
export const resultsDir = 'test-results';

/** The two widths every page is checked at: a desktop and a small phone. */
export const widths = { desktop: 1280, phone: 375 } as const;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.MACHI_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface ServedZone {
  readonly zone: RunningZone;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
}

/** A zone on a fresh test database, listening on an ephemeral loopback port. */
export async function startZone(
  definition: ZoneDefinition,
  options: TestZoneOptions & { seed?: (zone: RunningZone) => Promise<void> } = {},
): Promise<ServedZone> {
  const zone = await openTestZone(definition, options);
  await options.seed?.(zone);
  const address = await zone.app.listen({ port: 0, host: '127.0.0.1' });
  return { zone, url: address };
}

/** Violations axe reports with this impact fail the test; minor and moderate ones are printed. */
const failingImpacts = new Set(['serious', 'critical']);

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/**
 * Runs axe-core in the page against WCAG 2.0/2.1/2.2 A and AA rules. axe is
 * evaluated over the DevTools protocol, so the page keeps its strict CSP: the
 * test sees exactly what a user's browser enforces.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const outcome = await run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return outcome.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return results;
}

/** A browser context and page that record CSP violations and script errors. */
export interface CheckedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors (CSP refusals among them) and uncaught exceptions seen so far. */
  readonly problems: string[];
}

export async function openPage(browser: Browser, width: number = widths.desktop): Promise<CheckedPage> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'ja-JP' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // A page answered with an error status on purpose (e.g. 401 after a wrong code) is
    // logged by Chromium too; the test checks that status itself. Subresources still count.
    const text = message.text();
    if (text.startsWith('Failed to load resource') && message.location().url === page.url()) return;
    problems.push(`console: ${text} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { context, page, problems };
}

let screenshotCounter = 0;

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const file = `${resultsDir}/${String(++screenshotCounter).padStart(2, '0')}-${name}-${width}.png`;
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The checks every page passes, at the desktop and the phone width: no serious
 * or critical axe violation, no CSP refusal or script error, no sideways scroll
 * on a phone. Leaves the page at the desktop width.
 */
export async function checkPage(checked: CheckedPage, name: string): Promise<void> {
  const { page, problems } = checked;
  for (const width of [widths.desktop, widths.phone]) {
    await page.setViewportSize({ width, height: 900 });
    await screenshot(page, name);
    const violations = await runAxe(page);
    const minor = violations.filter((v) => !failingImpacts.has(v.impact ?? ''));
    if (minor.length > 0) console.warn(`${name} @${width}px minor axe findings:`, minor);
    expect(
      violations.filter((v) => failingImpacts.has(v.impact ?? '')),
      `${name} @${width}px`,
    ).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} @${width}px scrolls sideways`).toBeLessThanOrEqual(0);
  }
  expect(problems, `${name}: console errors or CSP refusals`).toEqual([]);
  await page.setViewportSize({ width: widths.desktop, height: 900 });
}

/** Navigates and requires an HTML answer with the given status (default 200). */
export async function visit(checked: CheckedPage, url: string, status = 200): Promise<void> {
  const response = await checked.page.goto(url);
  expect(response?.status(), url).toBe(status);
  expect(response?.headers()['content-type'], url).toMatch(/^text\/html/);
}

export interface BrowserSuite {
  readonly browser: Browser;
  readonly zones: Readonly<Partial<Record<ZoneName, ServedZone>>>;
  /** The page of the running test, screenshotted if the test fails. */
  current?: CheckedPage;
}

/**
 * Hooks for one test file: one browser, the given zones started once (PGlite
 * starts cost seconds), a screenshot of the current page when a test fails,
 * and everything closed at the end.
 */
export function useBrowserSuite(
  zoneNames: readonly ZoneName[],
  options: Partial<Record<ZoneName, Parameters<typeof startZone>[1]>> = {},
): BrowserSuite {
  const suite = { zones: {} } as {
    browser: Browser;
    zones: Partial<Record<ZoneName, ServedZone>>;
    current?: CheckedPage;
  };
  beforeAll(async () => {
    suite.browser = await launchBrowser();
    for (const name of zoneNames) suite.zones[name] = await startZone(zoneDefinitions[name], options[name]);
  });
  afterEach(async (context) => {
    const current = suite.current;
    suite.current = undefined;
    if (!current) return;
    if (context.task.result?.state === 'fail') {
      await screenshot(
        current.page,
        `FAILED-${context.task.name.replace(/[^\w-]+/g, '_').slice(0, 60)}`,
      ).catch(() => undefined);
    }
    await current.context.close();
  });
  afterAll(async () => {
    await suite.browser?.close();
    for (const served of Object.values(suite.zones)) await served?.zone.close();
  });
  return suite;
}

/** The page's <h1> text, once the current navigation has loaded. */
export async function heading(page: Page): Promise<string> {
  await page.waitForLoadState('load');
  return (await page.locator('h1').textContent())?.trim() ?? '';
}

/** Clicks something that navigates and waits for the new page to load. */
export async function follow(page: Page, target: ReturnType<Page['locator']>): Promise<void> {
  const before = page.url();
  await target.click();
  await page.waitForURL((url) => url.toString() !== before);
  await page.waitForLoadState('load');
}

/** Whether the element has keyboard focus. */
export function isFocused(target: ReturnType<Page['locator']>): Promise<boolean> {
  return target.evaluate((el) => el === document.activeElement);
}
