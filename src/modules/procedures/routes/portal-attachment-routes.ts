import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type HttpApp, MachiError, pickLang, t } from '../../../core/index.ts';
import { type AttachmentsView, attachmentsBody, type UploadResult } from '../portal/attachments-page.ts';
import { type DraftAttachment, loadDraft, saveDraft } from '../portal/drafts.ts';
import { askedAttachments, flowUrl } from '../portal/flow.ts';
import { fill, portal, refusalReasons } from '../portal/texts.ts';
import { FlowParams, FlowQuery, type OpenFlow, openFlowPage } from './portal-flow.ts';
import { type PortalContext, type PortalResident, sendPage } from './portal-session.ts';

const AttachmentParams = Type.Object({
  ...FlowParams.properties,
  attachmentId: Type.String({ maxLength: 80, pattern: '^[a-z0-9-]+$' }),
});
const NavBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
  action: Type.Optional(Type.String({ maxLength: 10 })),
});

/** A file field of a multipart form, as the portal's parser hands it over. */
interface PostedFile {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

/**
 * multipart/form-data (RFC 7578) through the platform's own parser (WHATWG FormData in
 * Node's fetch): text fields as strings, files as bytes with their names. Only for the
 * upload route, in its own scope; the body is capped a little above the upload limit.
 */
async function parseMultipart(request: FastifyRequest, body: Buffer): Promise<Record<string, unknown>> {
  let form: Awaited<ReturnType<Request['formData']>>;
  try {
    form = await new Request('http://portal.invalid/', {
      method: 'POST',
      body: new Uint8Array(body),
      headers: { 'content-type': String(request.headers['content-type']) },
    }).formData();
  } catch {
    throw new MachiError('validation-failed', 'The form could not be read.');
  }
  const out: Record<string, unknown> = {};
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => {
    entries.push([name, value]);
  });
  for (const [name, value] of entries) {
    out[name] =
      typeof value === 'string'
        ? value
        : ({ fileName: value.name, bytes: new Uint8Array(await value.arrayBuffer()) } satisfies PostedFile);
  }
  return out;
}

const isFile = (value: unknown): value is PostedFile =>
  typeof value === 'object' && value !== null && (value as PostedFile).bytes instanceof Uint8Array;

/**
 * The attachments step: one upload per document asked for, each sent as multipart to a page
 * route that hands the bytes to the same sanitizing upload as POST /api/v1/uploads; the
 * upload's id and the rebuilt file's SHA-256 go into the draft. A refused file is said with
 * its reason (422) and changes nothing.
 */
export function registerAttachmentPages(app: HttpApp, context: PortalContext): void {
  const { submissions } = context;
  const db = submissions.database.db;
  const { maxBytes, receive } = context.attachments;
  const now = () => submissions.clock.now();

  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    resident: PortalResident,
    open: OpenFlow,
    extra: { errors?: Map<string, string>; result?: UploadResult; status?: number } = {},
  ): Promise<FastifyReply> {
    const lang = pickLang(request);
    const draft = await loadDraft(db, open.key, now());
    const view: AttachmentsView = {
      definition: open.procedure.definition,
      flow: open.flow,
      attached: draft?.attachments ?? {},
      errors: extra.errors ?? new Map(),
      result: extra.result,
      csrfToken: resident.csrfToken,
      maxBytes,
      correction: open.correction,
    };
    return sendPage(request, reply, {
      title: t(lang, portal.stepAttachments),
      error: (extra.errors?.size ?? 0) > 0,
      body: attachmentsBody(lang, view),
      status: extra.status ?? 200,
      path: flowUrl(open.flow, '/attachments'),
    });
  }

  app.get(
    '/procedures/:procedureId/apply/attachments',
    { schema: { params: FlowParams, querystring: FlowQuery } },
    async (request, reply) => {
      const page = await openFlowPage(context, request, reply);
      if (!page) return reply;
      const { resident, open } = page;
      const uploaded = request.query.uploaded;
      const result: UploadResult | undefined = uploaded
        ? { attachmentId: uploaded, outcome: 'rebuilt' }
        : undefined;
      return show(request, reply, resident, open, result ? { result } : {});
    },
  );

  app.post(
    '/procedures/:procedureId/apply/attachments',
    { schema: { params: FlowParams, querystring: FlowQuery, body: NavBody } },
    async (request, reply) => {
      const page = await openFlowPage(context, request, reply);
      if (!page) return reply;
      const { resident, open } = page;
      const { definition } = open.procedure;
      if (request.body.action === 'back')
        return reply.redirect(flowUrl(open.flow, '', definition.layout.steps.length - 1), 303);
      const lang = pickLang(request);
      const draft = await loadDraft(db, open.key, now());
      const missing = askedAttachments(definition).filter((a) => a.required && !draft?.attachments[a.id]);
      if (missing.length > 0) {
        const errors = new Map(
          missing.map((a) => [a.id, fill(t(lang, portal.attachmentMissing), { name: t(lang, a.name) })]),
        );
        return show(request, reply, resident, open, { errors, status: 400 });
      }
      return reply.redirect(flowUrl(open.flow, '/confirm'), 303);
    },
  );

  app.post(
    '/procedures/:procedureId/apply/attachments/:attachmentId/removal',
    { schema: { params: AttachmentParams, querystring: FlowQuery, body: NavBody } },
    async (request, reply) => {
      const page = await openFlowPage(context, request, reply);
      if (!page) return reply;
      const { open } = page;
      const { attachmentId } = request.params;
      const draft = await loadDraft(db, open.key, now());
      if (draft?.attachments[attachmentId]) {
        const { [attachmentId]: _removed, ...rest } = draft.attachments;
        await saveDraft(db, open.key, { data: draft.data, attachments: rest }, now());
      }
      return reply.redirect(flowUrl(open.flow, '/attachments'), 303);
    },
  );

  app.register(async (plugin) => {
    // The plugin's own scope (its parser reaches no other route), with the app's type provider.
    const scope = plugin as unknown as HttpApp;
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: maxBytes + 1024 * 1024 },
      async (request: FastifyRequest, body: Buffer) => parseMultipart(request, body),
    );
    scope.post(
      '/procedures/:procedureId/apply/attachments/:attachmentId',
      { schema: { params: AttachmentParams, querystring: FlowQuery } },
      async (request, reply) => {
        const { procedureId, attachmentId } = request.params;
        const page = await openFlowPage(
          context,
          request,
          reply,
          `/procedures/${procedureId}/apply/attachments`,
        );
        if (!page) return reply;
        const { resident, open } = page;
        const lang = pickLang(request);
        const asked = askedAttachments(open.procedure.definition).find((a) => a.id === attachmentId);
        if (!asked) return show(request, reply, resident, open, { status: 404 });
        const file = (request.body as Record<string, unknown> | undefined)?.file;
        const refuse = (message: string, status: number) =>
          show(request, reply, resident, open, { errors: new Map([[attachmentId, message]]), status });
        if (!isFile(file) || file.bytes.length === 0) return refuse(t(lang, portal.noFileChosen), 400);
        const mb = Math.floor(maxBytes / 1024 / 1024);
        if (file.bytes.length > maxBytes) return refuse(fill(t(lang, portal.fileTooLarge), { mb }), 413);
        const who = { id: resident.id, municipalityCode: resident.municipalityCode };
        const { uploadId, report } = await receive(who, file.bytes);
        if (report.refusal || !report.output) {
          const reason = report.refusal?.reason ?? 'malformed';
          const why = refusalReasons[reason] ? t(lang, refusalReasons[reason]) : report.refusal?.message;
          return refuse(`${t(lang, portal.refused)}：${why ?? ''}`, 422);
        }
        const draft = await loadDraft(db, open.key, now());
        const attached: DraftAttachment = {
          uploadId,
          sha256: report.output.sha256,
          mediaType: report.output.mediaType,
          bytes: report.output.bytes,
          // The name as the resident knows it (never sent inward: the signed document names the hash).
          fileName: file.fileName.slice(0, 200),
          removed: report.removed.map((r) => r.kind),
        };
        await saveDraft(
          db,
          open.key,
          {
            data: draft?.data ?? {},
            attachments: { ...(draft?.attachments ?? {}), [attachmentId]: attached },
          },
          now(),
        );
        const params = new URLSearchParams({ uploaded: attachmentId });
        if (open.flow.correctionOf) params.set('correction', open.flow.correctionOf);
        return reply.redirect(
          `/procedures/${procedureId}/apply/attachments?${params}#file-${attachmentId}-heading`,
          303,
        );
      },
    );
  });
}
