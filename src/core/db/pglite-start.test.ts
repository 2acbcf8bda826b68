import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPGlite } from './pglite-start.ts';

const dir = mkdtempSync(join(tmpdir(), 'machi-pglite-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startPGlite', () => {
  it('starts clusters asked for in the same turn from one initdb, each its own, and reopens one', async () => {
    const dirs = ['a', 'b', 'c'].map((name) => join(dir, name));
    const started = await Promise.all(dirs.map((one) => startPGlite(one, {})));
    for (const [index, pglite] of started.entries()) {
      await pglite.exec(`create table mark (n int); insert into mark values (${index})`);
    }
    for (const [index, pglite] of started.entries()) {
      const { rows } = await pglite.query<{ n: number }>('select n from mark');
      expect(rows).toEqual([{ n: index }]);
      await pglite.close();
    }
    // A directory that holds a cluster starts as it is, with its data.
    const again = await startPGlite(dirs[1], {});
    expect((await again.query<{ n: number }>('select n from mark')).rows).toEqual([{ n: 1 }]);
    await again.close();
  }, 60_000);
});
