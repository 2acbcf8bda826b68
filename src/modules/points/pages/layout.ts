import { type Lang, page, residentNav, type SafeHtml, t } from '../../../core/index.ts';
import { words } from './texts.ts';

/** A resident's points page in the portal's shell and menu; `error` starts the title with エラー： (read first by screen readers). */
export function pointsPage(
  lang: Lang,
  view: { title: string; body: SafeHtml; path: string; error?: boolean },
): SafeHtml {
  return page({
    lang,
    title: view.error ? `${t(lang, words.errorPrefix)}${view.title}` : view.title,
    zoneLabel: t(lang, words.zone),
    body: view.body,
    nav: residentNav(lang),
    path: view.path,
  });
}

/** Points with thousands separators: 「1,234 pt」. */
export function pt(lang: Lang, points: number): string {
  return t(lang, words.pointsUnit).replace('{n}', points.toLocaleString('ja-JP'));
}
