import type { HttpApp, ModuleMigrations, ZoneContext, ZoneName } from '../core/index.ts';
import type { ZoneGateway } from './gateway/index.ts';

/** What a zone is made of: the modules' tables it holds and the routes it mounts. */
export interface ZoneDefinition {
  readonly name: ZoneName;
  readonly migrations: readonly ModuleMigrations[];
  /** Mounts the zone's routes and its gateway handlers (the gateway is the only way to other zones). */
  register(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): Promise<void> | void;
  /** Demo data for `npm start`; must be idempotent (safe on every start). */
  seedDemo?(context: ZoneContext): Promise<void>;
}
