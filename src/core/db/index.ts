export { coalescedReads } from './coalesced-reads.ts';
export { type Database, type DatabaseOptions, openDatabase } from './database.ts';
export { fixedQuery } from './fixed-query.ts';
export { type GroupWriterOptions, groupWriter } from './group-writer.ts';
export { arraysOf, fromJsonRows, type JsonRowColumns, jsonRows } from './json-rows.ts';
export { type Migration, type ModuleMigrations, migrate } from './migrate.ts';
export { isUniqueViolation } from './unique-violation.ts';
