export { type Database, type DatabaseOptions, openDatabase } from './database.ts';
export { type Migration, type ModuleMigrations, migrate } from './migrate.ts';
