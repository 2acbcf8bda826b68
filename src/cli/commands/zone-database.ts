import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Database,
  isMachiError,
  loadConfig,
  MachiError,
  openDatabase,
  parseZoneName,
  type ZoneName,
} from '../../core/index.ts';
import { type CommandInput, requireOption, UsageError } from '../command.ts';

/** `--zone Z`, required; an unknown zone is a usage error (exit 2), like a missing one. */
export function zoneOption(values: CommandInput['values']): ZoneName {
  const raw = requireOption(values, 'zone');
  try {
    return parseZoneName(raw);
  } catch (error) {
    if (isMachiError(error)) throw new UsageError(error.detail);
    throw error;
  }
}

/**
 * Opens a zone's existing database for reading, from the configuration (README
 * "Configuration"). Unlike `openZone` it neither migrates nor creates: opening a missing
 * PGlite directory would initialise an empty database, so it is refused instead.
 */
export async function openExistingZoneDatabase(zone: ZoneName): Promise<Database> {
  const config = loadConfig().zones[zone];
  // Every PostgreSQL data directory, PGlite's included, holds PG_VERSION.
  if (!config.databaseUrl && !existsSync(join(config.dataDir, 'PG_VERSION'))) {
    throw new MachiError(
      'not-found',
      `The ${zone} zone has no database at ${config.dataDir} (set MACHI_DATA_DIR, or MACHI_${zone.toUpperCase()}_DATABASE_URL).`,
    );
  }
  return openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
}
