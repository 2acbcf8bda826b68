import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type HttpApp, type LgCode, MachiError } from '../../../core/index.ts';
import { receiveUpload, type UploadContext, uploadReport } from './receive-upload.ts';

/** Who is uploading: the zone decides (the internet zone: a resident signed in with the card). */
export type Uploader = (request: FastifyRequest) => Promise<{ id: string; municipalityCode: LgCode }>;

// The report as the resident sees it: the schema drops anything it does not name.
const Removed = Type.Object({
  kind: Type.String(),
  count: Type.Integer(),
  detail: Type.Optional(Type.String()),
});
export const ReportSchema = Type.Object({
  detectedType: Type.String(),
  outcome: Type.String(),
  input: Type.Object({ bytes: Type.Integer(), sha256: Type.String() }),
  output: Type.Optional(
    Type.Object({ bytes: Type.Integer(), sha256: Type.String(), mediaType: Type.String() }),
  ),
  actions: Type.Array(Type.String()),
  removed: Type.Array(Removed),
  warnings: Type.Array(Type.String()),
  refusal: Type.Optional(Type.Object({ reason: Type.String(), message: Type.String() })),
  pages: Type.Optional(Type.Integer()),
  durationMs: Type.Number(),
  waitedMs: Type.Optional(Type.Number()),
});
const CreatedSchema = Type.Object({ uploadId: Type.String(), report: ReportSchema });

/**
 * Uploads (internet zone): the body is the file itself, of any content type (the type is
 * read from the bytes; the header is not believed). 201 with the report when rebuilt, 422
 * `file-refused` with the report's reason when not. `onRebuilt` sends the rebuilt file inward.
 */
export function registerUploadRoutes(
  app: HttpApp,
  context: UploadContext,
  options: { uploader: Uploader; maxBytes: number; onRebuilt: () => void },
): void {
  const { uploader, maxBytes } = options;
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // The body is not read here: once the uploader is known, it goes to a file as it comes.
    scope.addContentTypeParser('*', (request, payload, done) => {
      const declared = Number(request.headers['content-length']);
      if (declared > maxBytes)
        done(new MachiError('payload-too-large', `The file is larger than ${maxBytes} bytes.`));
      else done(null, payload);
    });
    scope.post(
      '/api/v1/uploads',
      { schema: { response: { 201: CreatedSchema } } },
      async (request, reply) => {
        const who = await uploader(request);
        const body = request.body as AsyncIterable<Uint8Array> | undefined;
        if (!body) throw new MachiError('validation-failed', 'Send the file itself as the request body.');
        const { uploadId, report } = await receiveUpload(
          context,
          { municipalityCode: who.municipalityCode, uploadedBy: who.id, content: body, maxBytes },
          context.clock.now(),
        );
        if (report.refusal) {
          throw new MachiError('file-refused', report.refusal.message, {
            reason: report.refusal.reason,
            uploadId,
            detectedType: report.detectedType,
          });
        }
        options.onRebuilt();
        return reply.status(201).send({ uploadId, report });
      },
    );
  });

  app.get(
    '/api/v1/uploads/:uploadId',
    {
      schema: {
        params: Type.Object({ uploadId: Type.String({ format: 'uuid', maxLength: 36 }) }),
        response: { 200: ReportSchema },
      },
    },
    async (request) => {
      const who = await uploader(request);
      const report = await uploadReport(context.database, {
        municipalityCode: who.municipalityCode,
        uploadId: request.params.uploadId,
        uploadedBy: who.id,
      });
      if (!report) throw new MachiError('not-found', 'No such upload of yours.');
      return report;
    },
  );
}
