import { hash } from 'node:crypto';
import type pg from 'pg';

/**
 * Most statements one connection keeps prepared; any more go unnamed, parsed and planned
 * each time as before. The zones' queries come from a few hundred code paths.
 */
const MAX_PER_CONNECTION = 512;
/** Longer texts are mostly built per call (a list of values of its own length) and do not repeat. */
const MAX_TEXT = 4096;
const PLANNED = /^\s*(select|insert|update|delete|with)\b/i;
/** PostgreSQL's answer when a table changed shape under a prepared `select *` (feature_not_supported). */
const RESULT_TYPE_CHANGED = 'cached plan must not change result type';

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Has every connection of `pool` prepare the statements it is given (a name per text), so
 * that PostgreSQL parses and plans each once per connection instead of on every call: for
 * the short statements of a request that was most of the server's CPU (pgbench -S on the
 * same machine: 28k statements/s unnamed, 52k prepared). Kysely sends text and values;
 * only that form is named, and only statements that are planned.
 */
export function prepareByDefault(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as Query;
    const named = new Set<string>();
    /** Texts this connection must not prepare: a table changed shape under them. */
    const unnamed = new Set<string>();
    const replacement: Query = (config, values, callback) => {
      if (
        typeof config !== 'string' ||
        !Array.isArray(values) ||
        callback !== undefined ||
        config.length > MAX_TEXT ||
        unnamed.has(config) ||
        !PLANNED.test(config)
      ) {
        return query(config, values, callback);
      }
      const name = `m_${hash('sha1', config, 'base64url')}`;
      if (!named.has(name) && named.size >= MAX_PER_CONNECTION) return query(config, values);
      named.add(name);
      return (query({ name, text: config, values }) as Promise<unknown>).catch((error: unknown) => {
        if (!(error instanceof Error && error.message.includes(RESULT_TYPE_CHANGED))) throw error;
        // A table changed shape since this connection prepared the text (a migration while
        // the pool was open, as tests do): it goes unnamed from now on, and this call again
        // so. Inside a transaction the error has aborted it, and the retry fails: the first
        // error is the one to tell.
        unnamed.add(config);
        return (query(config, values) as Promise<unknown>).catch(() => {
          throw error;
        });
      });
    };
    client.query = replacement as typeof client.query;
  });
}
