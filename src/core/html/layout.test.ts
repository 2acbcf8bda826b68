import { describe, expect, it } from 'vitest';
import { html } from './html.ts';
import { languageSwitchHref, page } from './layout.ts';

describe('languageSwitchHref', () => {
  it.each([
    ['/', 'en', '/?lang=en'],
    ['/registry?q=%E3%82%84%E3%81%BE%E3%81%A0', 'en', '/registry?q=%E3%82%84%E3%81%BE%E3%81%A0&lang=en'],
    ['/registry?lang=en&q=a', 'ja', '/registry?lang=ja&q=a'],
    ['/registry?lang=en&lang=en', 'ja', '/registry?lang=ja'],
  ] as const)('%s → %s', (path, lang, expected) => {
    expect(languageSwitchHref(path, lang)).toBe(expected);
  });
});

describe('page', () => {
  const base = {
    lang: 'ja',
    title: '住民検索',
    zoneLabel: '個人番号利用事務系',
    body: html`<p>本文</p>`,
  } as const;

  it('renders landmarks, the skip link and the stylesheet, with no inline style or script', () => {
    const out = page({ ...base, path: '/registry' }).toString();
    expect(out).toContain('<html lang="ja">');
    expect(out).toContain('<a class="skip-link" href="#main">本文へ移動</a>');
    expect(out).toContain('<main id="main" class="site-main" tabindex="-1">\n<h1>住民検索</h1>');
    expect(out).toContain('<link rel="stylesheet" href="/assets/machi.css">');
    expect(out).toContain('<footer class="site-footer">');
    expect(out).not.toMatch(/<script|style=/);
    expect(out).not.toContain('<nav'); // no empty navigation landmark
  });

  it('marks the current nav link and escapes labels and the path', () => {
    const out = page({
      ...base,
      nav: [
        { href: '/', label: 'ホーム' },
        { href: '/registry', label: '<住民記録>' },
      ],
      path: '/registry?q="><script>',
    }).toString();
    expect(out).toContain('<li><a href="/">ホーム</a></li>');
    expect(out).toContain('<li><a href="/registry" aria-current="page">&lt;住民記録&gt;</a></li>');
    expect(out).not.toContain('"><script>');
  });

  it('shows the signed-in person with a sign-out form carrying the CSRF token', () => {
    const out = page({
      ...base,
      lang: 'en',
      path: '/',
      user: { displayName: '山田 花子', municipalityName: '千代田区', csrfToken: 'tok"en' },
    }).toString();
    expect(out).toContain('山田 花子（千代田区）');
    expect(out).toContain('<input type="hidden" name="_csrf" value="tok&quot;en">');
    expect(out).toContain('>Sign out</button>');
  });
});
