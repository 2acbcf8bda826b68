import { html, type Lang, type SafeHtml, type Text } from '../../core/index.ts';

export interface Feature {
  readonly title: Text;
  readonly description: Text;
  /** Where the feature lives; shown as a link only once a module mounts that route. */
  readonly href: string;
}

/** Answers whether some module has mounted GET <path> in this zone (checked per request, after startup). */
export type RouteProbe = (path: string) => boolean;

/**
 * Cards for what the zone offers. A feature whose route is not mounted yet is
 * marked 準備中 rather than linked, so the page never leads to a 404.
 */
export function featureCards(lang: Lang, features: readonly Feature[], mounted: RouteProbe): SafeHtml {
  const soon = lang === 'ja' ? '準備中' : 'Coming soon';
  return html`<ul class="card-list">${features.map((feature) => {
    const title = feature.title[lang];
    const heading = mounted(feature.href)
      ? html`<a href="${feature.href}">${title}</a>`
      : html`${title} <span class="badge badge--soon">${soon}</span>`;
    return html`<li class="card"><h3>${heading}</h3><p>${feature.description[lang]}</p></li>`;
  })}</ul>`;
}
