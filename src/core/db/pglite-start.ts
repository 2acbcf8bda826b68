import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

type Wake = (template: Blob | undefined) => void;

/** Those waiting for the fresh cluster being made now, if one is. */
let making: { readonly waiting: Wake[] } | undefined;

/**
 * Starts PGlite on `dataDir` (in memory without one). A directory that holds a cluster starts
 * as it is. A fresh cluster costs initdb, seconds of WebAssembly on the one thread it shares
 * with everything else (on a 2-core machine ~3 s in memory, ~4–5 s on disk), and `machi start`
 * makes three at once. So when several start in the same turn of the event loop, one initdb
 * runs, in memory, and each of them starts from a copy of its files (~1.3 s each). Alone, a
 * fresh cluster is made as usual.
 */
export async function startPGlite(dataDir: string | undefined, options: PGliteOptions): Promise<PGlite> {
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    if (existsSync(join(dataDir, 'PG_VERSION'))) return PGlite.create({ ...options, dataDir });
  }
  const target = dataDir ? { ...options, dataDir } : options;
  if (making) {
    const template = await new Promise<Blob | undefined>((wake) => making?.waiting.push(wake));
    return PGlite.create(template ? { ...target, loadDataDir: template } : target);
  }
  const mine = { waiting: [] as Wake[] };
  making = mine;
  let template: Blob | undefined;
  try {
    // Let the others that start in this turn join first.
    await new Promise((resolve) => setImmediate(resolve));
    if (mine.waiting.length === 0) return await PGlite.create(target);
    template = await freshClusterFiles().catch(() => undefined);
  } finally {
    making = undefined;
    // Without a copy (initdb failed), each runs initdb itself.
    for (const wake of mine.waiting) wake(template);
  }
  return PGlite.create(template ? { ...target, loadDataDir: template } : target);
}

/** The files of a cluster just made by initdb, as PGlite's `loadDataDir` takes them. */
async function freshClusterFiles(): Promise<Blob> {
  const scratch = await PGlite.create();
  try {
    return await scratch.dumpDataDir('none');
  } finally {
    await scratch.close();
  }
}
