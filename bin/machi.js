#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx machi …` works without a build step, in a
// Node.js started with the platform's V8 flags (node-flags.json): they size the heap when the
// process starts and cannot be set from inside it.
//
// --max-semi-space-size=64 (MB; V8's default is 16): a zone keeps a request's objects and
// buffers for as long as the request lasts (an upload streaming to disk, a gateway call of
// several files). With a young generation of 16 MB they outlive two scavenges and are promoted,
// and the old generation fills in a second or two: a full collection of the zone's ~70 MB heap
// every half second under load. With 64 MB they die young.
// --heap-growing-percent=100: V8 starts a full collection once the old generation's room left
// is less than the young generation's size, and under load it sets that room to a third or so
// of the live heap: with a young generation of 64 MB, the internet zone was always marking.
// Room for one more live heap (a ~70 MB zone may reach ~140 MB before it collects) ends that.
// Measured on the photo filings of `npm run bench submit` (bench/RESULTS.md, 2026-12-02): full
// collections a run fell from 55 to 3 (internet zone) and from 87 to none (lgwan), and the
// zones' CPU per filing from 34 to 21 ms and from 21 to 11 ms.
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
