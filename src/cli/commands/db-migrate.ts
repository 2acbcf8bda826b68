import {
  auditMigrations,
  loadConfig,
  migrate,
  openDatabase,
  parseZoneName,
  zoneNames,
} from '../../core/index.ts';
import { zoneDefinitions } from '../../zones/index.ts';
import { type Command, stringOption } from '../command.ts';

/** `machi db migrate [--zone Z]`: apply pending migrations (also done at every start). */
export const dbMigrateCommand: Command = {
  name: 'db migrate',
  summary: "Apply pending migrations to a zone's database (all zones by default)",
  help: '  --zone Z   only this zone',
  options: { zone: { type: 'string' } },
  async run({ values, stdout }) {
    const only = stringOption(values, 'zone');
    const zones = only ? [parseZoneName(only)] : [...zoneNames];
    const config = loadConfig();
    for (const zone of zones) {
      const zoneConfig = config.zones[zone];
      const database = await openDatabase({ url: zoneConfig.databaseUrl, dataDir: zoneConfig.dataDir });
      try {
        const applied = await migrate(database.db, [auditMigrations, ...zoneDefinitions[zone].migrations]);
        stdout.write(`${zone}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}\n`);
      } finally {
        await database.close();
      }
    }
    return 0;
  },
};
