import { loadConfig, parseZoneName } from '../../core/index.ts';
import { createHttpNetwork, openZone, zoneDefinitions } from '../../zones/index.ts';
import { type Command, requireOption } from '../command.ts';
import { waitForSignal } from './start.ts';

/** `machi serve --zone Z`: one zone as its own process (production shape). */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run one zone',
  help: '  --zone Z   internet, lgwan or mynumber (required)\n  --demo     load demo data',
  options: { zone: { type: 'string' }, demo: { type: 'boolean' } },
  async run({ values, stdout }) {
    const zone = parseZoneName(requireOption(values, 'zone'));
    const config = loadConfig();
    const opened = await openZone(zoneDefinitions[zone], config, {
      // HTTP to the other zones at MACHI_<ZONE>_URL, with this zone's pair keys from the environment.
      gateway: createHttpNetwork(config, { background: true }),
      demo: values.demo === true,
      logger: { level: process.env.MACHI_LOG_LEVEL ?? 'info' },
    });
    await opened.app.listen({ host: config.host, port: config.zones[zone].port });
    stdout.write(`${zone} zone listening on ${config.zones[zone].url}\n`);
    await waitForSignal();
    await opened.close();
    return 0;
  },
};
