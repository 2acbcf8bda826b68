// Statistics shown to staff in the lgwan zone: the module's one door.
export { statisticsMigrations } from './migrations.ts';
export {
  latestPopulationSnapshot,
  type PopulationSnapshot,
  type StoredPopulationSnapshot,
  storePopulationSnapshot,
} from './population-snapshots.ts';
export { registerStatisticsRoutes, type StatisticsRoutesOptions } from './routes.ts';
