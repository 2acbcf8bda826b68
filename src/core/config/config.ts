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
  /** Where the zone keeps files beside its database (uploads in the internet zone, their parts in lgwan). */
  readonly filesDir: string;
  /** Base URL other zones use to reach this one over HTTP. */
  readonly url: string;
}

/** The JPKI-shaped PKI: where its files are and where relying parties find certificate status. */
export interface JpkiConfig {
  /** `machi pki init` writes here: trust/, ca/, ocsp/ (README "My Number card"). */
  readonly dir: string;
  /** Written into every certificate issued (AIA); the internet zone answers it. */
  readonly ocspUrl: string;
  /** `<base>/auth.crl` and `<base>/signing.crl` (CRL distribution points). */
  readonly crlBaseUrl: string;
}

/** The sanitizer (無害化) in the internet zone: README "Sanitization". */
export interface SanitizeConfig {
  /** Worker processes sanitizing files at once. */
  readonly workers: number;
  /** Days an uploaded original stays quarantined before its bytes are dropped. */
  readonly quarantineDays: number;
  /** Largest upload, in bytes. */
  readonly maxBytes: number;
}

export interface MachiConfig {
  readonly host: string;
  readonly dataDir: string;
  readonly municipalities: readonly string[];
  /** Set the Secure attribute on cookies. Off only for plain-HTTP development behind no proxy. */
  readonly secureCookies: boolean;
  readonly zones: Readonly<Record<ZoneName, ZoneConfig>>;
  readonly jpki: JpkiConfig;
  /** The municipalities' signing keys for disposition notices (an LGPKI-like hierarchy made on first use). */
  readonly lgpkiDir: string;
  readonly sanitize: SanitizeConfig;
  /** SMTP for notices by e-mail (internet zone); without a URL no mail is sent. */
  readonly mail: { readonly smtpUrl: string | undefined; readonly from: string };
  /**
   * Payment batches commit without waiting for their WAL flush and are answered after one that
   * does (PostgreSQL only; src/modules/points/ledger/deferred-flush.ts). Off by default: it
   * costs CPU and latency where the machine, not the batch writer, is the bound.
   */
  readonly pointsDeferredFlush: boolean;
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

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new MachiError('validation-failed', `${name} must be true or false, not "${raw}".`);
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new MachiError(
      'validation-failed',
      `${name} must be a whole number from 1 to ${max}, not "${raw}".`,
    );
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
        databasePool: wholeNumber(env, `MACHI_${upper}_DATABASE_POOL`, 10, 200),
        dataDir: `${dataDir}/${zone}/pgdata`,
        filesDir: env[`MACHI_${upper}_FILES_DIR`] || `${dataDir}/${zone}/files`,
        url: env[`MACHI_${upper}_URL`] || `http://${host}:${zonePort}`,
      };
      return [zone, config];
    }),
  ) as Record<ZoneName, ZoneConfig>;
  const municipalities = (env.MACHI_MUNICIPALITIES || demoMunicipalities.join(','))
    .split(',')
    .map((code) => code.trim())
    .filter((code) => code.length > 0);
  const internetUrl = zones.internet.url.replace(/\/$/, '');
  const jpki: JpkiConfig = {
    dir: env.MACHI_JPKI_DIR || `${dataDir}/jpki`,
    ocspUrl: env.MACHI_JPKI_OCSP_URL || `${internetUrl}/jpki/ocsp`,
    crlBaseUrl: env.MACHI_JPKI_CRL_URL || `${internetUrl}/jpki/crl`,
  };
  const sanitize: SanitizeConfig = {
    workers: wholeNumber(env, 'MACHI_SANITIZE_WORKERS', 2, 64),
    quarantineDays: wholeNumber(env, 'MACHI_QUARANTINE_DAYS', 30, 3650),
    maxBytes: wholeNumber(env, 'MACHI_UPLOAD_MAX_BYTES', 50 * 1024 * 1024, 1024 * 1024 * 1024),
  };
  return {
    host,
    dataDir,
    municipalities,
    secureCookies: onOff(env, 'MACHI_SECURE_COOKIES', true),
    zones,
    jpki,
    lgpkiDir: env.MACHI_LGPKI_DIR || `${dataDir}/lgpki`,
    mail: {
      smtpUrl: env.MACHI_SMTP_URL || undefined,
      from: env.MACHI_MAIL_FROM || 'Machi <no-reply@machi.localhost>',
    },
    sanitize,
    pointsDeferredFlush: onOff(env, 'MACHI_POINTS_DEFERRED_FLUSH', false),
  };
}

export function parseZoneName(input: unknown): ZoneName {
  if (typeof input === 'string' && (zoneNames as readonly string[]).includes(input)) return input as ZoneName;
  throw new MachiError(
    'validation-failed',
    `Zone must be one of ${zoneNames.join(', ')}; got "${String(input)}".`,
  );
}
