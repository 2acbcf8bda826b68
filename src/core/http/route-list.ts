import type { FastifyInstance } from 'fastify';

export interface RegisteredRoute {
  readonly method: string;
  /** The route pattern, e.g. `/api/v1/municipalities/:lgCode/residents/:residentCode`. */
  readonly url: string;
}

const routesByApp = new WeakMap<object, RegisteredRoute[]>();

/**
 * Remembers every route registered on `app` from now on. Fastify can print its
 * routes but not list them; tests walk this list so that a new route cannot
 * escape the tenant-isolation check by being forgotten.
 */
// biome-ignore lint/suspicious/noExplicitAny: any Fastify instance, whatever its type provider.
export function trackRoutes(app: FastifyInstance<any, any, any, any, any>): void {
  const routes: RegisteredRoute[] = [];
  routesByApp.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      // HEAD answers as GET does (Fastify adds it for every GET route).
      if (method !== 'HEAD') routes.push({ method, url: route.url });
    }
  });
}

/** The routes of an app made by `createHttpApp`, in registration order. */
export function registeredRoutes(app: object): readonly RegisteredRoute[] {
  return routesByApp.get(app) ?? [];
}
