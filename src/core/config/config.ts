import { MachiError } from '../errors/index.ts';

export const zoneNames = ['internet', 'lgwan', 'mynumber'] as const;
export type ZoneName = (typeof zoneNames)[number];

export const defaultPorts: Record<ZoneName, number> = { internet: 3000, lgwan: 3001, mynumber: 3002 };

/** Demo municipalities served when MACHI_MUNICIPALITIES is not set: 千代田区, 札幌市, 那覇市. */
export const demoMunicipalities = ['131016', '011002', '472018'];

export interface ZoneConfig {
  readonly port: number;
  /** postgres://… when the zone runs on a PostgreSQL server; undefined for PGlite. */
  readonly databaseUrl: string | undefined;
  /** Most connections the zone opens to its PostgreSQL server. */
  readonly databasePool: number;
  /** PGlite data directory, used when databaseUrl is undefined. */
  readonly dataDir: string;
  /** Base URL other zones use to reach this one over HTTP. */
  readonly url: string;
}

export interface MachiConfig {
  readonly host: string;
  readonly dataDir: string;
  readonly municipalities: readonly string[];
  /** Set the Secure attribute on cookies. Off only for plain-HTTP development behind no proxy. */
  readonly secureCookies: boolean;
  readonly zones: Readonly<Record<ZoneName, ZoneConfig>>;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new MachiError('validation-failed', `${name} must be a port number from 0 to 65535, not "${raw}".`);
  }
  return value;
}

function poolSize(env: NodeJS.ProcessEnv, name: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return 10;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 200) {
    throw new MachiError('validation-failed', `${name} must be a whole number from 1 to 200, not "${raw}".`);
  }
  return value;
}

/** Reads the configuration from the environment (README "Configuration" lists every variable). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MachiConfig {
  const host = env.MACHI_HOST || '127.0.0.1';
  const dataDir = env.MACHI_DATA_DIR || '.machi';
  const zones = Object.fromEntries(
    zoneNames.map((zone) => {
      const upper = zone.toUpperCase();
      const zonePort = port(env, `MACHI_${upper}_PORT`, defaultPorts[zone]);
      const config: ZoneConfig = {
        port: zonePort,
        databaseUrl: env[`MACHI_${upper}_DATABASE_URL`] || undefined,
        databasePool: poolSize(env, `MACHI_${upper}_DATABASE_POOL`),
        dataDir: `${dataDir}/${zone}/pgdata`,
        url: env[`MACHI_${upper}_URL`] || `http://${host}:${zonePort}`,
      };
      return [zone, config];
    }),
  ) as Record<ZoneName, ZoneConfig>;
  const municipalities = (env.MACHI_MUNICIPALITIES || demoMunicipalities.join(','))
    .split(',')
    .map((code) => code.trim())
    .filter((code) => code.length > 0);
  return { host, dataDir, municipalities, secureCookies: env.MACHI_SECURE_COOKIES !== 'false', zones };
}

export function parseZoneName(input: unknown): ZoneName {
  if (typeof input === 'string' && (zoneNames as readonly string[]).includes(input)) return input as ZoneName;
  throw new MachiError(
    'validation-failed',
    `Zone must be one of ${zoneNames.join(', ')}; got "${String(input)}".`,
  );
}
