// What the SIGKILL tests share: the zones' databases that outlive the killed process (PGlite
// directories, or fresh PostgreSQL databases when MACHI_TEST_DATABASE_URL is set), reading them
// once the process has stopped, the audit chains verified by the CLI, and a few requests at once.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import {
  type Database,
  loadConfig,
  type MachiConfig,
  openDatabase,
  zoneNames,
} from '../../src/core/index.ts';
import {
  createEmbeddedNetwork,
  internetZone,
  lgwanZone,
  mynumberZone,
  openZone,
  type RunningZone,
} from '../../src/zones/index.ts';
import { type KillTarget, killAllKillTargets } from './kill-target.ts';
import { runMachi } from './machi.ts';
import { createTestPki } from './pki.ts';

const serverUrl = process.env.MACHI_TEST_DATABASE_URL;

async function serverQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** The three zones, opened side by side in this process as `machi start` opens them. */
export interface SeedZones {
  readonly internet: RunningZone;
  readonly lgwan: RunningZone;
  readonly mynumber: RunningZone;
  close(): Promise<void>;
}

export interface KillZones {
  /** MACHI_* for the child process, the seeding and the CLI. */
  readonly env: Record<string, string>;
  readonly config: MachiConfig;
  /** Opens the zones on fresh data in this process, runs `work` (residents, sessions…), closes them. */
  seed<T>(work: (zones: SeedZones) => Promise<T>): Promise<T>;
  /** Reads a zone's database once its process has stopped (a PGlite directory has one user). */
  inZoneDatabase<T>(zone: 'internet' | 'lgwan', read: (db: Database['db']) => Promise<T>): Promise<T>;
  /** `machi audit verify --zone Z` for each zone: every chain intact. */
  verifyAuditChains(): Promise<void>;
  /** Kills what still runs, drops the PostgreSQL databases, removes the directories and the PKI. */
  remove(): Promise<void>;
}

/**
 * A card authority and the zones' data in a temporary directory: PGlite directories there, or a
 * fresh PostgreSQL database for each zone.
 */
export async function openKillZones(prefix: string): Promise<KillZones> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const pki = await createTestPki();
  const env: Record<string, string> = {
    MACHI_DATA_DIR: join(dir, 'data'),
    MACHI_JPKI_DIR: pki.dir,
    MACHI_LGPKI_DIR: join(dir, 'lgpki'),
    MACHI_MUNICIPALITIES: '131016',
  };
  const databases: string[] = [];
  const suffix = randomBytes(6).toString('hex');
  for (const zone of zoneNames) {
    const upper = zone.toUpperCase();
    // Set empty on PGlite, so that no MACHI_* of the test's own environment reaches the CLI.
    env[`MACHI_${upper}_DATABASE_URL`] = '';
    if (!serverUrl) continue;
    const name = `machi_kill_${suffix}_${zone}`;
    await serverQuery(`create database ${name}`);
    databases.push(name);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    env[`MACHI_${upper}_DATABASE_URL`] = url.toString();
    env[`MACHI_${upper}_DATABASE_POOL`] = '5';
  }
  const config = loadConfig(env);
  return {
    env,
    config,
    async seed(work) {
      if (!serverUrl) {
        // Making a PGlite directory (initdb) costs seconds of CPU, copying a closed one nothing;
        // each zone migrates its copy as it opens.
        const template = join(dir, 'template');
        await (await openDatabase({ dataDir: template })).close();
        for (const zone of zoneNames) cpSync(template, config.zones[zone].dataDir, { recursive: true });
        rmSync(template, { recursive: true });
      }
      const network = createEmbeddedNetwork();
      const [internet, lgwan, mynumber] = (await Promise.all(
        [internetZone, lgwanZone, mynumberZone].map((zone) => openZone(zone, config, { gateway: network })),
      )) as [RunningZone, RunningZone, RunningZone];
      try {
        return await work({ internet, lgwan, mynumber, close: async () => {} });
      } finally {
        // As ThreeZones.close: the zones that call lgwan stop before it does.
        for (const zone of [internet, mynumber, lgwan]) await zone.close();
      }
    },
    async inZoneDatabase(zone, read) {
      const { databaseUrl, dataDir } = config.zones[zone];
      const database = await openDatabase({ url: databaseUrl, dataDir, poolSize: 1 });
      try {
        return await read(database.db);
      } finally {
        await database.close();
      }
    },
    async verifyAuditChains() {
      const saved = Object.keys(env).map((name) => [name, process.env[name]] as const);
      Object.assign(process.env, env);
      try {
        for (const zone of zoneNames) {
          const verified = await runMachi('audit', 'verify', '--zone', zone, '--json');
          expect(verified.code, verified.stdout + verified.stderr).toBe(0);
          expect(JSON.parse(verified.stdout)).toMatchObject({ zone, ok: true });
        }
      } finally {
        for (const [name, value] of saved) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    },
    async remove() {
      await killAllKillTargets();
      for (const name of databases) await serverQuery(`drop database if exists ${name} with (force)`);
      pki.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` over `count` items, `inFlight` at a time, until all are done or `stop()`. */
export async function fewAtATime(
  count: number,
  inFlight: number,
  stop: () => boolean,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (!stop() && next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/**
 * Sends requests `inFlight` at a time until `killAfter` are acknowledged (answered 201), then
 * has the process hold its answers until `held` more are done, and kills it while the sending
 * goes on. Those and whatever else was in flight are in doubt: the sender does not know whether
 * they were acted on. Only a connection the kill cut may fail.
 */
export async function sendUntilKilled<T extends { readonly status: number }>(
  target: KillTarget,
  plan: {
    readonly count: number;
    readonly inFlight: number;
    readonly killAfter: number;
    readonly held: number;
  },
  send: (index: number) => Promise<T>,
): Promise<{ acknowledged: Map<number, T>; inDoubt: Set<number> }> {
  const acknowledged = new Map<number, T>();
  const inDoubt = new Set<number>();
  let killing: Promise<unknown> | undefined;
  let killed = false;
  await fewAtATime(
    plan.count,
    plan.inFlight,
    () => killed,
    async (index) => {
      let answer: T;
      try {
        answer = await send(index);
      } catch (error) {
        if (killing === undefined || !(error instanceof TypeError)) throw error;
        inDoubt.add(index);
        return;
      }
      expect(answer.status).toBe(201);
      acknowledged.set(index, answer);
      if (acknowledged.size < plan.killAfter) return;
      killing ??= target.holdAnswers(plan.held).then(() => {
        killed = true;
        return target.kill();
      });
    },
  );
  expect(await killing).toEqual({ code: null, signal: 'SIGKILL' });
  expect(inDoubt.size).toBeGreaterThanOrEqual(plan.held);
  return { acknowledged, inDoubt };
}
