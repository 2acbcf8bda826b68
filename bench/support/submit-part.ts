// One part of the submit benchmark: the load generator (submit-load.ts, its own process) files
// at the part's rate, while the zones' and the machine's figures are taken over the counted
// part; then, once everything has gone inward, the zones' databases are checked.
import { readFileSync } from 'node:fs';
import { runLoadProcess } from './load-process.ts';
import { machineSnapshot, sharesBetween } from './machine-share.ts';
import { query } from './pg-query.ts';
import { checkStored, waitForwarded, watchBacklog } from './submit-checks.ts';
import type { SubmitLoadOptions, SubmitLoadResult } from './submit-load.ts';
import { childTicks, type ZoneProcess } from './submit-zones.ts';

const _root = new URL('../../', import.meta.url).pathname;

const runLoad = (options: SubmitLoadOptions, onMeasuring: () => void) =>
  runLoadProcess<SubmitLoadResult>('submit-load.ts', options, onMeasuring);

export async function runPart(
  zones: { internet: ZoneProcess; lgwan: ZoneProcess },
  urls: { internet: string; lgwan: string },
  options: SubmitLoadOptions,
) {
  // As pgbench does before it measures: a checkpoint, so that one forced by earlier work
  // (the residents, the previous part) does not land in the measured run.
  await query(urls.internet, 'checkpoint');
  const backlog = watchBacklog(urls.internet);
  let before: ReturnType<typeof machineSnapshot> | undefined;
  let lgwanBefore = 0;
  let workersBefore = 0;
  let measuringAt = 0;
  let measuringFrom = new Date();
  const load = await runLoad(options, () => {
    measuringAt = performance.now();
    measuringFrom = new Date();
    before = machineSnapshot(zones.internet.pid);
    lgwanBefore = machineSnapshot(zones.lgwan.pid).server;
    workersBefore = childTicks(zones.internet.pid);
    zones.internet.startMeasuring();
    zones.lgwan.startMeasuring();
  });
  const after = machineSnapshot(zones.internet.pid);
  const windowSeconds = +((performance.now() - measuringAt) / 1000).toFixed(1);
  // Cases lgwan opened meanwhile: the filings forwarded in the counted part (one or fifty a call).
  const [opened] = await query<{ n: number }>(
    urls.lgwan,
    `select count(*)::int as n from procedure_cases
      where received_at >= '${measuringFrom.toISOString()}' and received_at < '${new Date().toISOString()}'`,
  );
  const lgwanTicks = machineSnapshot(zones.lgwan.pid).server - lgwanBefore;
  const workerTicks = childTicks(zones.internet.pid) - workersBefore;
  const [internet, lgwan] = await Promise.all([zones.internet.stats(), zones.lgwan.stats()]);
  const waiting = await backlog.stop();
  const forwarded = await waitForwarded(urls.internet);
  const receipts = JSON.parse(readFileSync(options.receiptsFile, 'utf8')) as [string, string][];
  const checks = await checkStored(urls, options.procedureId, receipts, options.attachment !== undefined);

  const shares = sharesBetween(before!, after, load.cpuSeconds.user + load.cpuSeconds.system);
  const total = after.total - before!.total;
  // Per filing the internet zone answered in the counted part: under overload it is still
  // answering the warm-up's filings then, so dividing by the counted ones would overstate.
  const filed =
    (internet.extra?.requestMs as Record<string, { count: number }> | undefined)?.[
      '/api/v1/procedures/:id/submissions'
    ]?.count ?? load.sent;
  const cpuMs = (stats: { cpuSeconds: { user: number; system: number } }) =>
    +(((stats.cpuSeconds.user + stats.cpuSeconds.system) * 1000) / filed).toFixed(2);
  return {
    load,
    /** The counted part as this process saw it (the zones' and machine's figures cover it); ≈ load.elapsedSeconds. */
    windowSeconds,
    // "others" in machine-share counts the lgwan zone and the sanitizer workers: taken out here.
    cpuShares: {
      ...shares,
      lgwan: +(lgwanTicks / total).toFixed(3),
      sanitizerWorkers: +(workerTicks / total).toFixed(3),
      others: +Math.max(0, shares.others - (lgwanTicks + workerTicks) / total).toFixed(3),
    },
    /** Filings the internet zone answered in the counted part (the CPU figures are per one of these). */
    filingsAnswered: filed,
    /** The same per second: what the zone did, whatever was asked (the most it can, when overloaded). */
    answeredPerSecond: +(filed / load.elapsedSeconds).toFixed(1),
    servers: {
      internet: { ...internet, cpuMsPerFiling: cpuMs(internet) },
      lgwan: { ...lgwan, cpuMsPerFiling: cpuMs(lgwan) },
      ...(options.attachment
        ? { sanitizerWorkersCpuMsPerFiling: +((workerTicks * 10) / filed).toFixed(2) }
        : {}),
    },
    forwarding: {
      /** Gateway calls lgwan took per second during the counted part (one message, or a batch of filings). */
      callsPerSecond: +(
        (['/gateway/v1/messages', '/gateway/v1/messages/batch'] as const)
          .map(
            (route) =>
              (lgwan.extra?.requestMs as Record<string, { count: number }> | undefined)?.[route]?.count ?? 0,
          )
          .reduce((sum, count) => sum + count, 0) / load.elapsedSeconds
      ).toFixed(1),
      /** Filings lgwan took per second during the counted part (the cases it opened). */
      filingsPerSecond: +(opened!.n / windowSeconds).toFixed(1),
      waitingMax: waiting.maxFilings,
      ...(options.attachment ? { uploadsWaitingMax: waiting.maxUploads } : {}),
      waitingAtEnd: waiting.atEnd,
      drainedSeconds: forwarded.seconds,
      leftAfterDrain: forwarded.left,
    },
    checks,
  };
}
