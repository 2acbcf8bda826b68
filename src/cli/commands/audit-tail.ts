import { type AuditLogRow, MAX_TAIL, readAuditTail } from '../../core/index.ts';
import { type Command, stringOption, UsageError } from '../command.ts';
import { openExistingZoneDatabase, zoneOption } from './zone-database.ts';

function limitOption(text: string | undefined): number {
  if (text === undefined) return 20;
  const limit = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_TAIL))
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_TAIL}.`);
  return limit;
}

// Japan has kept UTC+9 without daylight saving since 1952, so a fixed offset is exact.
const JST_MS = 9 * 60 * 60 * 1000;

function inTokyo(iso: string): string {
  return `${new Date(Date.parse(iso) + JST_MS).toISOString().slice(0, 19).replace('T', ' ')}+09:00`;
}

// A stored value is shown, never obeyed: control characters (e.g. ANSI escapes in an
// actor or reason) are printed as \u escapes so they cannot rewrite the auditor's terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function printable(value: string | number): string {
  return String(value).replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function line(row: AuditLogRow): string {
  const details = Object.keys(row.details).length > 0 ? JSON.stringify(row.details) : '-';
  return [
    row.seq,
    inTokyo(row.at),
    row.municipalityCode ?? '-',
    row.actor,
    row.action,
    row.target ?? '-',
    row.outcome,
    row.reason ?? '-',
    details,
  ]
    .map(printable)
    .join('  ');
}

/** `machi audit tail --zone Z`: the most recent audit entries, for an auditor. */
export const auditTailCommand: Command = {
  name: 'audit tail',
  summary: "List a zone's most recent audit entries (reads only)",
  help: [
    '  --zone Z    internet, lgwan or mynumber (required)',
    `  --limit N   how many entries, 1 to ${MAX_TAIL} (default 20)`,
    '  --json      print {"zone", "entries": [...]} with times in UTC',
    'Entries carry ids, never personal data. Times are shown in Japan time (JST).',
  ].join('\n'),
  options: { zone: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, stdout }) {
    const zone = zoneOption(values);
    const limit = limitOption(stringOption(values, 'limit'));
    const database = await openExistingZoneDatabase(zone);
    try {
      const entries = await readAuditTail(database.db, limit);
      if (values.json === true) {
        stdout.write(`${JSON.stringify({ zone, entries })}\n`);
      } else if (entries.length === 0) {
        stdout.write(`${zone}: the audit log is empty\n`);
      } else {
        stdout.write('seq  at  municipality  actor  action  target  outcome  reason  details\n');
        for (const entry of entries) stdout.write(`${line(entry)}\n`);
      }
      return 0;
    } finally {
      await database.close();
    }
  },
};
