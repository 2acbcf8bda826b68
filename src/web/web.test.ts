import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestZone } from '../../test/support/zone.ts';
import { errorCodes, matchesEtag } from '../core/index.ts';
import { internetZone, lgwanZone, mynumberZone, type RunningZone } from '../zones/index.ts';
import { problemDescriptions } from './index.ts';
import { prefersJson } from './negotiate.ts';

describe('web pages on one zone (mynumber)', () => {
  let zone: RunningZone;
  beforeAll(async () => {
    zone = await openTestZone(mynumberZone);
  });
  afterAll(async () => {
    await zone.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    zone.app.inject({ method: 'GET', url, headers });

  it('serves the tokens and our stylesheet as one file, revalidated by ETag', async () => {
    const response = await get('/assets/machi.css');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, no-cache');
    expect(response.body).toContain('--color-primitive-blue-900: #0017c1');
    expect(response.body).toContain('.skip-link:focus');
    // tokens first, so our rules can use the custom properties they define
    expect(response.body.indexOf('--color-primitive-blue-900:')).toBeLessThan(
      response.body.indexOf('.skip-link'),
    );
    const etag = String(response.headers.etag);
    expect(etag).toMatch(/^"[\w-]{27}"$/);

    const again = await get('/assets/machi.css', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const weak = await get('/assets/machi.css', { 'if-none-match': `"other", W/${etag}` });
    expect(weak.statusCode).toBe(304);
    const stale = await get('/assets/machi.css', { 'if-none-match': '"stale"' });
    expect(stale.statusCode).toBe(200);
  });

  it('shows the home page in Japanese by default, with the served municipalities', async () => {
    const response = await get('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).toContain('<html lang="ja">');
    expect(response.body).toContain('<h1>個人番号利用事務系 業務システム</h1>');
    expect(response.body).toContain('<code>131016</code></td><td>千代田区</td>');
    expect(response.body).toContain('<code>011002</code></td><td>札幌市</td>');
    expect(response.body).toContain('href="/?lang=en"');
    expect(response.body).not.toMatch(/<script|style=/);
  });

  it('switches to English with ?lang=en and remembers it in a cookie', async () => {
    const response = await get('/?lang=en');
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toContain('Municipalities served');
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^lang=en; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax$/);

    const next = await get('/problems', { cookie: 'lang=en' });
    expect(next.body).toContain('<html lang="en">');
    expect(next.headers['set-cookie']).toBeUndefined();
    const back = await get('/?lang=ja', { cookie: 'lang=en' });
    expect(back.body).toContain('<html lang="ja">');
    expect(String(back.headers['set-cookie'])).toMatch(/^lang=ja;/);
  });

  it('ignores a lang value that is not ja or en', async () => {
    const response = await get('/?lang=fr');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<html lang="ja">');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('marks features whose module is not mounted as coming soon instead of linking them', async () => {
    const response = await get('/');
    const mountedRegistry = zone.app.hasRoute({ method: 'GET', url: '/registry' });
    expect(response.body.includes('<a href="/registry">')).toBe(mountedRegistry);
    expect(response.body).toContain('<span class="badge badge--soon">準備中</span>');
  });

  it('documents a problem type as HTML, and as JSON when asked', async () => {
    const page = await get('/problems/credentials-invalid');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>ユーザー名、パスワードまたはワンタイムコードが違います</h1>');
    expect(page.body).toContain('<code>/problems/credentials-invalid</code>');
    expect(page.body).toContain('<dd>401</dd>');

    const json = await get('/problems/credentials-invalid', { accept: 'application/json' });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.json()).toEqual({
      type: '/problems/credentials-invalid',
      code: 'credentials-invalid',
      status: 401,
      title: errorCodes['credentials-invalid'].title,
      titleJa: 'ユーザー名、パスワードまたはワンタイムコードが違います',
      action: { ja: expect.any(String), en: expect.any(String) },
    });
  });

  it('resolves the type of a real problem+json answer', async () => {
    const problem = await get('/no/such/page');
    const type = problem.json().type as string;
    const documented = await get(type);
    expect(documented.statusCode).toBe(200);
    expect(documented.body).toContain('<h1>ページまたはデータが見つかりません</h1>');
  });

  it('lists every problem type', async () => {
    const list = await get('/problems', { accept: 'application/json' });
    const codes = (list.json().problems as { code: string }[]).map((p) => p.code);
    expect(codes).toEqual(Object.keys(errorCodes));
    const page = await get('/problems?lang=en');
    for (const code of Object.keys(errorCodes)) expect(page.body).toContain(`href="/problems/${code}"`);
  });

  it('answers an unknown or odd problem code with a 404 problem', async () => {
    for (const code of ['nope', 'toString', '__proto__', 'NOT-FOUND', '%3Cscript%3E', 'x'.repeat(100)]) {
      const response = await get(`/problems/${code}`);
      expect(response.statusCode, code).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().type).toBe('/problems/not-found');
    }
  });
});

describe.each([
  [internetZone, '住民向けポータル', 'マイナンバーカードでサインイン'],
  [lgwanZone, '職員向け業務システム', '電子申請の審査'],
])('$name home page', (definition, title, feature) => {
  let zone: RunningZone;
  beforeAll(async () => {
    zone = await openTestZone(definition, { municipalities: ['472018'] });
  });
  afterAll(async () => {
    await zone.close();
  });

  it('names the zone, its offer and the one municipality served', async () => {
    const response = await zone.app.inject({ method: 'GET', url: '/' });
    expect(response.body).toContain(`<h1>${title}</h1>`);
    expect(response.body).toContain(feature);
    expect(response.body).toContain('那覇市');
    expect(response.body).not.toContain('千代田区');
  });
});

describe('problem descriptions', () => {
  it('describe every code in codes.ts, in both languages', () => {
    for (const code of Object.keys(errorCodes) as (keyof typeof errorCodes)[]) {
      const description = problemDescriptions[code];
      expect(description, `add ${code} to src/web/problems/descriptions.ts`).toBeDefined();
      expect(description?.titleJa).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(description?.action.en.length).toBeGreaterThan(10);
    }
  });
});

describe('prefersJson', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
    ['application/json', true],
    ['application/problem+json', true],
    ['text/html;q=0.5, application/json', true],
    ['application/json;q=0.5, text/html', false],
    ['application/json;q=0', false],
    ['application/json;q=abc', false],
  ])('%s → %s', (accept, expected) => {
    expect(prefersJson(accept)).toBe(expected);
  });
});

describe('matchesEtag', () => {
  it('matches exact, weak, listed and * validators only', () => {
    expect(matchesEtag('"a"', '"a"')).toBe(true);
    expect(matchesEtag('W/"a"', '"a"')).toBe(true);
    expect(matchesEtag('"b", "a"', '"a"')).toBe(true);
    expect(matchesEtag('*', '"a"')).toBe(true);
    expect(matchesEtag('"b"', '"a"')).toBe(false);
    expect(matchesEtag('a', '"a"')).toBe(false);
    expect(matchesEtag(undefined, '"a"')).toBe(false);
  });
});
