import type { AuditLog } from '../audit/types.ts';
import type { Clock } from '../clock.ts';
import type { MachiConfig, ZoneName } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import type { FileStore } from '../files/index.ts';
import type { ServedMunicipalities } from '../tenancy/index.ts';

/** What a module's routes get from the zone that mounts them. */
export interface ZoneContext {
  readonly zone: ZoneName;
  readonly config: MachiConfig;
  readonly database: Database;
  /** Files kept beside the database (its config's filesDir). */
  readonly files: FileStore;
  readonly served: ServedMunicipalities;
  readonly audit: AuditLog;
  readonly clock: Clock;
}
