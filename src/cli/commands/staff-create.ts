import {
  auditMigrations,
  createAuditLog,
  isMachiError,
  loadConfig,
  migrate,
  openDatabase,
  ServedMunicipalities,
  systemClock,
  tenantScope,
} from '../../core/index.ts';
import { createStaffAccount, type IdentityDb, roles as knownRoles } from '../../modules/identity/index.ts';
import { zoneDefinitions } from '../../zones/index.ts';
import { type Command, requireOption, UsageError } from '../command.ts';
import { zoneOption } from './zone-database.ts';

function rolesOption(text: string): string[] {
  const list = text
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role.length > 0);
  const unknown = list.filter((role) => !(knownRoles as readonly string[]).includes(role));
  if (list.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--roles must list some of ${knownRoles.join(', ')}${unknown.length ? `; not ${unknown.join(', ')}` : ''}.`,
    );
  }
  return list;
}

/**
 * `machi staff create`: a staff account with a generated password and TOTP
 * secret, printed once. Careful: the output carries secrets; hand them to the
 * staff member by a safe channel. Only the scrypt hash is stored.
 */
export const staffCreateCommand: Command = {
  name: 'staff create',
  summary: 'Create a staff account (password + TOTP) in the lgwan or mynumber zone',
  help: [
    '  --zone Z              lgwan or mynumber (required; each zone has its own accounts)',
    '  --municipality CODE   地方公共団体コード, e.g. 131016 (required, must be served)',
    '  --user NAME           user name: letters, digits, . _ - (required)',
    '  --name "表示名"        display name (required)',
    '  --roles A,B           some of registry-clerk, case-worker, points-admin, auditor, admin (required)',
    '  --json                print the result as JSON',
    'Prints the initial password, TOTP secret and otpauth:// URI once; they cannot be shown again.',
    'Embedded mode: stop `machi start` first; a PGlite directory serves one process at a time.',
  ].join('\n'),
  options: {
    zone: { type: 'string' },
    municipality: { type: 'string' },
    user: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, stdout }) {
    const zone = zoneOption(values);
    if (zone === 'internet')
      throw new UsageError('Staff accounts live in the lgwan and mynumber zones only.');
    const roles = rolesOption(requireOption(values, 'roles'));
    const userName = requireOption(values, 'user');
    const displayName = requireOption(values, 'name');
    const config = loadConfig();
    let municipality: ReturnType<ServedMunicipalities['require']>;
    try {
      municipality = new ServedMunicipalities(config.municipalities).require(
        requireOption(values, 'municipality'),
      );
    } catch (error) {
      if (isMachiError(error)) throw new UsageError(`--municipality: ${error.detail}`);
      throw error;
    }
    const zoneConfig = config.zones[zone];
    const database = await openDatabase({
      url: zoneConfig.databaseUrl,
      dataDir: zoneConfig.dataDir,
      poolSize: 1,
    });
    const audit = createAuditLog(database, systemClock);
    try {
      await migrate(database.db, [auditMigrations, ...zoneDefinitions[zone].migrations]);
      const created = await createStaffAccount(database.db as IdentityDb, tenantScope(municipality.code), {
        userName,
        displayName,
        roles,
        issuer: `Machi ${zone} ${municipality.code}`,
        audit: { log: audit, actor: 'system:cli' },
      });
      if (values.json === true) {
        stdout.write(`${JSON.stringify({ zone, ...created }, null, 2)}\n`);
      } else {
        stdout.write(
          [
            `Created ${created.staff.userName} in ${municipality.name} (${municipality.code}), ${zone} zone.`,
            `  roles:            ${created.staff.roles.join(', ')}`,
            `  initial password: ${created.initialPassword}`,
            `  TOTP secret:      ${created.totpSecret}`,
            `  otpauth URI:      ${created.otpauthUri}`,
            'Shown once: give these to the staff member by a safe channel. Only hashes are stored.',
            '',
          ].join('\n'),
        );
      }
      return 0;
    } finally {
      await audit.flush();
      await database.close();
    }
  },
};
