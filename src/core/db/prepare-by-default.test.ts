import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareByDefault } from './prepare-by-default.ts';

const serverUrl = process.env.MACHI_TEST_DATABASE_URL;
const name = `machi_test_${randomBytes(6).toString('hex')}`;
let pool: pg.Pool;

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}

/** A query as Kysely sends it: text and values on a client of the pool, awaited. */
async function query(text: string, values: unknown[] = []) {
  const client = await pool.connect();
  try {
    return await client.query(text, values);
  } finally {
    client.release();
  }
}

/** The statements the pool's one connection has prepared. */
async function preparedHere(): Promise<string[]> {
  const { rows } = await pool.query<{ statement: string }>(
    'select statement from pg_prepared_statements order by prepare_time',
  );
  return rows.map((row) => row.statement);
}

describe.skipIf(!serverUrl)('statements prepared by default (PostgreSQL)', () => {
  beforeAll(async () => {
    await admin(`create database ${name}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
    prepareByDefault(pool);
    await query('create table things (id int primary key, label text)');
  });
  afterAll(async () => {
    await pool?.end();
    await admin(`drop database if exists ${name} with (force)`);
  });

  it('prepares a statement with values once per connection and reuses it', async () => {
    const insert = 'insert into things (id, label) values ($1, $2)';
    for (let id = 1; id <= 3; id++) await query(insert, [id, `thing ${id}`]);
    const { rows } = await query('select label from things where id = $1', [2]);
    expect(rows).toEqual([{ label: 'thing 2' }]);
    const prepared = await preparedHere();
    expect(prepared.filter((text) => text === insert)).toHaveLength(1);
    // Not the table's creation (no values), nor text with no plan.
    expect(prepared.some((text) => text.startsWith('create'))).toBe(false);
  });

  it('answers as before when a table changes shape under a prepared select *', async () => {
    const all = 'select * from things where id = $1';
    expect((await query(all, [1])).rows).toEqual([{ id: 1, label: 'thing 1' }]);
    await query('alter table things add column note text');
    expect((await query(all, [1])).rows).toEqual([{ id: 1, label: 'thing 1', note: null }]);
    expect((await query(all, [2])).rows).toEqual([{ id: 2, label: 'thing 2', note: null }]);
  });

  it('keeps errors as they were', async () => {
    await expect(query('insert into things (id, label) values ($1, $2)', [1, 'again'])).rejects.toMatchObject(
      {
        code: '23505',
      },
    );
    await expect(query('select nothing from things where id = $1', [1])).rejects.toMatchObject({
      code: '42703',
    });
  });
});
