// The resident registry (住民基本台帳): the module's one door. Mounted in the mynumber zone only.

export {
  type BasicFourCheck,
  type BasicFourFields,
  type BasicFourOutcome,
  type BasicFourQuery,
  basicFourOutcomes,
  checkBasicFour,
} from './check/check-basic-four.ts';
export { recordDeath, recordMoveOut } from './events/record-departure.ts';
export { recordMoveIn } from './events/record-move-in.ts';
export { recordMoveWithin } from './events/record-move-within.ts';
export { registerBirth } from './events/register-birth.ts';
export type {
  BirthInput,
  DeathInput,
  EventResult,
  HouseholdChoice,
  MoveInInput,
  MoveOutInput,
  MoveWithinInput,
  NewPerson,
} from './events/types.ts';
export {
  type GenerateResidentsOptions,
  generateResidents,
  generateResidentsCsv,
} from './generate/generate-residents.ts';
export { DEMO_RESIDENTS, type RegistryDemoContext, seedRegistryDemo } from './generate/seed-demo.ts';
export {
  isResidentCode,
  type MyNumber,
  myNumberCheckDigit,
  parseMyNumber,
  parseResidentCode,
  type ResidentCode,
  residentCodeCheckDigit,
} from './identifiers/index.ts';
export {
  HEAD_OF_HOUSEHOLD,
  type ResidentCsvColumn,
  type ResidentCsvRow,
  residentCsvColumns,
  residentCsvHeader,
  residentCsvLine,
} from './import/csv-format.ts';
export {
  type ImportOptions,
  type ImportProgress,
  type ImportRejection,
  type ImportReport,
  importResidents,
} from './import/import-residents.ts';
export { normalizeKana } from './kana.ts';
export { registryMigrations } from './migrations.ts';
export { isPurpose, type Purpose, parsePurpose, purposeCodes, purposes } from './purposes.ts';
export { getPersonByResidentCode } from './queries/get-person.ts';
export { personHistory } from './queries/person-history.ts';
export { personStatuses } from './queries/person-statuses.ts';
export { type PopulationStatistics, populationStatistics } from './queries/population-statistics.ts';
export {
  MAX_PREFILL_MEMBERS,
  PREFILL_PURPOSE,
  type PrefillMember,
  prefillFor,
  type RegistryPrefill,
} from './queries/prefill-for.ts';
export { residenceOn, residentsAt } from './queries/residence-on.ts';
export { type PersonSearch, searchPersons } from './queries/search-persons.ts';
export type * from './queries/types.ts';
export { type ReadRequest, readHistory, readPerson } from './read-record.ts';
export { type RegistryContext, type RegistryDb, registryDb } from './registry-context.ts';
export { registerRegistry } from './routes/register.ts';
export type { RegistryTables } from './tables.ts';
