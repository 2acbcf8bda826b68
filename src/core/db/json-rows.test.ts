import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/database.ts';
import type { Database } from './database.ts';
import { fromJsonRows, type JsonRowColumns, jsonRows } from './json-rows.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const columns: JsonRowColumns = [
  ['id', 'text'],
  ['n', 'bigint'],
  ['small', 'smallint'],
  ['on_day', 'date'],
  ['at', 'timestamptz'],
  ['code', 'char(6)'],
  ['details', 'jsonb'],
];

describe('rows sent as one JSON parameter of arrays', () => {
  it('reads back each column in its type, nulls as NULL, whatever the key order of the objects', async () => {
    const rows = [
      {
        details: { b: 1, a: 'x' },
        id: 'pay:"quoted"\\back',
        n: 9_007_199_254_740_991,
        small: 2,
        on_day: '2027-03-31',
        at: '2026-12-04T20:30:00.123Z',
        code: '131016',
      },
      { id: '住民 ポイント', n: -5, small: null, on_day: null, at: null, code: null, details: null },
      // A column the object lacks is sent as null.
      { id: 'missing' },
    ];
    const result = await sql<Record<string, unknown>>`
      select id, n::text as n, small, on_day::text as on_day, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') as at,
        code, details, pg_typeof(n)::text as n_type, pg_typeof(small)::text as small_type
      from (${fromJsonRows(columns, sql`${jsonRows(columns, rows)}::jsonb`)}) as r`.execute(database.db);
    // The types are the columns' whatever the values, NULL included.
    const types = { n_type: 'bigint', small_type: 'smallint' };
    const nulls = { small: null, on_day: null, at: null, code: null, details: null, ...types };
    expect(result.rows).toEqual([
      {
        id: 'pay:"quoted"\\back',
        n: '9007199254740991',
        small: 2,
        on_day: '2027-03-31',
        at: '2026-12-04T20:30:00.123',
        code: '131016',
        details: { a: 'x', b: 1 },
        ...types,
      },
      { id: '住民 ポイント', n: '-5', ...nulls },
      { id: 'missing', n: null, ...nulls },
    ]);
  });

  it('refuses a value that is not of its column type, as a cast would', async () => {
    const rows = [{ id: 'a', n: 'twelve' }];
    await expect(
      sql`select * from (${fromJsonRows(columns, sql`${jsonRows(columns, rows)}::jsonb`)}) as r`.execute(
        database.db,
      ),
    ).rejects.toThrow(/invalid input syntax for type bigint/);
  });

  it('has no rows for an empty array or a NULL one', async () => {
    const empty = await sql`select * from (${fromJsonRows(columns, sql`'[]'::jsonb`)}) as r`.execute(
      database.db,
    );
    const none = await sql`select * from (${fromJsonRows(columns, sql`null::jsonb`)}) as r`.execute(
      database.db,
    );
    expect([empty.rows.length, none.rows.length]).toEqual([0, 0]);
  });
});
