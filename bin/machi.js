#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx machi …` works without a build step, in a
// Node.js started with the platform's V8 flags (node-flags.json): they size the heap when the
// process starts and cannot be set from inside it. `every` process gets the first list; a
// process that runs one zone alone (`machi serve --zone Z`) also gets that zone's own.
//
// --heap-growing-percent=100 (every process): V8 starts a full collection once the old
// generation's room left is less than the young generation's size, and under load it sets that
// room to a third or so of the live heap, so a zone busy with requests was always marking. Room
// for one more live heap (a ~70 MB zone may reach ~140 MB before it collects) ends that.
// --heap-growing-percent=300 (the internet zone, after the one above, which it overrides): at
// 500 filings a second its old generation takes ~7 MB a second of objects that outlived two
// scavenges (~75 → ~130 MB in ~8 s), and each full collection left a second of the run with its
// p99 doubled. With room for three more live heaps it collects every ~25 s and holds up to ~200 MB.
// --max-semi-space-size=64 (MB, lgwan; V8's default is 16): lgwan keeps a request's objects and
// buffers for as long as the request lasts (a gateway call of several files). With a young
// generation of 16 MB they outlive two scavenges and are promoted, and the old generation fills
// in a second or two. With 64 MB they die young.
// Measured on the photo filings of `npm run bench submit` (bench/RESULTS.md, 2026-12-02): full
// collections a run fell from 55 to 3 (internet zone) and from 87 to none (lgwan), and the
// zones' CPU per filing from 34 to 21 ms and from 21 to 11 ms. The internet zone keeps V8's
// young generation: it also answers many small requests (payments), and each scavenge of a
// larger one stops it longer. With 64 MB there, payments' p99 at 800/s was 81–108 ms against
// 55–61 ms without, and photo filings were no faster (26.1 against 28.1/s). The internet zone's
// room (300 %), measured on form-only filings at 500/s: full collections in the 30 counted
// seconds 3–4 → 1–2; the p99 (84–207 ms against 94–170 ms) moved less than the host's noise.
// --no-allocation-site-pretenuring (the internet zone): V8 allocates straight into the old
// generation from code whose objects it has seen outlive scavenges. In the internet zone that
// took short-lived objects too (each reply's header text, request headers, `pg`'s rows), and
// they filled the old generation without ever being young: over 20 s of payments at 2,000/s,
// 197 MB went to it that way or by promotion with V8's default, 11 MB without. At 2,500/s,
// alternating: no full collection in three runs (one in two of three with the default), GC
// pauses 446–576 against 624–1,271 ms in all, p99 65–127 against 74–3,454 ms. Form-only
// filings at 500/s, four pairs: no full collection (1–5 a run with the default), the longest
// pause 5.5–8.9 against 14.3–26.5 ms, the zone's user CPU lower in each pair (17.6–18.6 against
// 18.6–20.6 s); the p99 (33–150 against 44–97 ms) went with seconds its GC does not explain.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { every, ...ofZone } = JSON.parse(readFileSync(join(root, 'bin/node-flags.json'), 'utf8'));
const args = process.argv.slice(2);

/** The zone's own flags when the command runs one zone alone: `serve --zone Z` (or `--zone=Z`). */
function zoneFlags() {
  if (args[0] !== 'serve') return [];
  const at = args.findIndex((arg) => arg === '--zone' || arg.startsWith('--zone='));
  const zone = at < 0 ? undefined : args[at] === '--zone' ? args[at + 1] : args[at].slice('--zone='.length);
  return zone !== undefined && Object.hasOwn(ofZone, zone) ? ofZone[zone] : [];
}

const child = spawn(
  process.execPath,
  [...every, ...zoneFlags(), '--import', 'tsx', join(root, 'src/cli/main.ts'), ...args],
  { stdio: 'inherit' },
);
// A terminal's Ctrl-C reaches the command itself (one process group): passed on as well, it
// would come twice and cut its shutdown short. A SIGTERM or SIGHUP sent to this process alone
// (a service manager's) is passed on.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
