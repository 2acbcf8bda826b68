import { type AuditChainHead, isMachiError, parseChainHead, verifyAuditChain } from '../../core/index.ts';
import { type Command, stringOption, UsageError } from '../command.ts';
import { openExistingZoneDatabase, zoneOption } from './zone-database.ts';

function expectHeadOption(text: string | undefined): AuditChainHead | undefined {
  if (text === undefined) return undefined;
  try {
    return parseChainHead(text);
  } catch (error) {
    if (isMachiError(error)) throw new UsageError(`--expect-head: ${error.detail}`);
    throw error;
  }
}

/** `machi audit verify --zone Z`: recompute the zone's audit hash chain and report the first break. */
export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: "Verify a zone's hash-chained audit log (reads only)",
  help: [
    '  --zone Z                internet, lgwan or mynumber (required)',
    '  --expect-head SEQ:HASH  an anchor printed by an earlier run: also detects removal of the',
    '                          last rows and a chain recomputed from some row on, which the',
    '                          chain alone cannot show. Save the printed head somewhere safe.',
    '  --json                  print the report as JSON',
    'Exit 0 when the chain is intact, 1 when it is broken or cannot be read, 2 on bad usage.',
    'Embedded mode: stop `machi start` first; a PGlite directory serves one process at a time.',
  ].join('\n'),
  options: { zone: { type: 'string' }, 'expect-head': { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, stdout, stderr }) {
    const zone = zoneOption(values);
    const expectHead = expectHeadOption(stringOption(values, 'expect-head'));
    const json = values.json === true;
    // Progress only for a person watching; scripts and --json get the result alone.
    const tty = !json && (stderr as NodeJS.WriteStream).isTTY === true;
    const database = await openExistingZoneDatabase(zone);
    try {
      const report = await verifyAuditChain(database.db, {
        ...(expectHead ? { expectHead } : {}),
        ...(tty ? { onProgress: (n: number) => stderr.write(`\rchecked ${n} rows`) } : {}),
      });
      if (tty) stderr.write('\r\x1b[K');
      if (json) {
        stdout.write(`${JSON.stringify({ zone, ...report })}\n`);
      } else if (report.ok) {
        stdout.write(`ok: ${report.rowsChecked} rows, head ${report.head.seq}:${report.head.hash}\n`);
      } else {
        const { kind, seq, explanation } = report.problem;
        stdout.write(`audit chain broken at row ${seq}: ${kind} — ${explanation}\n`);
        stdout.write(
          `last good row: ${report.head.seq}:${report.head.hash} (${report.rowsChecked} rows checked)\n`,
        );
      }
      return report.ok ? 0 : 1;
    } finally {
      await database.close();
    }
  },
};
