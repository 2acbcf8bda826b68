import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { csvField, type Database, isUniqueViolation, type LgCode } from '../../../core/index.ts';
import type { ChunkBuffer } from './chunk-buffer.ts';
import type { ValidRow } from './validate-row.ts';

const PERSON_COLUMNS =
  'registry_persons (municipality_code, person_id, resident_code, my_number, family_name, given_name, ' +
  'family_name_kana, given_name_kana, sex, birth_date, postal_code, address, household_id, relationship, ' +
  'status, address_since)';
const HOUSEHOLD_COLUMNS = 'registry_households (municipality_code, household_id, head_person_id, created_on)';
const RESIDENCE_COLUMNS =
  'registry_residences (municipality_code, person_id, valid_from, valid_to, address, household_id)';

// In COPY's CSV format an unquoted empty field is NULL: an absent postal code and an open
// residence period (valid_to) are written that way. Kana, codes and dates need no quoting.
export function personLine(code: LgCode, personId: string, householdId: string, row: ValidRow): string {
  return `${code},${personId},${row.residentCode},${row.myNumber},${csvField(row.familyName)},${csvField(row.givenName)},${row.familyNameKana},${row.givenNameKana},${row.sex},${row.birthDate},${row.postalCode},${csvField(row.address)},${householdId},${csvField(row.relationship)},resident,${row.addressSince}\n`;
}

export function residenceLine(code: LgCode, personId: string, householdId: string, row: ValidRow): string {
  return `${code},${personId},${row.addressSince},,${csvField(row.address)},${householdId}\n`;
}

export function householdLine(code: LgCode, personId: string, householdId: string, row: ValidRow): string {
  return `${code},${householdId},${personId},${row.addressSince}\n`;
}

/** A row of the chunk refused by the database check, by its index in the chunk. */
export interface RefusedRow {
  readonly index: number;
  readonly reason: string;
}

/**
 * Writes one chunk of persons with their residence periods and, for the heads in it, their
 * households. Returns the chunk as written and the rows refused.
 *
 * Duplicates against rows already in the registry: the COPY is tried optimistically (one
 * statement, so it fails as a whole on a unique violation and writes nothing). Only a chunk
 * that fails looks its codes up with one indexed query, drops the rows already registered and
 * copies again — a fresh registry pays nothing for the check.
 */
export async function writeChunk(database: Database, code: LgCode, chunk: ChunkBuffer) {
  let rows = chunk;
  const refused: { line: number; household: number; head: boolean; reason: string }[] = [];
  for (let attempt = 0; rows.size > 0; attempt++) {
    try {
      await database.copyIn(PERSON_COLUMNS, Readable.from([rows.personsCsv()]));
      break;
    } catch (error) {
      // A second failure after dropping the known duplicates means someone wrote the same
      // codes meanwhile (or an id collided); try again, but not for ever.
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
      const clash = await findRegistered(database, code, rows);
      const drop = new Set<number>();
      for (let i = 0; i < rows.size; i++) {
        const reason = clash.residentCodes.has(rows.residentCodes[i]!)
          ? 'resident_code is already registered'
          : clash.myNumbers.has(rows.myNumbers[i]!)
            ? 'my_number is already registered'
            : undefined;
        if (!reason) continue;
        drop.add(i);
        refused.push({ line: rows.lines[i]!, household: rows.households[i]!, head: rows.heads[i]!, reason });
      }
      rows = rows.without(drop);
    }
  }
  if (rows.size > 0) {
    await Promise.all([
      database.copyIn(RESIDENCE_COLUMNS, Readable.from([rows.residencesCsv()])),
      rows.householdLines.length > 0
        ? database.copyIn(HOUSEHOLD_COLUMNS, Readable.from([rows.householdLines.join('')]))
        : Promise.resolve(0),
    ]);
  }
  return { written: rows.size, refused };
}

async function findRegistered(database: Database, code: LgCode, rows: ChunkBuffer) {
  const residentCodes = rows.residentCodes.map((n) => String(n).padStart(11, '0'));
  const myNumbers = rows.myNumbers.map((n) => String(n).padStart(12, '0'));
  const found = await sql<{ resident_code: string; my_number: string }>`
    select resident_code, my_number from registry_persons
    where municipality_code = ${code}
      and (resident_code = any(${residentCodes}::bpchar[]) or my_number = any(${myNumbers}::bpchar[]))`.execute(
    database.db,
  );
  return {
    residentCodes: new Set(found.rows.map((r) => Number(r.resident_code))),
    myNumbers: new Set(found.rows.map((r) => Number(r.my_number))),
  };
}

/**
 * Households whose head was refused (or never listed) still get their row, without a head,
 * so that every household_id in registry_persons names a household.
 */
export async function insertHeadlessHouseholds(
  database: Database,
  code: LgCode,
  householdIds: readonly string[],
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < householdIds.length; i += 5000) {
    const ids = householdIds.slice(i, i + 5000);
    const result = await sql`
      insert into registry_households (municipality_code, household_id, head_person_id, created_on)
      select municipality_code, household_id, null, min(address_since) from registry_persons
      where municipality_code = ${code} and household_id = any(${ids}::uuid[])
      group by municipality_code, household_id`.execute(database.db);
    inserted += Number(result.numAffectedRows ?? 0);
  }
  return inserted;
}
