import { type Lang, page, residentNav, type SafeHtml, t } from '../../../core/index.ts';

export { csrfField, doneNotice, errorSummary, type SummaryItem } from '../../../core/index.ts';

import { portal, portalZoneLabel } from './texts.ts';

/** A resident portal page in the shell every page uses, with the portal's navigation. */
export function residentPage(lang: Lang, view: { title: string; body: SafeHtml; path: string }): SafeHtml {
  return page({
    lang,
    title: view.title,
    zoneLabel: t(lang, portalZoneLabel),
    body: view.body,
    nav: residentNav(lang),
    path: view.path,
  });
}

/** Yen with thousands separators, in the page's words. */
export function yen(lang: Lang, amount: number): string {
  return t(lang, portal.yen).replace('{n}', amount.toLocaleString('ja-JP'));
}
