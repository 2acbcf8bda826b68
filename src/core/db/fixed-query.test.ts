import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/database.ts';
import type { Database } from './database.ts';
import { fixedQuery } from './fixed-query.ts';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
  await sql`create table fq_items (shelf text not null, code text not null, qty int not null)`.execute(
    database.db,
  );
  await sql`insert into fq_items values ('a', 'x', 1), ('a', 'y', 2), ('b', 'x', 3), ('b', 'z', 4)`.execute(
    database.db,
  );
});
afterAll(async () => {
  await database?.close();
});

describe('fixedQuery', () => {
  let builds = 0;
  const itemsOnShelf = fixedQuery('fq_items_on_shelf', (db, shelf: string, atLeast: number) => {
    builds++;
    return db
      .selectFrom('fq_items')
      .select(['code', 'qty'])
      .where('shelf', '=', shelf)
      .where('qty', '>=', atLeast)
      .where('code', '<>', 'never') // a constant of the query, kept as it was built
      .orderBy('code');
  });

  it('builds once and runs each call with that call’s arguments, in any order of use', async () => {
    expect(await itemsOnShelf(database, 'a', 0)).toEqual([
      { code: 'x', qty: 1 },
      { code: 'y', qty: 2 },
    ]);
    expect(await itemsOnShelf(database, 'b', 4)).toEqual([{ code: 'z', qty: 4 }]);
    const many = await Promise.all(
      ['a', 'b', 'a', 'b'].map((shelf, i) => itemsOnShelf(database, shelf, i % 2 ? 3 : 2)),
    );
    expect(many.map((rows) => rows.map((row) => row.code))).toEqual([['y'], ['x', 'z'], ['y'], ['x', 'z']]);
    expect(builds).toBe(1);
  });

  it('passes values as parameters, never into the SQL text', async () => {
    expect(await itemsOnShelf(database, "a' or '1'='1", 0)).toEqual([]);
  });
});
