import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  findMunicipality,
  isMachiError,
  page,
  pickLang,
  type SafeHtml,
  type TenantScope,
  t,
} from '../../../core/index.ts';
import { currentStaff, type IdentityDb, listStaff, requireRole, staffScope } from '../../identity/index.ts';
import { type CaseView, readCase } from '../cases/case-view.ts';
import type { CaseContext } from '../cases/staff-steps.ts';
import { type CasePage, caseBody, caseNotFoundBody } from '../pages/case-page.ts';
import { labels, lgwanZoneLabel } from '../pages/texts.ts';

export const worker = requireRole('case-worker');
export const RECEIPT = /^[0-9]{6}-[0-9]{8}-[A-HJ-NP-Z2-9]{6}$/;
export const langQuery = { lang: Type.Optional(Type.String({ maxLength: 5 })) };
// Checked against RECEIPT in the handler: a malformed number is a page saying so, not JSON.
export const CaseParams = Type.Object({ receiptNumber: Type.String({ maxLength: 40 }) });

export type CaseState = Pick<CasePage, 'notice' | 'errors' | 'values' | 'fieldErrors'>;

export interface CaseRenderer {
  send(
    request: FastifyRequest,
    reply: FastifyReply,
    view: { title: string; body: SafeHtml; path: string; status?: number },
  ): FastifyReply;
  notFound(request: FastifyRequest, reply: FastifyReply, receiptNumber: string): FastifyReply;
  /** The case page, read afresh; the read is audited, as the page shows personal data. */
  showCase(
    request: FastifyRequest,
    reply: FastifyReply,
    receiptNumber: string,
    state: CaseState,
    status?: number,
  ): Promise<FastifyReply>;
  staffDirectory(scope: TenantScope): Promise<{
    names: Map<string, string>;
    caseWorkers: { staffId: string; displayName: string }[];
  }>;
}

/** How the case pages are put in the page shell: the staff nav, the signed-in clerk, the zone. */
export function caseRenderer(context: CaseContext): CaseRenderer {
  const renderer: CaseRenderer = {
    async staffDirectory(scope) {
      const staff = await listStaff(context.database.db as IdentityDb, scope);
      return {
        names: new Map(staff.map((s) => [s.staffId, s.displayName])),
        caseWorkers: staff.filter((s) => !s.disabled && s.roles.includes('case-worker')),
      };
    },

    send(request, reply, view) {
      const lang = pickLang(request);
      const staff = currentStaff(request);
      const municipality = findMunicipality(staff.municipalityCode);
      const markup = page({
        lang,
        title: view.title,
        zoneLabel: t(lang, lgwanZoneLabel),
        body: view.body,
        nav: [
          { href: '/', label: t(lang, labels.home) },
          { href: '/cases', label: t(lang, labels.queue) },
        ],
        user: {
          displayName: staff.displayName,
          municipalityName: lang === 'en' ? (municipality.nameEn ?? municipality.name) : municipality.name,
          csrfToken: staff.csrfToken,
        },
        path: view.path,
      });
      return reply
        .status(view.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(markup.toString());
    },

    notFound(request, reply, receiptNumber) {
      const lang = pickLang(request);
      return renderer.send(request, reply, {
        title: t(lang, labels.notFound),
        body: caseNotFoundBody(lang),
        path: `/cases/${encodeURIComponent(receiptNumber)}`,
        status: 404,
      });
    },

    async showCase(request, reply, receiptNumber, state, status = 200) {
      const lang = pickLang(request);
      if (!RECEIPT.test(receiptNumber)) return renderer.notFound(request, reply, receiptNumber);
      const scope = staffScope(request);
      const staff = currentStaff(request);
      let view: CaseView;
      try {
        view = await readCase(
          context.database.db,
          scope,
          context.catalogue,
          receiptNumber,
          context.clock.now(),
        );
      } catch (error) {
        // Another municipality's case is not found here, like an unknown one.
        if (isMachiError(error) && error.code === 'not-found') {
          return renderer.notFound(request, reply, receiptNumber);
        }
        throw error;
      }
      await context.audit.record({
        municipalityCode: scope.municipalityCode,
        actor: `staff:${staff.staffId}`,
        action: 'procedures.case.read',
        target: view.receiptNumber,
        outcome: 'success',
      });
      const directory = await renderer.staffDirectory(scope);
      const body = caseBody(lang, {
        ...state,
        view,
        schema: context.catalogue.get(view.procedureId)?.definition.schema,
        lgCode: scope.municipalityCode,
        staffNames: directory.names,
        caseWorkers: directory.caseWorkers,
        me: staff.staffId,
        csrfToken: staff.csrfToken,
      });
      return renderer.send(request, reply, {
        title: `${t(lang, labels.caseTitle)} ${view.receiptNumber}`,
        body,
        path: `/cases/${view.receiptNumber}`,
        status,
      });
    },
  };
  return renderer;
}
