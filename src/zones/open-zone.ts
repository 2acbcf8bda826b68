import {
  auditMigrations,
  type Clock,
  createAuditLog,
  createHttpApp,
  type Database,
  FileStore,
  type HttpApp,
  type MachiConfig,
  migrate,
  openDatabase,
  ServedMunicipalities,
  systemClock,
  type ZoneContext,
} from '../core/index.ts';
import {
  createEmbeddedNetwork,
  createZoneGateway,
  type GatewayNetwork,
  registerGatewayRoutes,
  type ZoneGateway,
} from './gateway/index.ts';
import type { ZoneDefinition } from './zone-definition.ts';

export interface OpenZoneOptions {
  /** An already open database (tests pass an in-memory PGlite). */
  readonly database?: Database;
  readonly clock?: Clock;
  readonly logger?: boolean | { level: string };
  readonly demo?: boolean;
  /**
   * How this zone reaches the others: one embedded network shared by the three
   * zones of `machi start`, or an HTTP network for `machi serve`. Without one the
   * zone gets a network of its own (tests of a single zone): it can reach no zone.
   */
  readonly gateway?: GatewayNetwork;
}

export interface RunningZone {
  readonly app: HttpApp;
  readonly context: ZoneContext;
  readonly gateway: ZoneGateway;
  /** Loads the zone's demo data (idempotent); `machi start` calls it once the zone is listening. */
  seedDemo(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the zone's own database, migrates it, and builds its HTTP app (not yet listening). */
export async function openZone(
  definition: ZoneDefinition,
  config: MachiConfig,
  options: OpenZoneOptions = {},
): Promise<RunningZone> {
  const zoneConfig = config.zones[definition.name];
  const database =
    options.database ??
    (await openDatabase({
      url: zoneConfig.databaseUrl,
      dataDir: zoneConfig.dataDir,
      poolSize: zoneConfig.databasePool,
    }));
  await migrate(database.db, [auditMigrations, ...definition.migrations]);
  const clock = options.clock ?? systemClock;
  const context: ZoneContext = {
    zone: definition.name,
    config,
    database,
    files: new FileStore(zoneConfig.filesDir),
    served: new ServedMunicipalities(config.municipalities),
    audit: createAuditLog(database, clock),
    clock,
  };
  if (options.demo) await definition.seedDemo?.(context);
  const app = createHttpApp({ name: definition.name, logger: options.logger ?? false });
  const network = options.gateway ?? createEmbeddedNetwork();
  const gateway = createZoneGateway({
    zone: definition.name,
    network,
    database,
    audit: context.audit,
    clock,
  });
  await definition.register(app, context, gateway);
  if (gateway.endpoint) {
    registerGatewayRoutes(app, gateway.endpoint);
    network.attach(definition.name, gateway.endpoint);
  }
  await app.ready();
  gateway.start(app.log);
  return {
    app,
    context,
    gateway,
    async seedDemo() {
      await definition.seedDemo?.(context);
    },
    async close() {
      await gateway.close();
      await app.close();
      await context.audit.flush();
      if (!options.database) await database.close();
    },
  };
}
