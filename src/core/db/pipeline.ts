import type { CompiledQuery } from 'kysely';
import pg from 'pg';

/** Named prepared statements run in the order they are given (Database.pipelined). */
export interface Pipeline {
  run<Row>(name: string, query: CompiledQuery<Row>): Promise<Row[]>;
  close(): Promise<void>;
}

/**
 * One connection in node-postgres's pipeline mode. A statement is written to the socket when
 * it is given (or, before the connection is open, as soon as it is), behind those not answered
 * yet, each with a Sync of its own: the server runs it, in a transaction of its own, as soon as
 * the one before has ended. A writer that gives its next statement before the one before is
 * answered saves, for each, the round trip and the wait for this process's event loop to read
 * that answer, during which the server would have had nothing to do.
 *
 * A statement the server refuses (an error) does not stop those behind it: the server skips
 * only to the refused one's Sync. A connection that fails fails every statement on it, and the
 * next statement opens another.
 */
export function createPipeline(url: string): Pipeline {
  let client: pg.Client | undefined;

  function connection(): pg.Client {
    if (client) return client;
    const opened = new pg.Client({ connectionString: url, pipeline: true });
    const drop = () => {
      if (client === opened) client = undefined;
    };
    // Every statement on it is failed by node-postgres; without a listener Node would treat
    // the event as an uncaught exception.
    opened.on('error', drop);
    opened.on('end', drop);
    opened.connect().catch(drop);
    client = opened;
    return opened;
  }

  return {
    async run<Row>(name: string, query: CompiledQuery<Row>) {
      const used = connection();
      try {
        const result = await used.query({ name, text: query.sql, values: [...query.parameters] });
        return result.rows as Row[];
      } catch (error) {
        // Dropped at once: node-postgres may fail a statement with the connection before it
        // says the connection has ended, and a statement given meanwhile would fail as well.
        if (lost(error) && client === used) {
          client = undefined;
          used.end().catch(() => undefined);
        }
        throw error;
      }
    },
    async close() {
      const open = client;
      client = undefined;
      await open?.end();
    },
  };
}

/**
 * Whether an error means the connection is gone: anything but the server's answer to one
 * statement (a refusal leaves the connection as it was), or the server ending the session.
 */
function lost(error: unknown): boolean {
  return !(error instanceof pg.DatabaseError) || error.severity === 'FATAL' || error.severity === 'PANIC';
}
