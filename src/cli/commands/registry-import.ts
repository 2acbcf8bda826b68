import { createReadStream, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import {
  auditMigrations,
  createAuditLog,
  isMachiError,
  loadConfig,
  type Municipality,
  migrate,
  openDatabase,
  ServedMunicipalities,
  systemClock,
  tenantScope,
} from '../../core/index.ts';
import { type ImportReport, importResidents } from '../../modules/registry/index.ts';
import { zoneDefinitions } from '../../zones/index.ts';
import { type Command, requireOption, UsageError } from '../command.ts';
import { createProgress } from '../progress.ts';

/** How many refused rows the text report lists; the rest are counted. */
const LISTED = 20;

function servedMunicipality(code: string): Municipality {
  try {
    return new ServedMunicipalities(loadConfig().municipalities).require(code);
  } catch (error) {
    if (isMachiError(error)) throw new UsageError(error.detail);
    throw error;
  }
}

function fileSize(file: string): number {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new UsageError(`${file} is not a file.`);
    return stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
}

function textReport(report: ImportReport, municipality: Municipality, seconds: number): string {
  const lines = [
    `Imported ${report.imported.toLocaleString('en-US')} of ${report.rowsRead.toLocaleString('en-US')} rows into ${municipality.name} (${municipality.code}) in ${seconds.toFixed(1)} s; ${report.households.toLocaleString('en-US')} households.`,
  ];
  if (report.householdsWithoutHead > 0) {
    lines.push(
      `${report.householdsWithoutHead} households have no 世帯主 (their head's row was refused or absent).`,
    );
  }
  if (report.rejected > 0) {
    lines.push(`Rejected ${report.rejected.toLocaleString('en-US')} rows (the others were kept):`);
    for (const { line, reason } of report.rejections.slice(0, LISTED))
      lines.push(`  line ${line}: ${reason}`);
    if (report.rejected > LISTED)
      lines.push(`  … and ${(report.rejected - LISTED).toLocaleString('en-US')} more`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `machi registry import`: load a resident CSV into the mynumber zone's registry. Exit 0 when
 * every row was imported, 1 when some were refused (the good ones are kept), 2 on usage errors.
 */
export const registryImportCommand: Command = {
  name: 'registry import',
  summary: "Import residents from a resident CSV into the mynumber zone's registry",
  help: [
    '  FILE                  the resident CSV (columns: see README "Resident CSV")',
    '  --municipality CODE   地方公共団体コード, e.g. 131016 (required, must be served)',
    '  --json                print the report as JSON on stdout',
    'Exit status: 0 all rows imported, 1 some rows rejected (the rest kept), 2 usage error.',
  ].join('\n'),
  options: { municipality: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals, stdout, stderr }) {
    const municipality = servedMunicipality(requireOption(values, 'municipality'));
    if (positionals.length !== 1) throw new UsageError('Give exactly one FILE to import.');
    const file = positionals[0]!;
    const size = fileSize(file);
    const zone = loadConfig().zones.mynumber;
    const database = await openDatabase({ url: zone.databaseUrl, dataDir: zone.dataDir, poolSize: 3 });
    try {
      await migrate(database.db, [auditMigrations, ...zoneDefinitions.mynumber.migrations]);
      const audit = createAuditLog(database, systemClock);
      const input = createReadStream(file, { highWaterMark: 64 * 1024 });
      const progress = createProgress(stderr, size, 'registry import');
      const started = Date.now();
      const report = await importResidents(database, tenantScope(municipality.code), input, {
        audit,
        actor: `cli:${userInfo().username}`,
        onProgress: (p) =>
          progress.update(input.bytesRead, p.rowsRead, p.rejected > 0 ? `  ${p.rejected} rejected` : ''),
      });
      progress.finish();
      await audit.flush();
      const seconds = (Date.now() - started) / 1000;
      if (values.json === true) {
        stdout.write(
          `${JSON.stringify({ municipality: municipality.code, seconds, ...report, rowsPerSecond: Math.round(report.rowsRead / seconds) }, null, 2)}\n`,
        );
      } else stdout.write(textReport(report, municipality, seconds));
      return report.rejected > 0 ? 1 : 0;
    } finally {
      await database.close();
    }
  },
};
