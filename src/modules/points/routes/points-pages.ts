import type { HttpApp } from '../../../core/index.ts';
import { registerPointsCodePages } from './code-pages.ts';
import { registerPointsMerchantPages } from './merchant-pages.ts';
import { type RegistryBirthDate, registerPointsAssets } from './page-support.ts';
import { registerPointsPayPages } from './pay-pages.ts';
import { registerPointsPremiumPages } from './premium-pages.ts';
import type { PointsPremiumContext } from './premium-routes.ts';
import { registerPointsHomePages } from './resident-pages.ts';
import type { PointsResident } from './resident-routes.ts';
import { registerPointsShopPages } from './shop-pages.ts';

/** Every points page: the resident's (/points…) and the shop tablet's (/merchant…), with their scripts. */
export function registerPointsPages(
  app: HttpApp,
  context: PointsPremiumContext,
  resident: PointsResident,
  options: { readonly secureCookies: boolean; readonly birthDateOf: RegistryBirthDate },
): void {
  registerPointsAssets(app);
  registerPointsHomePages(app, context, resident, options.birthDateOf);
  registerPointsPayPages(app, context, resident);
  registerPointsCodePages(app, context, resident);
  registerPointsShopPages(app, context, resident);
  registerPointsPremiumPages(app, context, resident);
  registerPointsMerchantPages(app, context, options);
}
