import type { Readable } from 'node:stream';
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PGliteDialect } from './pglite-dialect.ts';
import { startPGlite } from './pglite-start.ts';
import { createPipeline } from './pipeline.ts';

/**
 * A zone's database: PostgreSQL through Kysely, on PGlite (embedded) or a real
 * server. Module code sees only `db`; `copyIn` is the bulk-load door that the
 * registry import uses, because COPY is the fastest way into PostgreSQL.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  // biome-ignore lint/suspicious/noExplicitAny: each module narrows this to its own tables.
  readonly db: Kysely<any>;
  /** Streams CSV text into `COPY <target> FROM STDIN (FORMAT csv)`. Returns rows copied. */
  copyIn(target: string, csv: Readable): Promise<number>;
  /**
   * Runs `query` as a named prepared statement on a PostgreSQL server: parsed and planned
   * once per connection instead of on every call. For hot statements outside any
   * transaction (it takes a connection of its own), whose SQL text never changes: a name must
   * always come with the same text. Why: planning the registry's indexed lookups, or a points
   * batch's write, costs the server as much as running them.
   * On PGlite it runs as any other query.
   */
  prepared<Row>(name: string, query: CompiledQuery<Row>): Promise<Row[]>;
  /**
   * Runs `query` as `prepared` does, but on the one connection whose statements run in the
   * order given (pipeline.ts): sent at once, when called, even while those given before are
   * still running, and run by the server as soon as they end, each in a transaction of its own.
   * For a writer whose next statement may be sent before the one before it is answered: a
   * points batch's write while the one before it commits. On PGlite, run after those given
   * before.
   */
  pipelined<Row>(name: string, query: CompiledQuery<Row>): Promise<Row[]>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… connection string; when absent, PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; when absent, PGlite runs in memory. */
  dataDir?: string | undefined;
  /** Pool size for a PostgreSQL server. */
  poolSize?: number;
}

// PostgreSQL int8 and numeric come back as strings by default; our counters fit in a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
// A `date` is a calendar day with no time zone: keep it as 'YYYY-MM-DD' instead of a
// JS Date at local midnight, which shifts a day when the server is not in Asia/Tokyo.
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (value) => value);

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPGlite(options.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server ends (a restart, pg_terminate_backend, DROP DATABASE …
  // WITH (FORCE)) is reported on the pool, which has already dropped it: the next query opens
  // another. Without a listener Node treats the event as an uncaught exception and the zone dies.
  pool.on('error', () => {});
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(db);
  const pipeline = createPipeline(url);
  return {
    kind: 'postgres',
    db,
    async prepared<Row>(name: string, query: CompiledQuery<Row>) {
      // Not pool.query: it closes the connection after any error, and a statement the server
      // refused (a unique violation, as an audit chain's head that moved) leaves the connection
      // as good as before. A new one cost the server a backend's start and its catalog caches:
      // in the photo benchmark, a quarter of the machine went to backends started and ended.
      const client = await pool.connect();
      try {
        const result = await client.query({ name, text: query.sql, values: [...query.parameters] });
        client.release();
        return result.rows as Row[];
      } catch (error) {
        client.release(error instanceof pg.DatabaseError ? undefined : (error as Error));
        throw error;
      }
    },
    pipelined<Row>(name: string, query: CompiledQuery<Row>) {
      return pipeline.run(name, query);
    },
    async copyIn(target, csv) {
      const client = await pool.connect();
      try {
        const sink = client.query(copyFrom(`copy ${target} from stdin with (format csv)`));
        await new Promise<void>((resolve, reject) => {
          csv.once('error', reject);
          sink.once('error', reject);
          sink.once('finish', () => resolve());
          csv.pipe(sink);
        });
        return Number(sink.rowCount ?? 0);
      } finally {
        client.release();
      }
    },
    async close() {
      await pipeline.close();
      // pg-pool's end() resolves once its clients are told to end, before their connections
      // close; wait for each one, so that whoever closes us can drop the database at once.
      let open = pool.totalCount;
      const closed = new Promise<void>((resolve) => {
        if (open === 0) resolve();
        pool.on('remove', () => {
          open -= 1;
          if (open <= 0) resolve();
        });
      });
      await db.destroy();
      await closed;
    },
  };
}

async function openPGlite(dataDir: string | undefined): Promise<Database> {
  const pglite = await startPGlite(dataDir, { parsers: { [DATE_OID]: (value: string) => value } });
  const db = new Kysely({ dialect: new PGliteDialect(pglite) });
  // The statements given to `pipelined`, one after another in the order given.
  let pipelineTail: Promise<unknown> = Promise.resolve();
  return {
    kind: 'pglite',
    db,
    async prepared<Row>(_name: string, query: CompiledQuery<Row>) {
      return (await db.executeQuery(query)).rows;
    },
    pipelined<Row>(_name: string, query: CompiledQuery<Row>) {
      const run = pipelineTail.then(async () => (await db.executeQuery(query)).rows);
      pipelineTail = run.catch(() => undefined);
      return run;
    },
    async copyIn(target, csv) {
      // PGlite reads COPY input from a Blob at the virtual path /dev/blob, so the
      // stream is cut into chunks of whole lines; each chunk is one COPY.
      let copied = 0;
      const flush = async (parts: Buffer[]) => {
        const blob = new Blob(parts as unknown as BlobPart[]);
        const result = await pglite.query(`copy ${target} from '/dev/blob' with (format csv)`, [], { blob });
        copied += result.affectedRows ?? 0;
      };
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      for await (const chunk of csv) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
        pending.push(buffer);
        pendingBytes += buffer.length;
        if (pendingBytes > 8 * 1024 * 1024) {
          await flush(pending);
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pending.length > 0) await flush(pending);
      return copied;
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
