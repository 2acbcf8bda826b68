import {
  type AuditLog,
  type Clock,
  type Database,
  MachiError,
  systemClock,
  type TenantScope,
  todayInTokyo,
} from '../../../core/index.ts';
import { ChunkBuffer } from './chunk-buffer.ts';
import { HEAD_OF_HOUSEHOLD } from './csv-format.ts';
import { type CsvSource, readCsvRecords } from './csv-records.ts';
import { LineNumberSet } from './number-set.ts';
import { TimeOrderedIds } from './time-ordered-ids.ts';
import { type ColumnIndex, readHeader, validateRow } from './validate-row.ts';
import {
  householdLine,
  insertHeadlessHouseholds,
  personLine,
  residenceLine,
  writeChunk,
} from './write-chunk.ts';

/** A refused row: where, and why — never the values themselves (they are personal data). */
export interface ImportRejection {
  readonly line: number;
  readonly reason: string;
}

export interface ImportProgress {
  /** Data rows read so far (the header not counted). */
  readonly rowsRead: number;
  readonly imported: number;
  readonly rejected: number;
}

export interface ImportReport extends ImportProgress {
  /** Up to `maxListedRejections` refused rows (the first found), sorted by line; `rejected` counts all. */
  readonly rejections: readonly ImportRejection[];
  readonly households: number;
  /** Households created without a head because their 世帯主 row was refused or absent. */
  readonly householdsWithoutHead: number;
}

export interface ImportOptions {
  /** The zone's audit log: one `registry.import` entry with counts only. */
  readonly audit: AuditLog;
  /** Who imports, for the audit entry, e.g. `staff:<uuid>` or `cli:<user>`. */
  readonly actor?: string;
  readonly clock?: Clock;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Rows per COPY. ~10,000 rows is ~2 MB: big enough to amortise a round trip, small in memory. */
  readonly chunkRows?: number;
  readonly maxListedRejections?: number;
}

// Flattens a substring: V8 keeps short slices of a large string as views onto it, and a
// household key kept in the map below would otherwise pin the whole read chunk.
const flatten = (text: string) => (text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8'));

/**
 * Imports residents from the resident CSV (see csv-format.ts) into the registry of one
 * municipality. Streams: memory stays flat however large the file is, because the reader
 * waits while a chunk is written (back-pressure through the async iterator).
 *
 * Good rows are kept and bad ones reported by line; chunks are committed as they go, so an
 * import stopped halfway keeps the chunks already written (re-running it refuses those rows
 * as already registered and adds the rest).
 */
export async function importResidents(
  database: Database,
  scope: TenantScope,
  csv: CsvSource,
  options: ImportOptions,
): Promise<ImportReport> {
  const code = scope.municipalityCode;
  const clock = options.clock ?? systemClock;
  const today = todayInTokyo(clock);
  const chunkRows = options.chunkRows ?? 10_000;
  const maxListed = options.maxListedRejections ?? 1000;
  const personIds = new TimeOrderedIds(clock.now());
  const householdIds = new TimeOrderedIds(clock.now());
  const householdByKey = new Map<string, number>();
  let headLine = new Int32Array(1024);
  const residentCodes = new LineNumberSet();
  const myNumbers = new LineNumberSet();
  const rejections: ImportRejection[] = [];
  let rowsRead = 0;
  let imported = 0;
  let rejected = 0;
  let columns: ColumnIndex | undefined;
  let chunk = new ChunkBuffer();
  let writing: Promise<void> | undefined;

  const reject = (line: number, reason: string) => {
    rejected++;
    if (rejections.length < maxListed) rejections.push({ line, reason });
  };

  const write = async (rows: ChunkBuffer) => {
    const outcome = await writeChunk(database, code, rows);
    imported += outcome.written;
    for (const { line, household, head, reason } of outcome.refused) {
      reject(line, reason);
      if (head && headLine[household] === line) headLine[household] = 0;
    }
  };

  // One chunk is written while the next is read and checked: parsing and PostgreSQL's work
  // overlap, and at most two chunks are ever held.
  let spare: ChunkBuffer | undefined;
  const startWrite = async () => {
    const rows = chunk;
    await writing;
    chunk = spare ?? new ChunkBuffer();
    spare = undefined;
    // COPY has returned only once the server read every byte, so the buffers can be refilled.
    writing = write(rows).then(() => {
      rows.reset();
      spare = rows;
    });
    writing.catch(() => {}); // awaited above or at the end; avoids an "unhandled rejection" meanwhile
  };

  const accept = (line: number, fields: string[]) => {
    if (!columns) {
      columns = readHeader(fields);
      return;
    }
    rowsRead++;
    const row = validateRow(fields, columns, today);
    if (typeof row === 'string') return reject(line, row);
    const residentCode = Number(row.residentCode);
    const firstCode = residentCodes.addOrGet(residentCode, line);
    if (firstCode !== 0) return reject(line, `resident_code already appears on line ${firstCode}`);
    const myNumber = Number(row.myNumber);
    const firstNumber = myNumbers.addOrGet(myNumber, line);
    if (firstNumber !== 0) {
      residentCodes.delete(residentCode);
      return reject(line, `my_number already appears on line ${firstNumber}`);
    }
    let household = householdByKey.get(row.householdKey);
    if (household === undefined) {
      household = householdByKey.size;
      householdByKey.set(flatten(row.householdKey), household);
      if (household >= headLine.length) {
        const grown = new Int32Array(headLine.length * 2);
        grown.set(headLine);
        headLine = grown;
      }
    }
    const head = row.relationship === HEAD_OF_HOUSEHOLD;
    if (head) {
      if (headLine[household] !== 0) {
        residentCodes.delete(residentCode);
        myNumbers.delete(myNumber);
        return reject(line, `the household already has a 世帯主 on line ${headLine[household]}`);
      }
      headLine[household] = line;
    }
    const personId = personIds.next();
    const householdId = householdIds.at(household);
    chunk.add(
      { line, household, head, residentCode, myNumber },
      personLine(code, personId, householdId, row),
      residenceLine(code, personId, householdId, row),
      head ? householdLine(code, personId, householdId, row) : undefined,
    );
  };

  let failed = true;
  try {
    for await (const batch of readCsvRecords(csv)) {
      for (const record of batch) {
        if (record.error !== undefined) {
          if (!columns) throw new MachiError('csv-invalid', `Line ${record.line}: ${record.error}.`);
          rowsRead++;
          reject(record.line, record.error);
        } else accept(record.line, record.fields);
      }
      if (chunk.size >= chunkRows) await startWrite();
      options.onProgress?.({ rowsRead, imported, rejected });
    }
    if (!columns) readHeader(undefined);
    if (chunk.size > 0) await startWrite();
    await writing;
    const headless: string[] = [];
    for (let h = 0; h < householdByKey.size; h++) {
      if (headLine[h] === 0) headless.push(householdIds.at(h));
    }
    const householdsWithoutHead =
      headless.length > 0 ? await insertHeadlessHouseholds(database, code, headless) : 0;
    const households = householdByKey.size - headless.length + householdsWithoutHead;
    failed = false;
    // Rows refused by the database check are found a chunk later than the others.
    rejections.sort((a, b) => a.line - b.line);
    const report = { rowsRead, imported, rejected, rejections, households, householdsWithoutHead };
    options.onProgress?.({ rowsRead, imported, rejected });
    await options.audit.record({
      municipalityCode: code,
      actor: options.actor ?? 'system',
      action: 'registry.import',
      outcome: 'success',
      details: { rowsRead, imported, rejected, households, householdsWithoutHead },
    });
    return report;
  } finally {
    if (failed) {
      await writing?.catch(() => {});
      await options.audit
        .record({
          municipalityCode: code,
          actor: options.actor ?? 'system',
          action: 'registry.import',
          outcome: 'failure',
          details: { rowsRead, imported, rejected },
        })
        .catch(() => {});
    }
  }
}
