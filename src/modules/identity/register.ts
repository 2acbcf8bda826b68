import type { HttpApp, ZoneContext } from '../../core/index.ts';
import { installStaffAuth } from './require-role.ts';
import { registerSignInRoutes } from './routes/sign-in-routes.ts';
import { registerStaffApiRoutes } from './routes/staff-api-routes.ts';
import { SessionCache } from './session-cache.ts';
import type { IdentityDb } from './tables.ts';

/**
 * Mounts staff sign-in in a zone (lgwan, mynumber) and makes `requireRole`
 * work for every other module's routes. Register it before those routes.
 */
export function registerIdentity(app: HttpApp, context: ZoneContext): void {
  const db = context.database.db as IdentityDb;
  installStaffAuth(app, { database: context.database, sessions: new SessionCache(), clock: context.clock });
  registerSignInRoutes(app, context, db);
  registerStaffApiRoutes(app, context, db);
}
