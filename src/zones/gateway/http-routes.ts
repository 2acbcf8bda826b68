import type { FastifyRequest } from 'fastify';
import { type HttpApp, MachiError } from '../../core/index.ts';
import { MAX_ENVELOPE_BYTES } from './envelope.ts';
import { ATTACHED_TYPE, type GatewayEndpoint } from './transport.ts';
import { gatewayPaths, MAX_ATTACHED_BYTES, MAX_BATCH_BYTES } from './wire.ts';

const LINE_FEED = 0x0a;

/**
 * Mounts a zone's gateway endpoint on HTTP (lgwan only: mynumber and internet
 * answer no gateway call). The body stays a string: the signature covers the
 * exact bytes, so it must be checked before any parsing. A body with attachments
 * (ATTACHED_TYPE) is its JSON up to the first line feed, then the attachments' bytes.
 */
export function registerGatewayRoutes(app: HttpApp, endpoint: GatewayEndpoint): void {
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      done(null, body);
    });
    // Kept as the chunks that came, never joined: a call's files are written from them.
    scope.addContentTypeParser(
      ATTACHED_TYPE,
      async (request: FastifyRequest, payload: AsyncIterable<Buffer>) => {
        const limit = request.routeOptions.bodyLimit ?? 0;
        const tooLarge = () => new MachiError('payload-too-large', `The body is larger than ${limit} bytes.`);
        if (Number(request.headers['content-length']) > limit) throw tooLarge();
        const chunks: Buffer[] = [];
        let bytes = 0;
        for await (const chunk of payload) {
          bytes += chunk.length;
          if (bytes > limit) throw tooLarge();
          chunks.push(chunk);
        }
        return chunks;
      },
    );
    for (const path of Object.values(gatewayPaths)) {
      const pushes = path === gatewayPaths.batch || path === gatewayPaths.messages;
      const bodyLimit =
        (path === gatewayPaths.batch ? MAX_BATCH_BYTES : MAX_ENVELOPE_BYTES) +
        (pushes ? MAX_ATTACHED_BYTES : 0) +
        1024;
      scope.post(path, { bodyLimit }, async (request, reply) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === 'string') headers[name.toLowerCase()] = value;
        }
        const response = await endpoint.handle({ method: 'POST', path, headers, ...bodyOf(request.body) });
        return reply.status(response.status).headers(response.headers).send(response.body);
      });
    }
  });
}

/** The JSON (up to the first line feed) and the chunks of attachments after it. */
function bodyOf(body: unknown): { body: string; attached?: Uint8Array[] } {
  if (typeof body === 'string') return { body };
  if (!Array.isArray(body)) return { body: '' };
  const chunks = body as Buffer[];
  const head: Buffer[] = [];
  for (const [index, chunk] of chunks.entries()) {
    const end = chunk.indexOf(LINE_FEED);
    if (end === -1) {
      head.push(chunk);
      continue;
    }
    head.push(chunk.subarray(0, end));
    const rest = chunk.subarray(end + 1);
    const attached = [...(rest.length > 0 ? [rest] : []), ...chunks.slice(index + 1)];
    return { body: Buffer.concat(head).toString('utf8'), attached };
  }
  return { body: Buffer.concat(head).toString('utf8'), attached: [] };
}
