import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, loadConfig, type MachiConfig } from '../../src/core/index.ts';
import { openZone, type RunningZone, type ZoneDefinition } from '../../src/zones/index.ts';
import { openTestDatabase } from './database.ts';

export interface TestZoneOptions {
  /** Municipalities served; default 千代田区 and 札幌市 (two tenants, to test isolation). */
  readonly municipalities?: readonly string[];
  readonly clock?: Clock;
  readonly demo?: boolean;
  /** A PKI made by createTestPki(); without one the card routes answer pki-not-ready. */
  readonly jpkiDir?: string;
}

let lgpkiDir: string | undefined;

/** One LGPKI-like key directory per test process: made on the first decision, removed at exit. */
function testLgpkiDir(): string {
  if (!lgpkiDir) {
    const dir = mkdtempSync(join(tmpdir(), 'machi-lgpki-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    lgpkiDir = dir;
  }
  return lgpkiDir;
}

export function testConfig(
  municipalities: readonly string[] = ['131016', '011002'],
  jpkiDir?: string,
  env: Record<string, string> = {},
): MachiConfig {
  return loadConfig({
    MACHI_MUNICIPALITIES: municipalities.join(','),
    MACHI_DATA_DIR: '/nonexistent',
    MACHI_LGPKI_DIR: testLgpkiDir(),
    ...(jpkiDir ? { MACHI_JPKI_DIR: jpkiDir } : {}),
    ...env,
  });
}

/** A zone on a fresh test database, with requests sent in-process through `app.inject()`. */
export async function openTestZone(
  definition: ZoneDefinition,
  options: TestZoneOptions = {},
): Promise<RunningZone> {
  const database = await openTestDatabase();
  const zone = await openZone(definition, testConfig(options.municipalities, options.jpkiDir), {
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
