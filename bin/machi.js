#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx machi …` works without a build step, in a
// Node.js started with the platform's V8 flags (node-flags.json): they size the heap when the
// process starts and cannot be set from inside it.
//
// --max-semi-space-size=64 (MB; V8's default is 16): a zone keeps a request's objects and
// buffers for as long as the request lasts (an upload streaming to disk, a gateway call of
// several files). With a young generation of 16 MB they outlive two scavenges and are promoted,
// and the old generation then fills in a second or two: a full collection of the zone's
// ~70 MB heap every half second under load. With 64 MB they die young. Measured on the photo
// filings of `npm run bench submit`: lgwan's full collections fell from 87 to 1 a run and its
// CPU per filing from 21 to 12 ms; the internet zone's from 34 to 25 ms.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flags = JSON.parse(readFileSync(join(root, 'bin/node-flags.json'), 'utf8'));
const child = spawn(
  process.execPath,
  [...flags, '--import', 'tsx', join(root, 'src/cli/main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// A terminal's Ctrl-C reaches the command itself (one process group): passed on as well, it
// would come twice and cut its shutdown short. A SIGTERM or SIGHUP sent to this process alone
// (a service manager's) is passed on.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
