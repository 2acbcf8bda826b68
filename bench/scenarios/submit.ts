// `npm run bench submit [form|photo|all]`: signed online filings (電子申請) end to end, on
// PostgreSQL, at a constant rate: POST /api/v1/procedures/:id/submissions on the real internet
// zone — the resident's session and CSRF token, the form's items, the card's CMS signature
// (chain, kind, validity, revocation through the zone's own OCSP responder, answers cached
// 30 s as always), the idempotency key, the filing, its receipt number and audit entry in
// one transaction — with lgwan running beside it as its own process and the internet zone
// forwarding each filing inward as in production (a background task over HTTP, HMAC-signed
// gateway messages), each zone on its own database. Two parts:
// - form: 妊娠の届出 (pregnancy-notification, no attachments), default 500/s for 30 s;
// - photo: 児童手当の認定請求 (child-allowance-certification) with a ~1 MB JPEG as the
//   passbook copy, each filing's photo uploaded and sanitized (無害化, worker processes) and
//   then named in the signed document by upload id and SHA-256; default 40/s for 30 s.
// Residents (default 200) are signed in with their cards first; filings are signed by the
// load generator (the residents' browsers), form-only ones all before the run. Each part runs
// a warm-up at the same rate first (default 30 s, the revocation cache's lifetime, over which
// the residents come in one after another, as in the signin benchmark), then the counted
// seconds; afterwards every filing answered 201 is checked: stored once, audited, sent
// inward, one case in lgwan. Baselines, measured in the same run before the load: the raw
// cost of verifying the same filings' signatures (one core), and the sanitizer alone on the
// same photos.
// Environment: MACHI_BENCH_FORM_RATE, MACHI_BENCH_FORM_SECONDS, MACHI_BENCH_PHOTO_RATE,
// MACHI_BENCH_PHOTO_SECONDS, MACHI_BENCH_WARMUP (seconds), MACHI_BENCH_RESIDENTS,
// MACHI_BENCH_CONNECTIONS (form part; the photo part uses 32), MACHI_BENCH_POOL (each zone's
// connections to PostgreSQL, default 4), MACHI_BENCH_DATABASE_URL, MACHI_BENCH_PROFILE=DIR
// (CPU profiles of the counted parts, one per zone and part), MACHI_BENCH_TRACE_GC=DIR (each
// zone's `--trace-gc`, timed by the wall clock, in DIR/<zone>.log), MACHI_BENCH_PROMOTED=DIR
// (what each zone promoted out of its young generation over the counted part, sampled).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditMigrations, loadConfig, migrate, openDatabase } from '../../src/core/index.ts';
import { initPki, type JpkiStatusDb, STATUS_CACHE_MS } from '../../src/modules/jpki/index.ts';
import { loadCatalogue } from '../../src/modules/procedures/index.ts';
import { internetZone } from '../../src/zones/index.ts';
import type { BenchScenario } from '../run.ts';
import { loading } from '../support/load-process.ts';
import { databaseUrl, defaultServerUrl, query } from '../support/pg-query.ts';
import { sanitizeBaseline, verifyBaseline } from '../support/submit-baselines.ts';
import { type BenchResident, issueCards, signInAll } from '../support/submit-cards.ts';
import { seedHistory } from '../support/submit-history.ts';
import { writePhotos } from '../support/submit-jpeg.ts';
import { runPart } from '../support/submit-part.ts';
import { startZone, type ZoneProcess } from '../support/submit-zones.ts';

const MUNICIPALITY = '131016';
/**
 * The issue asks a rate of photo filings and no latency; `keptUpP99Ms` is how the benchmark
 * tells that the rate was kept up with. A photo filing takes ~0.1–0.2 s when the zones keep up;
 * when they do not, the load generator falls behind and every filing waits seconds, while the
 * rate it sends at can still be 95 % of the asked one.
 */
const TARGET = { form: { rate: 500, p99Ms: 100 }, photo: { rate: 40, keptUpP99Ms: 1000 } };
const PROCEDURES = {
  form: { procedureId: 'pregnancy-notification' },
  photo: { procedureId: 'child-allowance-certification', attachmentId: 'bank-account-proof' },
};

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export const scenario: BenchScenario = {
  description:
    'signed online filings end to end on PostgreSQL at a constant rate (form-only, and with a ~1 MB JPEG ' +
    'uploaded and sanitized), forwarded to lgwan; vs signature verification alone and the sanitizer alone',
  async run(args) {
    const part = args[0] ?? 'all';
    if (!['form', 'photo', 'all'].includes(part)) throw new Error('part: form, photo or all');
    const residentCount = env('MACHI_BENCH_RESIDENTS', 200);
    const warmUpSeconds = env('MACHI_BENCH_WARMUP', STATUS_CACHE_MS / 1000);
    const pool = String(env('MACHI_BENCH_POOL', 4));
    const serverUrl = process.env.MACHI_BENCH_DATABASE_URL ?? defaultServerUrl();
    const name = `machi_bench_${randomBytes(4).toString('hex')}`;
    const urls = {
      internet: databaseUrl(serverUrl, `${name}_internet`),
      lgwan: databaseUrl(serverUrl, `${name}_lgwan`),
    };
    const dir = mkdtempSync(join(tmpdir(), 'machi-bench-submit-'));
    const zoneEnv = {
      MACHI_INTERNET_DATABASE_URL: urls.internet,
      MACHI_INTERNET_DATABASE_POOL: pool,
      MACHI_LGWAN_DATABASE_URL: urls.lgwan,
      MACHI_LGWAN_DATABASE_POOL: pool,
      MACHI_MUNICIPALITIES: MUNICIPALITY,
      MACHI_JPKI_DIR: join(dir, 'jpki'),
      MACHI_DATA_DIR: dir,
      MACHI_GATEWAY_KEY_INTERNET_LGWAN: randomBytes(32).toString('base64'),
      MACHI_GATEWAY_KEY_LGWAN_MYNUMBER: randomBytes(32).toString('base64'),
    };
    const config = loadConfig({ ...process.env, ...zoneEnv });
    const zones: Partial<Record<'internet' | 'lgwan', ZoneProcess>> = {};
    const cleanUp = async () => {
      zones.internet?.kill();
      zones.lgwan?.kill();
      for (const url of Object.values(urls)) {
        const database = new URL(url).pathname.slice(1);
        await query(serverUrl, `drop database if exists ${database} with (force)`).catch(() => {});
      }
      rmSync(dir, { recursive: true, force: true });
    };
    // Stopped from outside (Ctrl-C, kill): still stop the zones and drop the scratch databases.
    const interrupted = (signal: NodeJS.Signals) => {
      loading?.kill();
      void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    try {
      for (const url of Object.values(urls)) {
        await query(serverUrl, `create database ${new URL(url).pathname.slice(1)}`);
      }
      await initPki(config.jpki, 'Machi JPKI (bench)', new Date());
      const preparing = performance.now();
      const database = await openDatabase({ url: urls.internet, poolSize: 4 });
      let cards: Awaited<ReturnType<typeof issueCards>>;
      try {
        await migrate(database.db, [auditMigrations, ...internetZone.migrations]);
        cards = await issueCards(config, database.db as JpkiStatusDb, MUNICIPALITY, residentCount);
      } finally {
        await database.close();
      }
      // Each zone's CPU profiles in a directory of its own (both number them run-1, run-2…).
      const profile = (zone: string) => {
        const root = process.env.MACHI_BENCH_PROFILE;
        if (!root) return {};
        mkdirSync(join(root, zone), { recursive: true });
        return { MACHI_BENCH_PROFILE: join(root, zone) };
      };
      zones.lgwan = await startZone('lgwan', { ...zoneEnv, ...profile('lgwan') });
      zones.internet = await startZone('internet', {
        ...zoneEnv,
        ...profile('internet'),
        MACHI_LGWAN_URL: `http://127.0.0.1:${zones.lgwan.port}`,
      });
      const residents: BenchResident[] = await signInAll(zones.internet.port, cards);
      const history = await seedHistory(urls, MUNICIPALITY);
      const preparationSeconds = +((performance.now() - preparing) / 1000).toFixed(1);

      const catalogue = loadCatalogue();
      const dataOf = (id: string) => catalogue.get(id)!.definition.examples.valid as Record<string, unknown>;
      const common = {
        port: zones.internet.port,
        municipalityCode: MUNICIPALITY,
        residents,
        warmUpSeconds,
        staggerCount: 0,
      };
      const running = { internet: zones.internet, lgwan: zones.lgwan };
      const result: Record<string, unknown> = {
        residents: residentCount,
        databasePool: Number(pool),
        preparationSeconds,
        history,
      };

      if (part !== 'photo') {
        const rate = env('MACHI_BENCH_FORM_RATE', TARGET.form.rate);
        const seconds = env('MACHI_BENCH_FORM_SECONDS', 30);
        const { procedureId } = PROCEDURES.form;
        // The baseline first, while the machine is otherwise quiet.
        const baseline = await verifyBaseline(
          config,
          residents,
          { procedureId, municipalityCode: MUNICIPALITY, data: dataOf(procedureId) },
          3,
        );
        const run = await runPart(running, urls, {
          ...common,
          rate,
          seconds,
          connections: env('MACHI_BENCH_CONNECTIONS', 64),
          procedureId,
          data: dataOf(procedureId),
          staggerCount: Math.round(Math.min(warmUpSeconds, STATUS_CACHE_MS / 1000) * rate),
          receiptsFile: join(dir, 'form-receipts.json'),
        });
        const { load } = run;
        result.form = {
          procedureId,
          targetRate: rate,
          seconds,
          warmUpSeconds,
          ...run,
          baseline: {
            what: 'verifyDocumentSignature of the same filings on one core, revocation answers cached',
            ...baseline,
          },
          ratio: +(load.achievedRate / baseline.verifyDocumentSignaturePerSecond).toFixed(3),
          target: TARGET.form,
          met:
            load.achievedRate >= TARGET.form.rate * 0.95 &&
            rate >= TARGET.form.rate &&
            load.latencyMs.p99 < TARGET.form.p99Ms &&
            load.errors === 0 &&
            (load.status['201'] ?? 0) === load.sent &&
            run.checks.exactlyOnce,
        };
      }

      if (part !== 'form') {
        const rate = env('MACHI_BENCH_PHOTO_RATE', TARGET.photo.rate);
        const seconds = env('MACHI_BENCH_PHOTO_SECONDS', 30);
        const { procedureId, attachmentId } = PROCEDURES.photo;
        const photosDir = join(dir, 'photos');
        mkdirSync(photosDir);
        const photos = writePhotos(photosDir, 8);
        const baseline = await sanitizeBaseline(photos.files, config.sanitize.workers, 5);
        const run = await runPart(running, urls, {
          ...common,
          rate,
          seconds,
          connections: 32,
          procedureId,
          data: dataOf(procedureId),
          attachment: { id: attachmentId, files: photos.files },
          staggerCount: Math.round(Math.min(warmUpSeconds, STATUS_CACHE_MS / 1000) * rate),
          receiptsFile: join(dir, 'photo-receipts.json'),
        });
        const { load } = run;
        result.photo = {
          procedureId,
          targetRate: rate,
          seconds,
          warmUpSeconds,
          photoBytes: photos.bytes,
          ...run,
          baseline: {
            what: 'the sanitizer alone on the same photos (its worker processes, one file each at a time, read and written by the worker as in the zone)',
            ...baseline,
          },
          ratio: +(load.achievedRate / baseline.filesPerSecond).toFixed(3),
          target: TARGET.photo,
          met:
            load.achievedRate >= TARGET.photo.rate * 0.95 &&
            rate >= TARGET.photo.rate &&
            load.latencyMs.p99 < TARGET.photo.keptUpP99Ms &&
            load.errors === 0 &&
            (load.status['201'] ?? 0) === load.sent &&
            run.checks.exactlyOnce,
        };
      }
      await zones.internet.stop();
      await zones.lgwan.stop();
      return result;
    } finally {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      await cleanUp();
    }
  },
};
