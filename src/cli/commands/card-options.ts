import { join } from 'node:path';
import { loadConfig, parseLgCode } from '../../core/index.ts';
import { fileCardStorage, VirtualCard } from '../../modules/jpki/index.ts';
import { type CommandInput, requireOption, stringOption } from '../command.ts';
import { staffCredentials, staffSession } from '../staff-client.ts';

export const cardFileOption = { card: { type: 'string' } } as const;

export function openCard(values: CommandInput['values']): VirtualCard {
  return new VirtualCard(fileCardStorage(requireOption(values, 'card')));
}

/** Options of the commands that act at the counter (mynumber zone) as a staff member. */
export const counterOptions = {
  municipality: { type: 'string' },
  user: { type: 'string' },
  'staff-file': { type: 'string' },
  url: { type: 'string' },
} as const;

export const counterHelp = [
  '  --municipality CODE   地方公共団体コード of the counter (required)',
  '  --user NAME           staff user name with the registry-clerk role (default demo-clerk)',
  '  --staff-file FILE     demo-staff.json with the password and TOTP secret (default',
  '                        MACHI_DATA_DIR/mynumber/demo-staff.json), or set MACHI_STAFF_PASSWORD',
  '                        and MACHI_STAFF_TOTP_SECRET',
  '  --url URL             the mynumber zone (default MACHI_MYNUMBER_URL)',
].join('\n');

/** Signs the clerk in at the mynumber zone; returns where and with which headers to call. */
export async function counterSession(values: CommandInput['values']) {
  const config = loadConfig();
  const municipalityCode = parseLgCode(requireOption(values, 'municipality'));
  const userName = stringOption(values, 'user') ?? 'demo-clerk';
  const baseUrl = (stringOption(values, 'url') ?? config.zones.mynumber.url).replace(/\/$/, '');
  const staffFile = stringOption(values, 'staff-file') ?? join(config.dataDir, 'mynumber', 'demo-staff.json');
  const secrets = staffCredentials({ user: userName, municipality: municipalityCode, staffFile });
  const headers = await staffSession({ baseUrl, municipalityCode, userName, ...secrets });
  return { baseUrl, municipalityCode, headers };
}
