import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/core/index.ts';
import { initPki } from '../../src/modules/jpki/index.ts';

/**
 * A JPKI of its own for one test file, in a temporary directory (five RSA-2048 keys:
 * about a second). Pass `dir` as `jpkiDir` to openTestZone; `remove` when done.
 */
export async function createTestPki(): Promise<{ dir: string; remove: () => void }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'machi-test-pki-')), 'jpki');
  await initPki(
    loadConfig({ MACHI_JPKI_DIR: dir }).jpki,
    'Machi JPKI (test)',
    new Date(Date.now() - 86_400_000),
  );
  return { dir, remove: () => rmSync(join(dir, '..'), { recursive: true, force: true }) };
}
