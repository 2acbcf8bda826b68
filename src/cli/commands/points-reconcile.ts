import { isMachiError, loadConfig, parseLgCode, tenantScope } from '../../core/index.ts';
import { ledgerMatches, type PointsLedgerDb, reconcileLedger } from '../../modules/points/index.ts';
import { type Command, stringOption, UsageError } from '../command.ts';
import { openExistingZoneDatabase } from './zone-database.ts';

function municipalitiesOption(given: string | undefined): string[] {
  const codes = given ? [given] : [...loadConfig().municipalities];
  try {
    return codes.map((code) => parseLgCode(code));
  } catch (error) {
    if (isMachiError(error)) throw new UsageError(`--municipality: ${error.detail}`);
    throw error;
  }
}

/** `machi points reconcile`: every points balance recomputed from its transfers, and compared. */
export const pointsReconcileCommand: Command = {
  name: 'points reconcile',
  summary: 'Prove every points balance equals the sum of its transfers (reads only)',
  help: [
    '  --municipality CODE  one municipality (default: every one the deployment serves)',
    '  --json               print the result as JSON',
    "Checks each account's posted and pending totals against its transfers' legs, the open",
    'lots of accounts whose points expire, and that the ledger sums to zero.',
    'Exit 0 when everything matches, 1 when anything differs, 2 on bad usage.',
    'Embedded mode: stop `machi start` first; a PGlite directory serves one process at a time.',
  ].join('\n'),
  options: { municipality: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, stdout }) {
    const codes = municipalitiesOption(stringOption(values, 'municipality'));
    const database = await openExistingZoneDatabase('internet');
    try {
      let ok = true;
      for (const code of codes) {
        const result = await reconcileLedger(
          database.db as unknown as PointsLedgerDb,
          tenantScope(parseLgCode(code)),
        );
        const matches = ledgerMatches(result);
        ok &&= matches;
        if (values.json === true) {
          stdout.write(`${JSON.stringify({ municipalityCode: code, ok: matches, ...result })}\n`);
          continue;
        }
        stdout.write(
          `${code}: ${matches ? 'ok' : 'MISMATCH'} — ${result.accounts} accounts, ${result.transfers} transfers, sum ${result.sum}\n`,
        );
        for (const one of result.mismatches) {
          stdout.write(
            `  ${one.accountId} ${one.field}: stored ${one.stored}, from transfers ${one.recomputed}\n`,
          );
        }
        if (result.strayLegs > 0) stdout.write(`  legs whose transfer is not there: ${result.strayLegs}\n`);
      }
      return ok ? 0 : 1;
    } finally {
      await database.close();
    }
  },
};
