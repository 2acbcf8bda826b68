import { identityMigrations, registerIdentity, seedDemoStaff } from '../../modules/identity/index.ts';
import { jpkiIssuerMigrations } from '../../modules/jpki/index.ts';
import { registerRegistry, registryMigrations, seedRegistryDemo } from '../../modules/registry/index.ts';
import { registerWeb } from '../../web/index.ts';
import { gatewayInboxMigrations } from '../gateway/index.ts';
import type { ZoneDefinition } from '../zone-definition.ts';
import { wireJpkiIssuer } from './jpki.ts';
import { wirePopulationStatistics } from './population-statistics.ts';
import { wireRegistryCheck } from './registry-check.ts';
import { wireRegistryPrefill } from './registry-prefill.ts';

/** The mynumber zone: which modules' tables and routes it holds. */
export const mynumberZone: ZoneDefinition = {
  name: 'mynumber',
  migrations: [identityMigrations, registryMigrations, jpkiIssuerMigrations, gatewayInboxMigrations],
  async register(app, context, gateway) {
    // First: other modules' routes use requireRole, which needs the identity module installed.
    registerIdentity(app, context);
    registerWeb(app, context);
    registerRegistry(app, context);
    // No gateway endpoint here: mynumber answers no zone; it pulls from lgwan and pushes to it.
    wirePopulationStatistics(context, gateway);
    wireRegistryCheck(context, gateway);
    wireRegistryPrefill(context, gateway);
    // Card issuance at the counter; revocations and CRLs published outward through lgwan.
    await wireJpkiIssuer(app, context, gateway);
  },
  async seedDemo(context) {
    await seedDemoStaff(context);
    // ~3,000 generated residents per served municipality whose registry is empty.
    await seedRegistryDemo(context);
  },
};
