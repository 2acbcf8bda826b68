import { loadConfig, zoneNames } from '../../core/index.ts';
import { ensurePki } from '../../modules/jpki/index.ts';
import { createEmbeddedNetwork, openZone, type RunningZone, zoneDefinitions } from '../../zones/index.ts';
import type { Command } from '../command.ts';

/** `machi start`: the three zones in one process, on PGlite, with demo data. */
export const startCommand: Command = {
  name: 'start',
  summary: 'Run the internet, lgwan and mynumber zones in one process (embedded mode)',
  help: 'Each zone gets its own port and its own PGlite directory under MACHI_DATA_DIR (default .machi).\n  --no-demo   do not load demo data',
  options: { 'no-demo': { type: 'boolean' } },
  async run({ values, stdout }) {
    const config = loadConfig();
    // One in-process gateway for the three zones, with keys made for this run only.
    const gateway = createEmbeddedNetwork({ background: true });
    const logger = { level: process.env.MACHI_LOG_LEVEL ?? 'info' };
    // The zones open side by side and listen before demo data loads, so /healthz
    // answers within seconds of a cold start; the demo data follows.
    const running: RunningZone[] = await Promise.all(
      zoneNames.map(async (zone) => {
        const opened = await openZone(zoneDefinitions[zone], config, { gateway, logger });
        await opened.app.listen({ host: config.host, port: config.zones[zone].port });
        stdout.write(`${zone} zone listening on ${config.zones[zone].url}\n`);
        return opened;
      }),
    );
    // A laptop gets a JPKI of its own at the first start (kept under MACHI_DATA_DIR after),
    // made once the zones listen: its keys take a second or two, and the zones pick it up
    // on their next upkeep round.
    if (await ensurePki(config.jpki, new Date())) stdout.write(`JPKI created in ${config.jpki.dir}\n`);
    if (values['no-demo'] !== true) {
      for (const zone of running) await zone.seedDemo();
      stdout.write('demo data ready\n');
    }
    await waitForSignal();
    for (const zone of running.reverse()) await zone.close();
    return 0;
  },
};

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
