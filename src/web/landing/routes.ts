import {
  type HttpApp,
  html,
  type Lang,
  page,
  pickLang,
  type SafeHtml,
  type ZoneContext,
  type ZoneName,
} from '../../core/index.ts';
import { sendPage } from '../send-page.ts';
import { homeNav, zoneLabel } from '../zones.ts';
import type { RouteProbe } from './features.ts';
import { internetLanding } from './internet.ts';
import { lgwanLanding } from './lgwan.ts';
import { servedMunicipalitiesSection } from './municipalities.ts';
import { mynumberLanding } from './mynumber.ts';

const titles: Record<ZoneName, { ja: string; en: string }> = {
  internet: { ja: '住民向けポータル', en: 'Resident portal' },
  lgwan: { ja: '職員向け業務システム', en: 'Staff back office' },
  mynumber: { ja: '個人番号利用事務系 業務システム', en: 'My Number zone back office' },
};

const bodies: Record<ZoneName, (lang: Lang, mounted: RouteProbe) => SafeHtml> = {
  internet: internetLanding,
  lgwan: lgwanLanding,
  mynumber: mynumberLanding,
};

/** GET /: the zone's home page, Japanese first (`?lang=en` for English). */
export function registerLandingPage(app: HttpApp, context: ZoneContext): void {
  const mounted: RouteProbe = (path) => app.hasRoute({ method: 'GET', url: path });
  app.get('/', async (request, reply) => {
    const lang = pickLang(request);
    const ja = lang === 'ja';
    const body = html`${bodies[context.zone](lang, mounted)}
${servedMunicipalitiesSection(lang, context.served.list())}
<section aria-labelledby="about-heading">
<h2 id="about-heading">${ja ? 'このシステムについて' : 'About this system'}</h2>
<p>${
      ja
        ? `Machi は三層の対策に沿って、インターネット接続系・LGWAN接続系・個人番号利用事務系の3つの環境に分かれています。ここは${zoneLabel(context.zone, lang)}です。`
        : `Machi follows the three-layer model: internet, LGWAN and My Number zones run apart. This is the ${zoneLabel(context.zone, lang)}.`
    }</p>
<p><a href="/problems">${ja ? 'エラーの種類と対処方法' : 'Error types and what to do'}</a></p>
</section>`;
    return sendPage(
      reply,
      page({
        lang,
        title: titles[context.zone][lang],
        zoneLabel: zoneLabel(context.zone, lang),
        nav: [homeNav(lang)],
        body,
        path: request.url,
      }),
    );
  });
}
