import type { Kysely } from 'kysely';
import type { AuditLog, Clock, Database } from '../../core/index.ts';
import type { RegistryTables } from './tables.ts';

/** What registry functions need from the zone: its database, audit log and clock (a ZoneContext fits). */
export interface RegistryContext {
  readonly database: Database;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export type RegistryDb = Kysely<RegistryTables>;

/** The zone's database seen through the registry's own table types. */
export function registryDb(database: Database): RegistryDb {
  return database.db as RegistryDb;
}
