import { type Clock, loadConfig, type MachiConfig } from '../../src/core/index.ts';
import { openZone, type RunningZone, type ZoneDefinition } from '../../src/zones/index.ts';
import { openTestDatabase } from './database.ts';

export interface TestZoneOptions {
  /** Municipalities served; default 千代田区 and 札幌市 (two tenants, to test isolation). */
  readonly municipalities?: readonly string[];
  readonly clock?: Clock;
  readonly demo?: boolean;
}

export function testConfig(municipalities: readonly string[] = ['131016', '011002']): MachiConfig {
  return loadConfig({ MACHI_MUNICIPALITIES: municipalities.join(','), MACHI_DATA_DIR: '/nonexistent' });
}

/** A zone on a fresh test database, with requests sent in-process through `app.inject()`. */
export async function openTestZone(
  definition: ZoneDefinition,
  options: TestZoneOptions = {},
): Promise<RunningZone> {
  const database = await openTestDatabase();
  const zone = await openZone(definition, testConfig(options.municipalities), {
    database,
    ...(options.clock ? { clock: options.clock } : {}),
    demo: options.demo ?? false,
  });
  return {
    ...zone,
    async close() {
      await zone.close();
      await database.close();
    },
  };
}
