import { identityMigrations, registerIdentity, seedDemoStaff } from '../../modules/identity/index.ts';
import { statisticsMigrations } from '../../modules/statistics/index.ts';
import { registerWeb } from '../../web/index.ts';
import { gatewayInboxMigrations, gatewayOutboxMigrations } from '../gateway/index.ts';
import type { ZoneDefinition } from '../zone-definition.ts';
import { wirePopulationStatistics } from './population-statistics.ts';

/** The lgwan zone: which modules' tables and routes it holds. */
export const lgwanZone: ZoneDefinition = {
  name: 'lgwan',
  migrations: [identityMigrations, gatewayInboxMigrations, gatewayOutboxMigrations, statisticsMigrations],
  register(app, context, gateway) {
    // First: other modules' routes use requireRole, which needs the identity module installed.
    registerIdentity(app, context);
    registerWeb(app, context);
    wirePopulationStatistics(app, context, gateway);
  },
  async seedDemo(context) {
    await seedDemoStaff(context);
  },
};
