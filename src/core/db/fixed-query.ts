import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './database.ts';

/** Stands for the i-th argument while the query is compiled once. */
class Slot {
  constructor(readonly index: number) {}
}

type Parameter = { readonly slot: number } | { readonly value: unknown };

/**
 * A hot query whose SQL never changes: built and compiled by Kysely once, then run as a
 * named prepared statement (see `Database.prepared`) with only its parameters changing.
 * Why: building a Kysely query costs the process more CPU than the server spends on an
 * indexed lookup, and the resident lookup does it on every request.
 *
 * Careful: `build` runs once, with stand-ins for its arguments. It may only pass them to
 * the query as values (`where(column, '=', arg)`); it must not branch on them or
 * transform them, or every later call would run the first call's SQL.
 */
export function fixedQuery<Args extends readonly unknown[], Row>(
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: each module brings its own table types.
  build: (db: Kysely<any>, ...args: Args) => Compilable<Row>,
): (database: Database, ...args: Args) => Promise<Row[]> {
  let template: { compiled: CompiledQuery<Row>; parameters: readonly Parameter[] } | undefined;
  return (database, ...args) => {
    if (!template) {
      const slots = args.map((_, index) => new Slot(index)) as unknown as Args;
      const compiled = build(database.db, ...slots).compile();
      template = {
        compiled,
        parameters: compiled.parameters.map((value) =>
          value instanceof Slot ? { slot: value.index } : { value },
        ),
      };
    }
    const parameters = template.parameters.map((p) => ('slot' in p ? args[p.slot] : p.value));
    return database.prepared(name, { ...template.compiled, parameters });
  };
}
