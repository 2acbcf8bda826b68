// `npx machi` / `npm start`: bin/machi.js runs the CLI in a Node.js started with the platform's
// V8 flags (bin/node-flags.json); its exit code and output are the CLI's own.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bin = new URL('../bin/machi.js', import.meta.url).pathname;
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('bin/machi.js', () => {
  it('exits as the command does: 0 with the usage, 2 and a message for an unknown command', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: machi');
    const unknown = run('nosuch');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "nosuch"');
    expect(unknown.stdout).toBe('');
  });
});
