import type { Kysely } from 'kysely';
import {
  addDays,
  type Clock,
  findMunicipality,
  type HttpApp,
  page,
  pickLang,
  t,
  toIsoDate,
} from '../../../core/index.ts';
import { currentStaff, requireRole, staffScope } from '../../identity/index.ts';
import { dashboardBody, dashboardWords } from './dashboard-page.ts';
import { type FiguresDb, storedPointsFigures } from './figures-store.ts';

const lgwanZone = { ja: 'LGWAN接続系', en: 'LGWAN zone' };

/**
 * /points/admin (lgwan zone): the municipality's points at a glance for its points staff and
 * auditors — outstanding balance, the last 30 days issued, spent, refunded, expired and donated,
 * as a chart and a table — from the figures the internet zone sends (aggregates only).
 */
export function registerPointsDashboardPages(
  app: HttpApp,
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  context: { readonly db: Kysely<any>; readonly clock: Clock },
): void {
  app.get(
    '/points/admin',
    { preValidation: requireRole('points-admin', 'auditor') },
    async (request, reply) => {
      const lang = pickLang(request);
      const staff = currentStaff(request);
      const today = toIsoDate(context.clock.now());
      const figures = await storedPointsFigures(
        context.db as FiguresDb,
        staffScope(request),
        addDays(today, -29),
      );
      const municipality = findMunicipality(staff.municipalityCode);
      const markup = page({
        lang,
        title: t(lang, dashboardWords.title),
        zoneLabel: t(lang, lgwanZone),
        body: dashboardBody(lang, figures, today),
        nav: [
          { href: '/', label: lang === 'ja' ? 'ホーム' : 'Home' },
          { href: '/points/admin', label: t(lang, dashboardWords.title) },
        ],
        user: {
          displayName: staff.displayName,
          municipalityName: lang === 'en' ? (municipality.nameEn ?? municipality.name) : municipality.name,
          csrfToken: staff.csrfToken,
        },
        path: request.url,
      });
      return reply.type('text/html; charset=utf-8').send(markup.toString());
    },
  );
}
