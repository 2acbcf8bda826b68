// Where the machine's CPU time went during a benchmark phase, from /proc: the server, the
// PostgreSQL processes, the load generator, everything else (other work on a shared host),
// the hypervisor (steal) and idle, each as a share of all cores' time. A phase run while
// something else was busy says so, instead of passing for the server's own figure.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface MachineSnapshot {
  readonly total: number;
  readonly idle: number;
  readonly steal: number;
  /** Ticks used so far, by pid, of the server and of every `postgres` process. */
  readonly server: number;
  /** This process (the benchmark's driver, with its signing threads). */
  readonly bench: number;
  readonly postgres: Map<number, number>;
  /**
   * Ticks of `postgres` processes that have ended, as their parent (the postmaster) counts
   * them: a connection closed during a phase took its backend's time with it, which showed
   * as "others".
   */
  readonly postgresEnded: Map<number, number>;
}

export function processTicks(
  pid: number,
): { comm: string; parent: number; ticks: number; endedChildren: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    // After the command: state (3), ppid (4), ..., utime (14), stime (15), cutime (16) and
    // cstime (17, the children waited for), counted from 1 with pid.
    return {
      comm: stat.slice(stat.indexOf('(') + 1, close),
      parent: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
      endedChildren: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

/** The machine's and the processes' CPU counters now. */
export function machineSnapshot(serverPid: number): MachineSnapshot {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const postgres = new Map<number, number>();
  const postgresEnded = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const found = processTicks(Number(entry));
    if (found?.comm !== 'postgres') continue;
    postgres.set(Number(entry), found.ticks);
    postgresEnded.set(Number(entry), found.endedChildren);
  }
  return {
    total: cpu.reduce((sum, value) => sum + value, 0),
    // idle and iowait
    idle: (cpu[3] ?? 0) + (cpu[4] ?? 0),
    steal: cpu[7] ?? 0,
    server: processTicks(serverPid)?.ticks ?? 0,
    bench: processTicks(process.pid)?.ticks ?? 0,
    postgres,
    postgresEnded,
  };
}

export interface MachineShares {
  readonly server: number;
  readonly postgres: number;
  readonly loadGenerator: number;
  /** The benchmark's driver (this process), idle while a phase runs. */
  readonly bench: number;
  /** Everything else that ran: the system, and other work on a shared host. */
  readonly others: number;
  readonly steal: number;
  readonly idle: number;
}

/** How the machine's time was shared between two snapshots; `loadSeconds`: the load generator's CPU time. */
export function sharesBetween(
  before: MachineSnapshot,
  after: MachineSnapshot,
  loadSeconds: number,
): MachineShares {
  const total = after.total - before.total;
  if (total <= 0) return { server: 0, postgres: 0, loadGenerator: 0, bench: 0, others: 0, steal: 0, idle: 0 };
  let postgres = 0;
  for (const [pid, ticks] of after.postgres) postgres += ticks - (before.postgres.get(pid) ?? 0);
  // An ended backend's whole time reaches its parent: less what it had used before the phase.
  for (const [pid, ticks] of after.postgresEnded)
    postgres += ticks - (before.postgresEnded.get(pid) ?? ticks);
  for (const [pid, ticks] of before.postgres) if (!after.postgres.has(pid)) postgres -= ticks;
  const server = after.server - before.server;
  const bench = after.bench - before.bench;
  const load = loadSeconds * TICKS_PER_SECOND;
  const idle = after.idle - before.idle;
  const steal = after.steal - before.steal;
  const share = (ticks: number) => +(Math.max(0, ticks) / total).toFixed(3);
  return {
    server: share(server),
    postgres: share(postgres),
    loadGenerator: share(load),
    bench: share(bench),
    others: share(total - idle - steal - server - postgres - load - bench),
    steal: share(steal),
    idle: share(idle),
  };
}
