import { Type } from 'typebox';
import { type HttpApp, type Lang, pickLang, t } from '../../../core/index.ts';
import { currentStaff, staffScope } from '../../identity/index.ts';
import { listCases } from '../cases/case-queue.ts';
import { type CaseStatus, caseStatuses } from '../cases/case-status.ts';
import type { CaseContext } from '../cases/staff-steps.ts';
import { type QueueForm, type QueuePage, queueBody } from '../pages/queue-page.ts';
import { doneMessages, isDoneKey, labels } from '../pages/texts.ts';
import { CaseParams, caseRenderer, langQuery, worker } from './case-page-render.ts';
import { registerCaseStepPages } from './case-step-pages.ts';

const PAGE_SIZE = 100;

function isQueueStatus(value: string): value is CaseStatus | 'open' | 'all' {
  return value === 'open' || value === 'all' || (caseStatuses as readonly string[]).includes(value);
}

function queueParams(form: QueueForm, offset: number, lang: Lang): URLSearchParams {
  const params = new URLSearchParams();
  if (form.procedureId) params.set('procedureId', form.procedureId);
  params.set('status', form.status);
  if (form.mine) params.set('mine', '1');
  if (offset > 0) params.set('offset', String(offset));
  if (lang === 'en') params.set('lang', 'en');
  return params;
}

/**
 * The back office's pages for online-procedure cases (lgwan zone, case workers): the queue,
 * one case, and the clerk's steps on it as forms (case-step-pages.ts). Needs the identity
 * module registered first; attachment downloads and the CSV are the JSON API's
 * (registerCaseRoutes), which the pages link to.
 */
export function registerCasePages(app: HttpApp, context: CaseContext): void {
  const render = caseRenderer(context);
  const procedures = [...context.catalogue.values()].map((p) => p.definition);

  app.get(
    '/cases',
    {
      preValidation: worker,
      schema: {
        querystring: Type.Object({
          procedureId: Type.Optional(Type.String({ maxLength: 80 })),
          status: Type.Optional(Type.String({ maxLength: 40 })),
          mine: Type.Optional(Type.String({ maxLength: 5 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
          ...langQuery,
        }),
      },
    },
    async (request, reply) => {
      const lang = pickLang(request);
      const staff = currentStaff(request);
      const scope = staffScope(request);
      const query = request.query;
      // A hand-made URL with an unknown filter: said on the page, and the filter left out.
      let error: QueuePage['error'];
      let procedureId = query.procedureId || undefined;
      if (procedureId && !context.catalogue.has(procedureId)) {
        const message =
          lang === 'ja' ? 'その手続は手続一覧にありません。' : 'No such procedure in the catalogue.';
        error = { field: 'procedureId', message };
        procedureId = undefined;
      }
      let status: QueueForm['status'] = 'open';
      if (query.status && isQueueStatus(query.status)) status = query.status;
      else if (query.status) {
        error = {
          field: 'status',
          message: lang === 'ja' ? '状態を選び直してください。' : 'Choose a status.',
        };
      }
      const form: QueueForm = { procedureId, status, mine: query.mine === '1' };
      const offset = query.offset ?? 0;
      const { cases, total } = await listCases(
        context.database.db,
        scope,
        context.catalogue,
        {
          procedureId,
          status: status === 'all' ? undefined : status,
          assignedTo: form.mine ? staff.staffId : undefined,
          limit: PAGE_SIZE,
          offset,
        },
        context.clock.now(),
      );
      const directory = await render.staffDirectory(scope);
      const href = (at: number) => `/cases?${queueParams(form, at, lang)}`;
      // The same cases as CSV, from the JSON API (UTF-8 with BOM, for Excel).
      const csv = new URLSearchParams();
      if (procedureId) csv.set('procedureId', procedureId);
      if (status !== 'all') csv.set('status', status);
      if (form.mine) csv.set('assignedTo', staff.staffId);
      const body = queueBody(lang, {
        form,
        procedures,
        cases,
        total,
        offset,
        staffNames: directory.names,
        me: staff.staffId,
        csvHref: `/api/v1/municipalities/${scope.municipalityCode}/cases.csv${csv.size > 0 ? `?${csv}` : ''}`,
        previousHref: offset > 0 ? href(Math.max(0, offset - PAGE_SIZE)) : undefined,
        nextHref: offset + cases.length < total ? href(offset + PAGE_SIZE) : undefined,
        error,
      });
      return render.send(request, reply, {
        title: t(lang, labels.queue),
        body,
        path: request.url,
        status: error ? 400 : 200,
      });
    },
  );

  app.get(
    '/cases/:receiptNumber',
    {
      preValidation: worker,
      schema: {
        params: CaseParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })), ...langQuery }),
      },
    },
    async (request, reply) => {
      const { done } = request.query;
      const notice = isDoneKey(done) ? t(pickLang(request), doneMessages[done]) : undefined;
      return render.showCase(request, reply, request.params.receiptNumber, { notice });
    },
  );

  registerCaseStepPages(app, context, render);
}
