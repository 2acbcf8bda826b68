import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind } from '../../../test/support/database.ts';
import { openDatabase } from './database.ts';

const serverUrl = process.env.MACHI_TEST_DATABASE_URL;

describe.skipIf(testDatabaseKind() !== 'postgres')('a database on a PostgreSQL server', () => {
  it('outlives an idle connection the server ends, and answers the next query', async () => {
    const database = await openTestDatabase();
    const unexpected: unknown[] = [];
    const record = (error: unknown) => unexpected.push(error);
    process.on('uncaughtException', record);
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db);
      const pid = rows[0]?.pid;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await admin.end();
      // The termination reaches the idle connection as an error event on the pool.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(again.rows).toEqual([{ one: 1 }]);
      expect(unexpected).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
      await database.close();
    }
  });

  it('has closed every connection when close() returns, so the database can be dropped at once', async () => {
    const name = `machi_close_${process.pid}_${Date.now()}`;
    const url = new URL(serverUrl ?? '');
    url.searchParams.set('application_name', name);
    const database = await openDatabase({ url: url.toString(), poolSize: 5 });
    // Five connections busy at once, all idle in the pool when it closes.
    await Promise.all(Array.from({ length: 5 }, () => sql`select pg_sleep(0.05)`.execute(database.db)));
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await database.close();
    const left = await admin.query(
      'select count(*)::int as n from pg_stat_activity where application_name = $1',
      [name],
    );
    await admin.end();
    expect(left.rows[0].n).toBe(0);
  });

  it('keeps its connection when the server refuses a prepared statement, as a unique violation', async () => {
    const url = new URL(serverUrl ?? '');
    const database = await openDatabase({ url: url.toString(), poolSize: 1 });
    try {
      await sql`create temporary table once (id int primary key)`.execute(database.db);
      const insert = CompiledQuery.raw('insert into once (id) values ($1)', [1]);
      const pid = CompiledQuery.raw('select pg_backend_pid() as pid') as CompiledQuery<{ pid: number }>;
      const [before] = await database.prepared('test_pid', pid);
      await database.prepared('test_insert', insert);
      await expect(database.prepared('test_insert', insert)).rejects.toMatchObject({ code: '23505' });
      // The same backend (a new one would have lost the temporary table too), still working.
      expect(await database.prepared('test_pid', pid)).toEqual([before]);
      expect(
        await database.prepared('test_count', CompiledQuery.raw('select count(*)::int as n from once')),
      ).toEqual([{ n: 1 }]);
    } finally {
      await database.close();
    }
  });
});
