// Server-rendered pages and their assets. registerWeb adds its hook (the lang
// cookie) on the zone's root instance, so it covers every route, whatever the order.
import type { HttpApp, ZoneContext } from '../core/index.ts';
import { registerAssets } from './assets.ts';
import { registerLandingPage } from './landing/routes.ts';
import { registerLangCookie } from './lang-cookie.ts';
import { registerProblemPages } from './problems/routes.ts';

export { stylesheet } from './assets.ts';
export { type ProblemDescription, problemDescriptions } from './problems/descriptions.ts';
export { homeNav, zoneLabel, zoneLabels } from './zones.ts';

/** Mounts the stylesheet, the zone's home page and the /problems pages on a zone's app. */
export function registerWeb(app: HttpApp, context: ZoneContext): void {
  registerLangCookie(app, context.config.secureCookies);
  registerAssets(app);
  registerLandingPage(app, context);
  registerProblemPages(app, context);
}
