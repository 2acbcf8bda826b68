import { type Kysely, sql } from 'kysely';

/** One schema change of a module, applied once, in order, inside a transaction. */
export interface Migration {
  /** Sortable and never renamed, e.g. `001-persons`. */
  readonly id: string;
  readonly sql: string;
}

/** A module's migrations, named for the module that owns the tables. */
export interface ModuleMigrations {
  readonly module: string;
  readonly migrations: readonly Migration[];
}

// One number for pg_advisory_xact_lock, so two processes starting at once do not race.
const MIGRATION_LOCK = 7_202_611;

/** Applies every pending migration of each module, in the order given. Returns the ids applied. */
// biome-ignore lint/suspicious/noExplicitAny: migrations touch tables no module type describes.
export async function migrate(db: Kysely<any>, modules: readonly ModuleMigrations[]): Promise<string[]> {
  await sql`create table if not exists machi_migrations (
    module text not null,
    id text not null,
    applied_at timestamptz not null default now(),
    primary key (module, id)
  )`.execute(db);
  const applied: string[] = [];
  for (const { module, migrations } of modules) {
    for (const migration of migrations) {
      await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
        const done = await sql<{ id: string }>`
          select id from machi_migrations where module = ${module} and id = ${migration.id}`.execute(trx);
        if (done.rows.length > 0) return;
        await sql.raw(migration.sql).execute(trx);
        await sql`insert into machi_migrations (module, id) values (${module}, ${migration.id})`.execute(trx);
        applied.push(`${module}/${migration.id}`);
      });
    }
  }
  return applied;
}
