import { identityMigrations, registerIdentity, seedDemoStaff } from '../../modules/identity/index.ts';
import { registerRegistry, registryMigrations, seedRegistryDemo } from '../../modules/registry/index.ts';
import { registerWeb } from '../../web/index.ts';
import { gatewayInboxMigrations } from '../gateway/index.ts';
import type { ZoneDefinition } from '../zone-definition.ts';
import { wirePopulationStatistics } from './population-statistics.ts';

/** The mynumber zone: which modules' tables and routes it holds. */
export const mynumberZone: ZoneDefinition = {
  name: 'mynumber',
  migrations: [identityMigrations, registryMigrations, gatewayInboxMigrations],
  register(app, context, gateway) {
    // First: other modules' routes use requireRole, which needs the identity module installed.
    registerIdentity(app, context);
    registerWeb(app, context);
    registerRegistry(app, context);
    // No gateway endpoint here: mynumber answers no zone; it pulls from lgwan and pushes to it.
    wirePopulationStatistics(context, gateway);
  },
  async seedDemo(context) {
    await seedDemoStaff(context);
    // ~3,000 generated residents per served municipality whose registry is empty.
    await seedRegistryDemo(context);
  },
};
