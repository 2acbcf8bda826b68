import type { HttpApp, ZoneContext } from '../../../core/index.ts';
import { registerRegistryApi } from './api-routes.ts';
import { registerRegistryPages } from './page-routes.ts';

/** Mounts the registry's API and staff pages. Register after the identity module (requireRole). */
export function registerRegistry(app: HttpApp, context: ZoneContext): void {
  registerRegistryApi(app, context);
  registerRegistryPages(app, context);
}
