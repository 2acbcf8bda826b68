// The shared kernel. Modules import from here; core imports nothing of ours.
export type { ZoneContext } from './app/zone-context.ts';
export * from './audit/index.ts';
export { type Clock, fixedClock, systemClock } from './clock.ts';
export * from './config/index.ts';
export { csvField, spreadsheetCsv } from './csv.ts';
export * from './db/index.ts';
export * from './errors/index.ts';
export * from './files/index.ts';
export * from './html/index.ts';
export * from './http/index.ts';
export * from './japanese/index.ts';
export { onePer } from './one-per.ts';
export * from './tenancy/index.ts';
