import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind } from '../../../test/support/database.ts';
import type { Database } from './database.ts';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
  await sql`create table pipelined_rows (id text primary key, pos int not null)`.execute(database.db);
});
afterAll(async () => {
  await database?.close();
});

/** Inserts `id` after the rows there are: its position tells in which order the statements ran. */
const insert = (id: string) =>
  database.pipelined(
    'test_pipelined_insert',
    CompiledQuery.raw(
      `insert into pipelined_rows (id, pos)
       select $1, count(*) + 1 from pipelined_rows returning pos`,
      [id],
    ) as CompiledQuery<{ pos: number }>,
  );

const pidNow = () =>
  database.pipelined(
    'test_pipelined_pid',
    CompiledQuery.raw('select pg_backend_pid() as pid') as CompiledQuery<{ pid: number }>,
  );

describe('statements given to pipelined', () => {
  it('run in the order given, each on its own: one refused does not stop those behind it', async () => {
    // All given at once, before any is answered.
    const results = await Promise.allSettled([insert('a'), insert('b'), insert('a'), insert('c')]);
    expect(
      results.map((result) => (result.status === 'fulfilled' ? result.value : result.reason.code)),
    ).toEqual([[{ pos: 1 }], [{ pos: 2 }], '23505', [{ pos: 3 }]]);
    const rows = await sql<{ id: string }>`select id from pipelined_rows order by pos`.execute(database.db);
    expect(rows.rows.map((row) => row.id)).toEqual(['a', 'b', 'c']);
  });

  it.skipIf(testDatabaseKind() !== 'postgres')(
    'open another connection when the server ends theirs',
    async () => {
      const [before] = await pidNow();
      const admin = new pg.Client({ connectionString: process.env.MACHI_TEST_DATABASE_URL });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [before?.pid]);
      await admin.end();
      // Given before the client has heard of it, a statement fails with its connection; the
      // next opens another.
      await pidNow().catch(() => undefined);
      const [after] = await pidNow();
      expect(after?.pid).not.toBe(before?.pid);
      expect(await insert('d')).toEqual([{ pos: 4 }]);
    },
  );

  it.skipIf(testDatabaseKind() !== 'postgres')(
    'give a statement another connection the moment one fails with theirs',
    async () => {
      const [before] = await pidNow();
      // The session ends itself: its statement fails before node-postgres has heard that the
      // connection ended, and the next is given at that moment.
      const ended = database.pipelined(
        'test_pipelined_end',
        CompiledQuery.raw('select pg_terminate_backend(pg_backend_pid())'),
      );
      const [after] = await ended.then(
        () => [{ pid: before?.pid }],
        () => pidNow(),
      );
      expect(after?.pid).not.toBe(before?.pid);
    },
  );
});
