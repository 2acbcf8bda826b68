import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { isMachiError, MachiError, toProblem } from '../errors/index.ts';
import { trackRoutes } from './route-list.ts';
import { securityHeaders } from './security-headers.ts';

export type HttpApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpAppOptions {
  /** Zone name, shown in logs and on /healthz. */
  readonly name: string;
  /** pino logger options, or false. Logs carry method, route pattern and status — never URLs with ids or bodies. */
  readonly logger?: boolean | { level: string };
  readonly bodyLimit?: number;
}

/**
 * The Fastify instance every zone starts from: problem+json errors (RFC 9457)
 * mapped in this one place, security headers, cookies, forms and /healthz.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const app = Fastify({
    logger: options.logger === undefined ? false : options.logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  trackRoutes(app);

  app.register(cookie);
  app.register(formbody);
  app.addHook('onSend', securityHeaders);
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the URL: URLs may carry resident codes.
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      'request',
    );
    done();
  });

  app.setErrorHandler((error: FastifyError, request, reply) =>
    sendProblem(request, reply, asMachiError(error)),
  );
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new MachiError('not-found', `Nothing is at ${request.method} ${request.url.split('?')[0]}.`),
    ),
  );

  app.get('/healthz', async () => ({ status: 'ok', zone: options.name }));
  return app;
}

/** Turns anything thrown into the one error type; unknown errors become `internal` with no detail leaked. */
export function asMachiError(error: FastifyError | Error): MachiError {
  if (isMachiError(error)) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const errors = fastifyError.validation.map((issue) => ({
      where: `${fastifyError.validationContext ?? 'body'}${issue.instancePath || ''}`,
      problem: issue.message ?? 'is not valid',
    }));
    const first = errors[0];
    return new MachiError(
      'validation-failed',
      first ? `${first.where} ${first.problem}` : 'The request is not valid.',
      { errors },
    );
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new MachiError('payload-too-large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new MachiError(
        'unsupported-media-type',
        `Content type ${fastifyError.message.split(': ').at(-1)} is not accepted here.`,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new MachiError('validation-failed', 'The JSON body is empty.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new MachiError('validation-failed', 'The body is not valid JSON.');
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    if (fastifyError.statusCode === 413) return new MachiError('payload-too-large');
    if (fastifyError.statusCode === 415) return new MachiError('unsupported-media-type');
    if (fastifyError.statusCode === 429) return new MachiError('rate-limited');
    return new MachiError('validation-failed', fastifyError.message);
  }
  return Object.assign(new MachiError('internal'), { cause: error });
}

function sendProblem(request: FastifyRequest, reply: FastifyReply, error: MachiError) {
  if (error.code === 'internal') {
    // Logged with the request id so an operator can find it; the user sees only the id.
    request.log.error({ err: error.cause ?? error, requestId: request.id }, 'internal error');
  }
  const problem = toProblem(error, request.id);
  return reply.status(error.status).type('application/problem+json; charset=utf-8').send(problem);
}
