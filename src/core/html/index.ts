export { csrfField, doneNotice, errorSummary, fieldError, type SummaryItem } from './forms.ts';
export { escapeHtml, html, SafeHtml, unsafeRaw } from './html.ts';
export { fill, type Lang, pickLang, type Text, t } from './lang.ts';
export { languageSwitchHref, type NavLink, type PageOptions, page } from './layout.ts';
export { residentNav } from './resident-nav.ts';
