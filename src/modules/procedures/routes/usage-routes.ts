import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  fiscalYearOf,
  type HttpApp,
  MachiError,
  pickLang,
  spreadsheetCsv,
  type TenantScope,
} from '../../../core/index.ts';
import { currentStaff, requireRole, requireTenant, staffScope } from '../../identity/index.ts';
import type { CaseContext } from '../cases/staff-steps.ts';
import { onlineUsage, setPaperCount } from '../usage/online-usage.ts';
import { usageBody } from '../usage/usage-page.ts';
import { caseRenderer } from './case-page-render.ts';

const FiscalYear = Type.Integer({ minimum: 2000, maximum: 2200 });
const YearQuery = Type.Object(
  { fiscalYear: Type.Optional(FiscalYear), lang: Type.Optional(Type.String({ maxLength: 5 })) },
  { additionalProperties: false },
);
const LgCodeParams = Type.Object({ lgCode: Type.String({ maxLength: 20 }) });
const PaperBody = Type.Object(
  {
    procedureId: Type.String({ pattern: '^[a-z0-9-]+$', maxLength: 80 }),
    fiscalYear: FiscalYear,
    filings: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    _csrf: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
const enterers = requireRole('case-worker', 'admin');

/**
 * オンライン利用率 (lgwan): per procedure and fiscal year, online filings counted from the
 * cases and paper ones entered by staff; as JSON, as CSV for Excel, and as a page with a chart.
 */
export function registerUsageRoutes(app: HttpApp, context: CaseContext): void {
  const now = () => context.clock.now();
  const usage = (scope: TenantScope, fiscalYear: number | undefined) =>
    onlineUsage(context.database.db, scope, context.catalogue, fiscalYear ?? fiscalYearOf(now()));
  const base = '/api/v1/municipalities/:lgCode/statistics/procedures';

  app.get(
    base,
    { preValidation: requireRole(), schema: { params: LgCodeParams, querystring: YearQuery } },
    async (request) => {
      const scope = requireTenant(request, request.params.lgCode);
      const fiscalYear = request.query.fiscalYear ?? fiscalYearOf(now());
      return { fiscalYear, procedures: await usage(scope, fiscalYear) };
    },
  );

  app.get(
    `${base}.csv`,
    { preValidation: requireRole(), schema: { params: LgCodeParams, querystring: YearQuery } },
    async (request, reply) => {
      const scope = requireTenant(request, request.params.lgCode);
      const fiscalYear = request.query.fiscalYear ?? fiscalYearOf(now());
      const rows = await usage(scope, fiscalYear);
      const csv = spreadsheetCsv(
        ['年度', '手続ID', '手続', 'オンライン', '紙', 'オンライン利用率'],
        rows.map((row) => [
          fiscalYear,
          row.procedureId,
          row.name.ja,
          row.online,
          row.paper,
          row.rate === null ? null : Number(row.rate.toFixed(4)),
        ]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="online-usage-${scope.municipalityCode}-${fiscalYear}.csv"`,
        )
        .send(csv);
    },
  );

  const enter = async (
    request: FastifyRequest,
    scope: TenantScope,
    body: { procedureId: string; fiscalYear: number; filings: number },
  ) => {
    if (!context.catalogue.has(body.procedureId))
      throw new MachiError('not-found', 'No such procedure in the catalogue.');
    const staff = currentStaff(request);
    await context.database.db.transaction().execute(async (trx) => {
      await setPaperCount(trx, scope, { ...body, by: `staff:${staff.staffId}` }, now());
      await context.audit.append(trx, {
        municipalityCode: scope.municipalityCode,
        actor: `staff:${staff.staffId}`,
        action: 'procedures.usage.paper-count',
        target: body.procedureId,
        outcome: 'success',
        details: { fiscalYear: body.fiscalYear, filings: body.filings },
      });
    });
  };

  app.put(
    `${base}/:procedureId/paper`,
    {
      preValidation: enterers,
      schema: {
        params: Type.Object({
          ...LgCodeParams.properties,
          procedureId: Type.String({ pattern: '^[a-z0-9-]+$', maxLength: 80 }),
        }),
        body: Type.Omit(PaperBody, ['procedureId']),
      },
    },
    async (request) => {
      const scope = requireTenant(request, request.params.lgCode);
      const body = { ...request.body, procedureId: request.params.procedureId };
      await enter(request, scope, body);
      return { procedureId: body.procedureId, fiscalYear: body.fiscalYear, filings: body.filings };
    },
  );

  const renderer = caseRenderer(context);
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    fiscalYear: number,
    state: { notice?: string; error?: string },
    status = 200,
  ) => {
    const lang = pickLang(request);
    const staff = currentStaff(request);
    const rows = await usage(staffScope(request), fiscalYear);
    return renderer.send(request, reply, {
      title: lang === 'ja' ? 'オンライン利用率' : 'Online usage rate',
      body: usageBody(lang, {
        fiscalYear,
        rows,
        csrfToken: staff.csrfToken,
        canEnter: staff.roles.includes('case-worker') || staff.roles.includes('admin'),
        lgCode: staff.municipalityCode,
        ...state,
      }),
      path: '/statistics/procedures',
      status,
    });
  };

  app.get(
    '/statistics/procedures',
    { preValidation: requireRole(), schema: { querystring: YearQuery } },
    async (request, reply) => show(request, reply, request.query.fiscalYear ?? fiscalYearOf(now()), {}),
  );

  app.post(
    '/statistics/procedures/paper',
    { preValidation: enterers, schema: { body: PaperBody } },
    async (request, reply) => {
      await enter(request, staffScope(request), request.body);
      const lang = pickLang(request);
      return show(request, reply, request.body.fiscalYear, {
        notice: lang === 'ja' ? '紙の件数を保存しました。' : 'Saved the paper count.',
      });
    },
  );
}
