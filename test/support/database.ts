import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/core/index.ts';

/**
 * A fresh, empty database for one test file: in-memory PGlite by default, or a
 * new database on the PostgreSQL server named by MACHI_TEST_DATABASE_URL (dropped
 * on close). The same suite runs on both (CI runs it twice).
 */
export async function openTestDatabase(): Promise<Database> {
  const serverUrl = process.env.MACHI_TEST_DATABASE_URL;
  if (!serverUrl) return openDatabase();
  const name = `machi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 5 });
  return {
    ...database,
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export function testDatabaseKind(): 'pglite' | 'postgres' {
  return process.env.MACHI_TEST_DATABASE_URL ? 'postgres' : 'pglite';
}
