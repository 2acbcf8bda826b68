import type { HttpApp } from '../../core/index.ts';
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
    scope.addContentTypeParser(ATTACHED_TYPE, { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });
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

function bodyOf(body: unknown): { body: string; attached?: Uint8Array[] } {
  if (typeof body === 'string') return { body };
  if (!Buffer.isBuffer(body)) return { body: '' };
  const end = body.indexOf(LINE_FEED);
  if (end === -1) return { body: body.toString('utf8'), attached: [] };
  return { body: body.toString('utf8', 0, end), attached: [body.subarray(end + 1)] };
}
