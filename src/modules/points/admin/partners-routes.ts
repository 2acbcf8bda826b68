import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import {
  fill,
  type HttpApp,
  MachiError,
  pickLang,
  type TenantScope,
  t,
  toIsoDate,
} from '../../../core/index.ts';
import { currentStaff, requireRole, staffScope } from '../../identity/index.ts';
import type { PointsAdminContext } from './admin-routes.ts';
import { typedFields } from './form-fields.ts';
import { invoicesCsv } from './invoices-csv.ts';
import { type InvoicesAdminDb, monthInvoices, recordInvoiceRequest } from './invoices-store.ts';
import { InvoicesForm, PartnerForm, partnerOfForm, partnerRefusal } from './partners-form.ts';
import { type PartnersView, partnersBody, partnerWords } from './partners-pages.ts';
import { type AdminPartner, adminPartners, type PartnersAdminDb, savePartner } from './partners-store.ts';
import { sendStaffPointsPage } from './staff-page.ts';

/** How lgwan sends partners and invoice requests to the internet zone: into its outbox, in the caller's transaction. */
export interface PointsPartnersPublish {
  // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
  partner(trx: Kysely<any>, scope: TenantScope, partner: AdminPartner): Promise<unknown>;
  invoiceRequest(
    // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
    trx: Kysely<any>,
    scope: TenantScope,
    request: { requestId: string; month: string },
  ): Promise<unknown>;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MonthQuery = Type.Object({ month: Type.Optional(Type.String({ maxLength: 20 })) });

/** The month before this one (Japan time): the last whole month, the usual one to invoice. */
function lastMonth(now: Date): string {
  const [year, month] = toIsoDate(now).split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/**
 * Partner companies for points staff in lgwan (role points-admin): registered here, checked as
 * the internet zone will check them (a key that is not Ed25519 never leaves), sent through the
 * outbox with an audit entry; and each month's invoices, asked of the internet zone, which
 * counts the exchanges and answers (kept here, shown and downloadable as CSV).
 */
export function registerPointsPartnersPages(
  app: HttpApp,
  context: PointsAdminContext,
  publish: PointsPartnersPublish,
) {
  const partnersDb = context.db as PartnersAdminDb;
  const invoicesDb = context.db as InvoicesAdminDb;
  const admin = { preValidation: requireRole('points-admin') };

  async function partnersPage(
    request: FastifyRequest,
    reply: FastifyReply,
    month: string,
    extra: Pick<PartnersView, 'done' | 'error' | 'typed'> = {},
  ) {
    const lang = pickLang(request);
    const scope = staffScope(request);
    const body = partnersBody(lang, {
      csrfToken: currentStaff(request).csrfToken,
      partners: await adminPartners(partnersDb, scope),
      invoices: await monthInvoices(invoicesDb, scope, month),
      ...extra,
    });
    return sendStaffPointsPage(request, reply, {
      title: t(lang, partnerWords.title),
      body,
      ...(extra.error ? { status: 422, error: true } : {}),
    });
  }

  app.get('/points/admin/partners', { ...admin, schema: { querystring: MonthQuery } }, (request, reply) => {
    const asked = request.query.month ?? '';
    return partnersPage(request, reply, MONTH.test(asked) ? asked : lastMonth(context.clock.now()));
  });

  app.post('/points/admin/partners', { ...admin, schema: { body: PartnerForm } }, async (request, reply) => {
    const lang = pickLang(request);
    const form = request.body;
    const scope = staffScope(request);
    const staff = currentStaff(request);
    const month = lastMonth(context.clock.now());
    let saved: AdminPartner;
    try {
      const stored = (await adminPartners(partnersDb, scope)).find(
        (one) => one.partnerId === (form.partnerId ?? '').trim(),
      );
      const partner = partnerOfForm(form, stored?.publicKeyPem);
      saved = await context.db.transaction().execute(async (trx) => {
        const now = context.clock.now();
        const kept = await savePartner(trx as PartnersAdminDb, scope, partner, staff.staffId, now);
        await publish.partner(trx, scope, kept);
        await context.audit.append(trx, {
          municipalityCode: scope.municipalityCode,
          actor: `staff:${staff.staffId}`,
          action: 'points.partner.register',
          target: kept.partnerId,
          outcome: 'success',
          details: { revision: kept.revision, active: kept.active },
        });
        return kept;
      });
    } catch (error) {
      const refusal = partnerRefusal(error);
      return partnersPage(request, reply, month, {
        error: { form: 'partner', field: refusal.field, message: t(lang, refusal.message) },
        typed: typedFields(form),
      });
    }
    return partnersPage(request, reply, month, {
      done: fill(t(lang, partnerWords.saved), { name: saved.name }),
    });
  });

  app.post(
    '/points/admin/partners/invoices',
    { ...admin, schema: { body: InvoicesForm } },
    async (request, reply) => {
      const lang = pickLang(request);
      const scope = staffScope(request);
      const staff = currentStaff(request);
      const now = context.clock.now();
      const month = (request.body.month ?? '').trim();
      // A month not yet begun has nothing to invoice; the current one may be asked for a running count.
      if (!MONTH.test(month) || month > toIsoDate(now).slice(0, 7)) {
        return partnersPage(request, reply, lastMonth(now), {
          error: {
            form: 'invoices',
            field: 'month',
            message: t(lang, {
              ja: '対象月を、今月以前の年月（例：2026-10）で入力してください。',
              en: 'Enter the month as YYYY-MM, this month or earlier (e.g. 2026-10).',
            }),
          },
          typed: typedFields(request.body),
        });
      }
      const requestId = randomUUID();
      await context.db.transaction().execute(async (trx) => {
        await recordInvoiceRequest(trx as InvoicesAdminDb, scope, { requestId, month }, staff.staffId, now);
        await publish.invoiceRequest(trx, scope, { requestId, month });
        await context.audit.append(trx, {
          municipalityCode: scope.municipalityCode,
          actor: `staff:${staff.staffId}`,
          action: 'points.partner-invoices.request',
          target: month,
          outcome: 'success',
          details: { requestId },
        });
      });
      return partnersPage(request, reply, month, { done: fill(t(lang, partnerWords.asked), { month }) });
    },
  );

  app.get(
    '/points/admin/partners/invoices.csv',
    { ...admin, schema: { querystring: MonthQuery } },
    async (request, reply) => {
      const scope = staffScope(request);
      const month = request.query.month ?? '';
      if (!MONTH.test(month)) throw new MachiError('validation-failed', 'month is YYYY-MM.');
      const { answer } = await monthInvoices(invoicesDb, scope, month);
      if (!answer) throw new MachiError('not-found', 'No invoices have arrived for that month.');
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="partner-invoices-${scope.municipalityCode}-${month}.csv"`,
        )
        .send(invoicesCsv(month, answer.invoices));
    },
  );
}
