import pg from 'pg';

/** One statement on its own connection to the PostgreSQL server at `url` (bench set-up and checks). */
export async function query<T>(url: string, statement: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement)).rows as T[];
  } finally {
    await client.end();
  }
}
