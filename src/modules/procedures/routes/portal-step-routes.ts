import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type HttpApp, type Lang, pickLang, t } from '../../../core/index.ts';
import type { FieldError } from '../catalogue/form-validator.ts';
import { loadDraft, saveDraft } from '../portal/drafts.ts';
import { afterSteps, flowUrl } from '../portal/flow.ts';
import type { FieldsContext } from '../portal/form-fields.ts';
import { type FormData, type FormNode, nodeAt, topKey } from '../portal/form-schema.ts';
import { collectStep, type FormBody, withoutRow, withStep } from '../portal/form-values.ts';
import { REGISTRY_ACTION, type RegistryStatus } from '../portal/registry-notice.ts';
import { stepBody } from '../portal/step-page.ts';
import { stepProblems } from '../portal/step-problems.ts';
import { FlowParams, FlowQuery, type OpenFlow, openFlowPage, stepIndex } from './portal-flow.ts';
import { registryPrefill, registryWouldFill } from './portal-registry.ts';
import { type PortalContext, type PortalResident, sendPage } from './portal-session.ts';

/** A posted step: its items (names are JSON Pointers), the button pressed, the CSRF token. */
export const StepBody = Type.Record(
  Type.String({ maxLength: 200 }),
  Type.Union([
    Type.String({ maxLength: 4000 }),
    Type.Array(Type.String({ maxLength: 4000 }), { maxItems: 100 }),
  ]),
);

interface StepState {
  readonly data: FormData;
  readonly errors?: readonly FieldError[];
  readonly rowHints?: ReadonlyMap<string, number>;
  readonly focusRow?: string | undefined;
  readonly saved?: boolean;
  readonly status?: number;
  readonly registry?: RegistryStatus | undefined;
}

function renderStep(
  request: FastifyRequest,
  reply: FastifyReply,
  resident: PortalResident,
  open: OpenFlow,
  index: number,
  state: StepState,
): FastifyReply {
  const lang: Lang = pickLang(request);
  const { definition } = open.procedure;
  const errors = state.errors ?? [];
  const fields: FieldsContext = {
    lang,
    data: state.data,
    errors: new Map(errors.map((e) => [e.path, e.message[lang]])),
    rowHints: state.rowHints ?? new Map(),
    prefill: definition.prefill,
    toCorrect: new Set(open.correction?.fields ?? []),
    targets: new Map(),
    focusRow: state.focusRow,
  };
  const body = stepBody(lang, {
    definition,
    flow: open.flow,
    index,
    fields,
    errors: errors.map((e) => ({ path: e.path, message: e.message[lang] })),
    csrfToken: resident.csrfToken,
    saved: state.saved ?? false,
    correction: open.correction,
    registry: state.registry,
  });
  const step = definition.layout.steps[index]!;
  return sendPage(request, reply, {
    title: t(lang, step.title),
    error: errors.length > 0,
    body,
    status: state.status ?? 200,
    path: flowUrl(open.flow, '', index),
  });
}

/** The array an add or remove button names, if it is one of this step's (and the row, for remove). */
function rowAction(schema: FormNode, fields: readonly string[], action: string) {
  const [verb, path = ''] = action.split(/:(.*)/s);
  if ((verb !== 'add' && verb !== 'remove') || !fields.includes(topKey(path))) return undefined;
  const arrayPath = verb === 'add' ? path : path.slice(0, path.lastIndexOf('/'));
  const index = verb === 'remove' ? Number(path.slice(path.lastIndexOf('/') + 1)) : -1;
  const node = nodeAt(schema, arrayPath);
  if (node?.type !== 'array' || node.items?.enum || (verb === 'remove' && !Number.isInteger(index)))
    return undefined;
  return { verb, arrayPath, index } as const;
}

function rowHintsOf(body: FormBody): Map<string, number> {
  const hints = new Map<string, number>();
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('rows:') && typeof value === 'string') hints.set(name.slice(5), Number(value) || 0);
  }
  return hints;
}

/**
 * The form's steps (GET shows one from the draft; POST saves it and moves on):
 * 次へ checks the step with the catalogue's messages (400 and the page again if anything is
 * wrong), 戻る, 一時保存 and 住民記録の情報を反映する save without checking, 追加する / 削除する change the rows and show
 * the step again. Every post saves the draft first, so nothing typed is lost. When the
 * registry's answer has come and would fill an empty item of the step, 次へ shows the step
 * again filled (with its note) instead of checking it.
 */
export function registerStepPages(app: HttpApp, context: PortalContext): void {
  const db = context.submissions.database.db;
  const now = () => context.submissions.clock.now();

  app.get(
    '/procedures/:procedureId/apply',
    { schema: { params: FlowParams, querystring: FlowQuery } },
    async (request, reply) => {
      const page = await openFlowPage(context, request, reply);
      if (!page) return reply;
      const { resident, open } = page;
      const draft = await loadDraft(db, open.key, now());
      const index = stepIndex(open.procedure, request.query.step);
      const { data, status } = await registryPrefill(context, request, resident, open, draft);
      return renderStep(request, reply, resident, open, index, {
        data,
        saved: request.query.saved === '1',
        registry: status,
      });
    },
  );

  app.post(
    '/procedures/:procedureId/apply',
    { schema: { params: FlowParams, querystring: FlowQuery, body: StepBody } },
    async (request, reply) => {
      const page = await openFlowPage(context, request, reply);
      if (!page) return reply;
      const { resident, open } = page;
      const { procedureId } = request.params;
      const { definition } = open.procedure;
      const schema = definition.schema as FormNode;
      const index = stepIndex(open.procedure, request.query.step);
      const fields = definition.layout.steps[index]!.fields;
      const body = request.body as FormBody;
      const action = typeof body.action === 'string' ? body.action : 'next';
      const row = rowAction(schema, fields, action);
      const posted = row?.verb === 'remove' ? withoutRow(body, row.arrayPath, row.index) : body;
      const draft = await loadDraft(db, open.key, now());
      const { values, problems } = collectStep(schema, fields, posted);
      const data = withStep(draft?.data ?? {}, fields, values);
      await saveDraft(db, open.key, { data, attachments: draft?.attachments ?? {} }, now());

      if (row) {
        const hints = rowHintsOf(posted);
        let focusRow: string | undefined;
        if (row.verb === 'add') {
          const count = hints.get(row.arrayPath) ?? 0;
          hints.set(row.arrayPath, count + 1);
          focusRow = `${row.arrayPath}/${count}`;
        }
        return renderStep(request, reply, resident, open, index, { data, rowHints: hints, focusRow });
      }
      if (action === 'back') {
        const to = index > 0 ? flowUrl(open.flow, '', index - 1) : `/procedures/${procedureId}`;
        return reply.redirect(to, 303);
      }
      if (action === 'save') return reply.redirect(`${flowUrl(open.flow, '', index)}&saved=1`, 303);
      // Saved; the step again, with the registry's answer in its empty items once it is here.
      if (action === REGISTRY_ACTION) return reply.redirect(flowUrl(open.flow, '', index), 303);
      const prefilledAt = draft?.prefilledAt ?? null;
      if (await registryWouldFill(context, resident, open, { data, prefilledAt }, fields)) {
        return reply.redirect(flowUrl(open.flow, '', index), 303);
      }
      const errors = stepProblems(open.procedure, data, fields, problems);
      if (errors.length > 0) {
        return renderStep(request, reply, resident, open, index, {
          data,
          errors,
          rowHints: rowHintsOf(posted),
          status: 400,
        });
      }
      const last = index === definition.layout.steps.length - 1;
      return reply.redirect(
        last ? afterSteps(definition, open.flow) : flowUrl(open.flow, '', index + 1),
        303,
      );
    },
  );
}
