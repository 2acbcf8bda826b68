import type { Kysely } from 'kysely';
import { addDays, type Clock, type HttpApp, pickLang, t, toIsoDate } from '../../../core/index.ts';
import { requireRole, staffScope } from '../../identity/index.ts';
import { sendStaffPointsPage } from '../admin/staff-page.ts';
import { dashboardBody, dashboardWords } from './dashboard-page.ts';
import { type FiguresDb, storedPointsFigures } from './figures-store.ts';

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
      const today = toIsoDate(context.clock.now());
      const scope = staffScope(request);
      const figures = await storedPointsFigures(context.db as FiguresDb, scope, addDays(today, -29));
      return sendStaffPointsPage(request, reply, {
        title: t(lang, dashboardWords.title),
        body: dashboardBody(lang, figures, today),
      });
    },
  );
}
