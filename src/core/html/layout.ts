import { html, type SafeHtml } from './html.ts';
import type { Lang } from './lang.ts';

export interface NavLink {
  readonly href: string;
  readonly label: string;
}

export interface PageOptions {
  readonly lang: Lang;
  /** Shown in <title> and as the page's <h1>. */
  readonly title: string;
  /** Zone label for the header, e.g. 個人番号利用事務系. */
  readonly zoneLabel: string;
  readonly body: SafeHtml;
  readonly nav?: readonly NavLink[];
  /** Signed-in person's name and municipality, shown in the header with a sign-out button. */
  readonly user?: {
    readonly displayName: string;
    readonly municipalityName: string;
    readonly csrfToken: string;
  };
  /** Path of this page (with its query, if any), used to build the language switch link. */
  readonly path: string;
}

/**
 * The link to this same page in the other language: the path with its query kept
 * and only `lang` replaced, so a search result page stays a search result page.
 */
export function languageSwitchHref(path: string, lang: Lang): string {
  const at = path.indexOf('?');
  const pathname = at === -1 ? path : path.slice(0, at);
  const params = new URLSearchParams(at === -1 ? '' : path.slice(at + 1));
  params.set('lang', lang);
  return `${pathname}?${params.toString()}`;
}

/** A nav link is the current page when its path is this page's path (WAI-ARIA aria-current). */
function isCurrent(href: string, path: string): boolean {
  return href.split('?')[0] === path.split('?')[0];
}

/**
 * The page shell every server-rendered page uses: language attribute, skip link,
 * header with zone and user, navigation, main landmark, footer, and the styles
 * built on the Digital Agency design tokens (/assets/machi.css, served by src/web).
 * No inline script or style (see the CSP in core/http/security-headers.ts).
 */
export function page(options: PageOptions): SafeHtml {
  const { lang, title, zoneLabel, body, nav = [], user, path } = options;
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  const ja = lang === 'ja';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | Machi</title>
<link rel="stylesheet" href="/assets/machi.css">
<link rel="icon" href="data:,">
</head>
<body>
<a class="skip-link" href="#main">${ja ? '本文へ移動' : 'Skip to main content'}</a>
<header class="site-header">
  <div class="site-header__inner">
    <div class="site-header__brand"><a class="site-header__name" href="/">Machi</a> <span class="site-header__zone">${zoneLabel}</span></div>
    <div class="site-header__tools">
      <a href="${languageSwitchHref(path, other)}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : '日本語'}</a>
      ${
        user
          ? html`<span class="site-header__user">${user.displayName}（${user.municipalityName}）</span>
      <form method="post" action="/staff/sign-out" class="inline-form"><input type="hidden" name="_csrf" value="${user.csrfToken}"><button type="submit" class="button--secondary">${ja ? 'サインアウト' : 'Sign out'}</button></form>`
          : ''
      }
    </div>
  </div>
</header>
${
  nav.length > 0
    ? html`<nav class="site-nav-bar" aria-label="${ja ? 'メインメニュー' : 'Main menu'}"><ul class="site-nav">${nav.map(
        (link) =>
          html`<li><a href="${link.href}"${isCurrent(link.href, path) ? html` aria-current="page"` : ''}>${link.label}</a></li>`,
      )}</ul></nav>`
    : ''
}
<main id="main" class="site-main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
<footer class="site-footer">
  <div class="site-footer__inner"><p>Machi — ${ja ? 'オープンな自治体クラウド' : 'an open municipal cloud'} · ${zoneLabel}</p></div>
</footer>
</body>
</html>`;
}
