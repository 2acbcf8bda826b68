import { identityMigrations, registerIdentity, seedDemoStaff } from '../../modules/identity/index.ts';
import {
  pointsAdminMerchantMigrations,
  pointsAdminMigrations,
  pointsAdminPartnerMigrations,
  pointsAdminPremiumMigrations,
  pointsAdminSettlementMigrations,
  pointsDashboardMigrations,
} from '../../modules/points/index.ts';
import { caseMigrations, settingsMigrations, usageMigrations } from '../../modules/procedures/index.ts';
import { receivedFileMigrations } from '../../modules/sanitize/index.ts';
import { statisticsMigrations } from '../../modules/statistics/index.ts';
import { registerWeb } from '../../web/index.ts';
import { gatewayInboxMigrations, gatewayOutboxMigrations } from '../gateway/index.ts';
import type { ZoneDefinition } from '../zone-definition.ts';
import { wireJpkiRelay } from './jpki-relay.ts';
import { wirePoints } from './points.ts';
import { wirePopulationStatistics } from './population-statistics.ts';
import { wireProcedureCases } from './procedure-cases.ts';
import { wireProcedureSettings } from './procedure-settings.ts';
import { wireRegistryPrefill } from './registry-prefill.ts';
import { wireSanitizedFiles } from './sanitized-files.ts';

/** The lgwan zone: which modules' tables and routes it holds. */
export const lgwanZone: ZoneDefinition = {
  name: 'lgwan',
  migrations: [
    identityMigrations,
    gatewayInboxMigrations,
    gatewayOutboxMigrations,
    statisticsMigrations,
    receivedFileMigrations,
    caseMigrations,
    settingsMigrations,
    usageMigrations,
    pointsDashboardMigrations,
    pointsAdminMigrations,
    pointsAdminMerchantMigrations,
    pointsAdminPremiumMigrations,
    pointsAdminPartnerMigrations,
    pointsAdminSettlementMigrations,
  ],
  register(app, context, gateway) {
    // First: other modules' routes use requireRole, which needs the identity module installed.
    registerIdentity(app, context);
    registerWeb(app, context);
    wirePopulationStatistics(app, context, gateway);
    wireJpkiRelay(gateway);
    wireRegistryPrefill(gateway);
    wireSanitizedFiles(context, gateway);
    wireProcedureCases(app, context, gateway);
    wireProcedureSettings(app, context, gateway);
    wirePoints(app, context, gateway);
  },
  async seedDemo(context) {
    await seedDemoStaff(context);
  },
};
