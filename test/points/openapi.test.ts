import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../src/core/index.ts';
import { internetZone, type RunningZone } from '../../src/zones/index.ts';
import { openTestZone } from '../support/zone.ts';

let zone: RunningZone;

beforeAll(async () => {
  zone = await openTestZone(internetZone);
});
afterAll(async () => {
  await zone?.close();
});

/** Fastify's `:name` path parameters as OpenAPI's `{name}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');
const MACHINE_APIS =
  /^\/api\/v1\/(points\/merchant\/|mykey\/reader\/|municipalities\/:lgCode\/points\/partners\/)/;

describe('the OpenAPI document of the partner, merchant and terminal APIs', () => {
  it('is served as OpenAPI 3.1 with a security scheme on every operation', async () => {
    const response = await zone.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    for (const operations of Object.values(document.paths) as Record<string, { security?: unknown[] }>[]) {
      for (const operation of Object.values(operations)) expect(operation.security?.length).toBe(1);
    }
    expect(document.components.schemas.Problem.properties.type.enum).toContain('/problems/signature-invalid');
  });

  it('documents exactly the machine-to-machine routes the zone registers', async () => {
    const document = (await zone.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const documented = Object.entries(document.paths as Record<string, object>)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    const registered = registeredRoutes(zone.app)
      .filter((route) => MACHINE_APIS.test(route.url) && route.method !== 'HEAD')
      .map((route) => `${route.method} ${openApiPath(route.url)}`)
      .sort();
    expect(documented).toEqual(registered);
  });
});
