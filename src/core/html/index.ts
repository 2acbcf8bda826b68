export { escapeHtml, html, SafeHtml, unsafeRaw } from './html.ts';
export { type Lang, pickLang, type Text, t } from './lang.ts';
export { languageSwitchHref, type NavLink, type PageOptions, page } from './layout.ts';
