// `npm run bench <scenario> [args]`: runs bench/scenarios/<scenario>.ts and prints its JSON result.
// The driver runs with V8's memory reducer off (package.json). It holds what a scenario set up
// (a points run's ~110 MB: cards, sessions, every payment's body) while it waits for the load.
// Once idle for a few seconds, the reducer marked and compacted that heap, twice, ~120 ms of
// CPU each time. On two cores that CPU was taken from the zone and PostgreSQL: in the points
// benchmark it was the pause 12–16 s after the load began (the zone's thread unscheduled for
// up to 24 ms, that second's p99 three to six times the others').
import { readdirSync } from 'node:fs';

export interface BenchScenario {
  readonly description: string;
  /** Returns the figures to print; include a baseline and a ratio where one can be measured. */
  run(args: string[]): Promise<Record<string, unknown>>;
}

const scenarios = readdirSync(new URL('./scenarios/', import.meta.url))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/\.ts$/, ''));

const [name, ...args] = process.argv.slice(2);
if (!name || !scenarios.includes(name)) {
  console.error(`Usage: npm run bench <scenario> [args]\nScenarios: ${scenarios.join(', ') || '(none)'}`);
  process.exit(2);
}
const { scenario } = (await import(`./scenarios/${name}.ts`)) as { scenario: BenchScenario };
const startedAt = new Date().toISOString();
const result = await scenario.run(args);
const os = await import('node:os');
console.log(
  JSON.stringify(
    {
      scenario: name,
      description: scenario.description,
      startedAt,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      ...result,
    },
    null,
    2,
  ),
);
process.exit(0);
