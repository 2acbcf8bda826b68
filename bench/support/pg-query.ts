import { existsSync } from 'node:fs';
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

/** The local PostgreSQL socket when there is one (what a server on the same host uses), else TCP. */
export function defaultServerUrl(): string {
  return existsSync('/var/run/postgresql/.s.PGSQL.5432')
    ? 'postgres://postgres@localhost/postgres?host=/var/run/postgresql'
    : 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** The URL of database `name` on the server at `server`. */
export function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}
