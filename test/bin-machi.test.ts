// `npx machi` / `npm start`: bin/machi.js runs the CLI in a Node.js started with the platform's
// V8 flags (bin/node-flags.json); its exit code and output are the CLI's own.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import flags from '../bin/node-flags.json' with { type: 'json' };

const bin = new URL('../bin/machi.js', import.meta.url).pathname;
const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, env });

// Preloaded into both processes through NODE_OPTIONS (which execArgv leaves out): the CLI's
// process prints the flags it was started with and stops before the command runs.
const dir = mkdtempSync(join(tmpdir(), 'machi-bin-'));
const preload = join(dir, 'print-flags.cjs');
writeFileSync(
  preload,
  `if (process.argv[1] && process.argv[1].endsWith('main.ts')) {
     process.stdout.write(JSON.stringify(process.execArgv));
     process.exit(0);
   }`,
);
// The CLI's process says it is up and holds there, before its command would run (a preloaded
// module's top-level await); on SIGTERM it says so and exits 3.
const waitForTerm = join(dir, 'wait-for-term.mjs');
writeFileSync(
  waitForTerm,
  `if (process.argv[1]?.endsWith('main.ts')) {
     process.on('SIGTERM', () => { process.stdout.write('terminated'); process.exit(3); });
     process.stdout.write('up\\n');
     // Gone by itself should the SIGTERM never come (no process left behind by a failed test).
     setTimeout(() => process.exit(4), 30000);
     await new Promise(() => {});
   }`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The V8 flags the CLI's process starts with for `args` (before its `--import tsx`). */
function startedWith(...args: string[]): string[] {
  const result = run(args, { ...process.env, NODE_OPTIONS: `--require ${preload}` });
  expect(result.status, result.stderr).toBe(0);
  const execArgv = JSON.parse(result.stdout) as string[];
  return execArgv.slice(0, execArgv.indexOf('--import'));
}

describe('bin/machi.js', () => {
  it('exits as the command does: 0 with the usage, 2 and a message for an unknown command', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: machi');
    const unknown = run(['nosuch']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "nosuch"');
    expect(unknown.stdout).toBe('');
  });

  it("starts every process with the common flags, and a zone run alone also with the zone's own", () => {
    expect(flags.lgwan.length).toBeGreaterThan(0);
    expect(flags.internet.length).toBeGreaterThan(0);
    expect(startedWith('start')).toEqual(flags.every);
    expect(startedWith('serve', '--zone', 'internet')).toEqual([...flags.every, ...flags.internet]);
    expect(startedWith('serve', '--zone', 'lgwan')).toEqual([...flags.every, ...flags.lgwan]);
    expect(startedWith('serve', '--zone=lgwan')).toEqual([...flags.every, ...flags.lgwan]);
    // An unknown zone gets no flags of its own (the CLI says what is wrong with it).
    expect(startedWith('serve', '--zone', 'constructor')).toEqual(flags.every);
  });

  it("passes a SIGTERM sent to it alone on to the CLI's process, and exits with that one's code", async () => {
    const wrapper = spawn(process.execPath, [bin, 'start'], {
      env: { ...process.env, NODE_OPTIONS: `--import ${waitForTerm}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    wrapper.stdout.setEncoding('utf8');
    const up = new Promise<void>((resolve) =>
      wrapper.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('up\n')) resolve();
      }),
    );
    const exited = once(wrapper, 'exit');
    await up;
    wrapper.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(3);
    expect(output).toBe('up\nterminated');
  });
});
