import { writeFile } from 'node:fs/promises';
import { createAuditLog, isMachiError, parseLgCode, systemClock, tenantScope } from '../../core/index.ts';
import { type SettlementDb, settleMerchants } from '../../modules/points/index.ts';
import { type Command, requireOption, stringOption, UsageError } from '../command.ts';
import { openExistingZoneDatabase } from './zone-database.ts';

/** `machi points settle`: pay every merchant what it holds, less its fee; write the Zengin file. */
export const pointsSettleCommand: Command = {
  name: 'points settle',
  summary: 'Settle merchants: payouts less fees, a Zengin bulk-transfer file and a CSV report',
  help: [
    '  --municipality CODE  the municipality (required)',
    '  --id ID              the settlement run, e.g. 2026-04 (required); the same id again',
    '                       writes the same file and pays nothing twice',
    '  --date YYYY-MM-DD    the day the bank is to make the transfers (取組日, required)',
    '  --out FILE           where to write the Zengin file (required)',
    '  --report FILE        where to write the CSV report (UTF-8 with BOM)',
    '  --json               print the summary as JSON',
    'Exit 0 when the run was made (merchants that could not be paid are listed), 1 on an error,',
    '2 on bad usage. Embedded mode: stop `machi start` first.',
  ].join('\n'),
  options: {
    municipality: { type: 'string' },
    id: { type: 'string' },
    date: { type: 'string' },
    out: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, stdout }) {
    let scope: ReturnType<typeof tenantScope>;
    try {
      scope = tenantScope(parseLgCode(requireOption(values, 'municipality')));
    } catch (error) {
      if (isMachiError(error)) throw new UsageError(`--municipality: ${error.detail}`);
      throw error;
    }
    const run = { settlementId: requireOption(values, 'id'), transferDate: requireOption(values, 'date') };
    const out = requireOption(values, 'out');
    const database = await openExistingZoneDatabase('internet');
    try {
      const context = { audit: createAuditLog(database, systemClock), clock: systemClock };
      const settlement = await settleMerchants(
        database.db as SettlementDb,
        context,
        scope,
        run,
        'system:cli',
      );
      await writeFile(out, settlement.zengin);
      const report = stringOption(values, 'report');
      if (report) await writeFile(report, settlement.report);
      const { zengin: _file, report: _csv, ...summary } = settlement;
      if (values.json === true) stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        stdout.write(
          `${settlement.repeated ? 'already settled' : 'settled'}: ${settlement.merchants} merchants, ` +
            `${settlement.received} points held, fees ${settlement.fees}, paid out ${settlement.payout} yen → ${out}\n`,
        );
        for (const one of settlement.skipped) stdout.write(`  skipped ${one.merchantId}: ${one.reason}\n`);
      }
      return 0;
    } finally {
      await database.close();
    }
  },
};
