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

const testDirs = new Map<string, string>();

/**
 * One directory of a kind per test process, made on first use and removed at exit: the
 * LGPKI-like keys (made on the first decision), the internet zone's files (uploads).
 */
export function testDir(kind: 'lgpki' | 'files'): string {
  let dir = testDirs.get(kind);
  if (!dir) {
    const made = mkdtempSync(join(tmpdir(), `machi-${kind}-`));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    testDirs.set(kind, made);
    dir = made;
  }
  return dir;
}

export function testConfig(
  municipalities: readonly string[] = ['131016', '011002'],
  jpkiDir?: string,
  env: Record<string, string> = {},
): MachiConfig {
  return loadConfig({
    MACHI_MUNICIPALITIES: municipalities.join(','),
    MACHI_DATA_DIR: '/nonexistent',
    MACHI_LGPKI_DIR: testDir('lgpki'),
    MACHI_INTERNET_FILES_DIR: join(testDir('files'), 'internet'),
    MACHI_LGWAN_FILES_DIR: join(testDir('files'), 'lgwan'),
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
