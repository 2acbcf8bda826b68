// A PostgreSQL server of a test's own, in a temporary directory, for what the shared server
// must not undergo: a crash. Run as the `postgres` user when the tests run as root (initdb and
// the server refuse root). The binaries are Debian's (postgresql-NN) or on the PATH.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';

export interface ScratchPostgres {
  readonly url: string;
  /** Runs `text` on a connection of its own. */
  query<Row>(text: string, values?: unknown[]): Promise<Row[]>;
  /** The pid of the server's process of this type (`pg_stat_activity.backend_type`). */
  pidOf(backendType: string): Promise<number>;
  /** Resolves once the server answers again, after a crash and its recovery. */
  whenUp(): Promise<void>;
  stop(): void;
}

function binDir(): string {
  const onPath = execFileSync('sh', ['-c', 'command -v initdb || true'], { encoding: 'utf8' }).trim();
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions
    .map((version) => join(root, version, 'bin'))
    .find((dir) => existsSync(join(dir, 'initdb')));
  if (!found) throw new Error('no initdb: install PostgreSQL (apt-get install postgresql) to run this test');
  return found;
}

/** Starts a fresh server with `settings` (postgresql.conf names) on a free loopback port. */
export async function startScratchPostgres(settings: Record<string, string>): Promise<ScratchPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'machi-scratch-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const run = (program: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : join(bin, program),
      asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : args,
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  async function query<Row>(text: string, values: unknown[] = []): Promise<Row[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as Row[];
    } finally {
      await client.end();
    }
  }

  return {
    url,
    query,
    async pidOf(backendType) {
      const [row] = await query<{ pid: number }>('select pid from pg_stat_activity where backend_type = $1', [
        backendType,
      ]);
      if (!row) throw new Error(`no ${backendType} process`);
      return row.pid;
    },
    async whenUp() {
      for (let tries = 0; ; tries++) {
        try {
          await query('select 1');
          return;
        } catch (error) {
          if (tries > 300) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
