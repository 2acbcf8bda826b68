import type { FastifyRequest } from 'fastify';
import { type Static, type TObject, Type } from 'typebox';
import { type HttpApp, MachiError, spreadsheetCsv } from '../../../core/index.ts';
import { currentStaff, requireRole, requireTenant, type StaffPrincipal } from '../../identity/index.ts';
import { receivedFileContent } from '../../sanitize/index.ts';
import { listCases, type QueueEntry } from '../cases/case-queue.ts';
import { caseStatuses } from '../cases/case-status.ts';
import { readCase } from '../cases/case-view.ts';
import {
  assignCase,
  type CaseContext,
  commentOnCase,
  decideCase,
  requestCorrection,
  startReview,
} from '../cases/staff-steps.ts';
import { tokyoDateTime } from '../pages/format.ts';
import { statusLabels } from '../pages/texts.ts';

const worker = requireRole('case-worker');
const CaseParams = Type.Object({
  lgCode: Type.String({ maxLength: 20 }),
  receiptNumber: Type.String({ pattern: '^[0-9]{6}-[0-9]{8}-[A-HJ-NP-Z2-9]{6}$', maxLength: 22 }),
});
const QueueQuery = Type.Object(
  {
    procedureId: Type.Optional(Type.String({ pattern: '^[a-z0-9-]+$', maxLength: 80 })),
    status: Type.Optional(Type.Union([Type.Literal('open'), ...caseStatuses.map((s) => Type.Literal(s))])),
    assignedTo: Type.Optional(Type.String({ format: 'uuid', maxLength: 36 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
const text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 100 })) };

function queueJson(entry: QueueEntry) {
  return { ...entry, submittedAt: entry.submittedAt.toISOString() };
}

/**
 * The back office (lgwan zone, case workers): queues with days left, one case in full, and
 * the steps a clerk takes on it. Needs the identity module registered first.
 */
export function registerCaseRoutes(app: HttpApp, context: CaseContext): void {
  const base = '/api/v1/municipalities/:lgCode/cases';

  /** The case a route names, in the clerk's municipality (404 when there is none). */
  async function openCase(request: FastifyRequest & { readonly params: Static<typeof CaseParams> }) {
    const scope = requireTenant(request, request.params.lgCode);
    const view = await readCase(
      context.database.db,
      scope,
      context.catalogue,
      request.params.receiptNumber,
      context.clock.now(),
    );
    return { scope, view };
  }

  /** Reading a filing is reading personal data: audited, by whom and which case. */
  async function auditRead(
    request: FastifyRequest,
    { scope, view }: Awaited<ReturnType<typeof openCase>>,
    action: 'procedures.case.read' | 'procedures.case.read-attachment',
    details?: Record<string, string>,
  ): Promise<void> {
    await context.audit.record({
      municipalityCode: scope.municipalityCode,
      actor: `staff:${currentStaff(request).staffId}`,
      action,
      target: view.receiptNumber,
      outcome: 'success',
      ...(details ? { details } : {}),
    });
  }

  app.get(
    base,
    {
      preValidation: worker,
      schema: { params: Type.Pick(CaseParams, ['lgCode']), querystring: QueueQuery },
    },
    async (request) => {
      const scope = requireTenant(request, request.params.lgCode);
      const { cases, total } = await listCases(
        context.database.db,
        scope,
        context.catalogue,
        request.query,
        context.clock.now(),
      );
      return { total, cases: cases.map(queueJson) };
    },
  );

  app.get(
    `${base}.csv`,
    {
      preValidation: worker,
      schema: { params: Type.Pick(CaseParams, ['lgCode']), querystring: QueueQuery },
    },
    async (request, reply) => {
      const scope = requireTenant(request, request.params.lgCode);
      const { cases } = await listCases(
        context.database.db,
        scope,
        context.catalogue,
        { ...request.query, limit: 100_000, offset: 0 },
        context.clock.now(),
      );
      const csv = spreadsheetCsv(
        ['受付番号', '手続', '状態', '版', '申請日時', '処理期限', '残り日数', '担当'],
        cases.map((c) => [
          c.receiptNumber,
          c.procedureName.ja,
          statusLabels[c.status].ja,
          c.version,
          tokyoDateTime(c.submittedAt),
          c.dueOn,
          c.daysLeft,
          c.assignedTo,
        ]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="cases-${scope.municipalityCode}.csv"`)
        .send(csv);
    },
  );

  app.get(
    `${base}/:receiptNumber`,
    { preValidation: worker, schema: { params: CaseParams } },
    async (request) => {
      const { scope, view } = await openCase(request);
      await auditRead(request, { scope, view }, 'procedures.case.read');
      return view;
    },
  );

  app.get(
    `${base}/:receiptNumber/attachments/:uploadId`,
    {
      preValidation: worker,
      schema: {
        params: Type.Object({
          ...CaseParams.properties,
          uploadId: Type.String({ format: 'uuid', maxLength: 36 }),
        }),
      },
    },
    async (request, reply) => {
      const { scope, view } = await openCase(request);
      const named = view.versions.some((v) =>
        v.attachments.some((a) => a.uploadId === request.params.uploadId),
      );
      const file = named
        ? await receivedFileContent(context.database.db, context.files, scope, request.params.uploadId)
        : undefined;
      if (!file) throw new MachiError('not-found', 'No such attachment of this case has arrived.');
      await auditRead(request, { scope, view }, 'procedures.case.read-attachment', {
        uploadId: request.params.uploadId,
      });
      return reply
        .type(file.mediaType)
        .header('content-disposition', 'attachment')
        .send(Buffer.from(file.content));
    },
  );

  /** A clerk's step on one case: POST <case>/<path>, CSRF-checked, tenant-checked, body by schema. */
  function step<B extends TObject>(
    path: string,
    body: B,
    act: (staff: StaffPrincipal, receiptNumber: string, body: Static<B>) => Promise<unknown>,
  ) {
    app.post(
      `${base}/:receiptNumber/${path}`,
      { preValidation: worker, schema: { params: CaseParams, body } },
      async (request) => {
        requireTenant(request, request.params.lgCode);
        const result = await act(
          currentStaff(request),
          request.params.receiptNumber,
          request.body as Static<B>,
        );
        return result ?? { done: true };
      },
    );
  }

  step(
    'assignment',
    Type.Object(
      { staffId: Type.Union([Type.String({ format: 'uuid', maxLength: 36 }), Type.Null()]), ...csrf },
      { additionalProperties: false },
    ),
    (staff, receipt, body) => assignCase(context, staff, receipt, body.staffId),
  );
  step(
    'comments',
    Type.Object({ text: text(2000), ...csrf }, { additionalProperties: false }),
    (staff, receipt, body) => commentOnCase(context, staff, receipt, body.text),
  );
  step('review', Type.Object({ ...csrf }, { additionalProperties: false }), (staff, receipt) =>
    startReview(context, staff, receipt),
  );
  step(
    'correction-request',
    Type.Object(
      { message: text(4000), fields: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 100 }), ...csrf },
      { additionalProperties: false },
    ),
    (staff, receipt, body) => requestCorrection(context, staff, receipt, body),
  );
  step(
    'decision',
    Type.Object(
      {
        outcome: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
        reasons: text(4000),
        ...csrf,
      },
      { additionalProperties: false },
    ),
    async (staff, receipt, body) => {
      const notice = await decideCase(context, staff, receipt, body);
      return { noticeId: notice.noticeId, title: notice.title };
    },
  );
}
