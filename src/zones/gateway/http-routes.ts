import type { HttpApp } from '../../core/index.ts';
import { MAX_ENVELOPE_BYTES } from './envelope.ts';
import type { GatewayEndpoint } from './transport.ts';
import { gatewayPaths, MAX_BATCH_BYTES } from './wire.ts';

/**
 * Mounts a zone's gateway endpoint on HTTP (lgwan only: mynumber and internet
 * answer no gateway call). The body stays a string: the signature covers the
 * exact bytes, so it must be checked before any parsing.
 */
export function registerGatewayRoutes(app: HttpApp, endpoint: GatewayEndpoint): void {
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      done(null, body);
    });
    for (const path of Object.values(gatewayPaths)) {
      const bodyLimit = (path === gatewayPaths.batch ? MAX_BATCH_BYTES : MAX_ENVELOPE_BYTES) + 1024;
      scope.post(path, { bodyLimit }, async (request, reply) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === 'string') headers[name.toLowerCase()] = value;
        }
        const response = await endpoint.handle({
          method: 'POST',
          path,
          headers,
          body: typeof request.body === 'string' ? request.body : '',
        });
        return reply.status(response.status).headers(response.headers).send(response.body);
      });
    }
  });
}
