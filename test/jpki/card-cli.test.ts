// The README's card round trip through the `machi` CLI, run in-process against the three
// zones listening on loopback: pki init, card issue at the counter, status, sign-in,
// signing and verifying a document, revocation, and the PIN counter locking the card.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type MachiConfig, systemClock } from '../../src/core/index.ts';
import {
  createEmbeddedNetwork,
  internetZone,
  lgwanZone,
  mynumberZone,
  openZone,
  type RunningZone,
} from '../../src/zones/index.ts';
import { openTestDatabase } from '../support/database.ts';
import { freePort } from '../support/free-port.ts';
import { runMachi } from '../support/machi.ts';
import { myNumberOf, residentCodeOf } from '../support/registry-ids.ts';
import { createTestStaff, signedInStaff } from '../support/staff.ts';
import { moveIn, PASSWORD, PIN, propagate } from './support.ts';

const CHIYODA = '131016';
const resident = residentCodeOf(601);

const machi = runMachi;

/**
 * The three zones as openThreeZones() opens them, but configured with the internet zone's
 * real URL: challenges are bound to the zone's configured origin, and `card login` refuses
 * a challenge for another origin, so the zone must know where it listens.
 */
async function openZones(config: MachiConfig) {
  const network = createEmbeddedNetwork();
  const opened: { zone: RunningZone; close: () => Promise<void> }[] = [];
  for (const definition of [internetZone, lgwanZone, mynumberZone]) {
    const database = await openTestDatabase();
    const zone = await openZone(definition, config, { database, clock: systemClock, gateway: network });
    opened.push({
      zone,
      async close() {
        await zone.close();
        await database.close();
      },
    });
  }
  return {
    internet: opened[0]!.zone,
    lgwan: opened[1]!.zone,
    mynumber: opened[2]!.zone,
    async close() {
      for (const item of opened.reverse()) await item.close();
    },
  };
}

const envNames = [
  'MACHI_DATA_DIR',
  'MACHI_JPKI_DIR',
  'MACHI_INTERNET_URL',
  'MACHI_MYNUMBER_URL',
  'MACHI_JPKI_OCSP_URL',
  'MACHI_JPKI_CRL_URL',
  'MACHI_CARD_PIN',
  'MACHI_CARD_PASSWORD',
  'MACHI_STAFF_PASSWORD',
  'MACHI_STAFF_TOTP_SECRET',
] as const;
const savedEnv = Object.fromEntries(envNames.map((name) => [name, process.env[name]]));

let dir: string;
let jpkiDir: string;
let internetUrl: string;
let mynumberUrl: string;
let staffFile: string;
let issuer: string;
let revoker: string;
let zones: Awaited<ReturnType<typeof openZones>>;
let firstInit: Awaited<ReturnType<typeof machi>>;

const path = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'machi-card-cli-'));
  jpkiDir = path('jpki');
  internetUrl = `http://127.0.0.1:${await freePort()}`;
  for (const name of envNames) delete process.env[name];
  Object.assign(process.env, {
    MACHI_DATA_DIR: path('data'),
    MACHI_JPKI_DIR: jpkiDir,
    MACHI_INTERNET_URL: internetUrl,
    MACHI_JPKI_OCSP_URL: `${internetUrl}/jpki/ocsp`,
    MACHI_JPKI_CRL_URL: `${internetUrl}/jpki/crl`,
    MACHI_CARD_PIN: PIN,
    MACHI_CARD_PASSWORD: PASSWORD,
  });
  // The authority comes first: the zones load it when they open.
  firstInit = await machi('pki', 'init', '--name', 'Machi JPKI (CLI test)');

  zones = await openZones(
    loadConfig({
      MACHI_MUNICIPALITIES: `${CHIYODA},011002`,
      MACHI_DATA_DIR: '/nonexistent',
      MACHI_JPKI_DIR: jpkiDir,
      MACHI_INTERNET_URL: internetUrl,
    }),
  );
  await zones.internet.app.listen({ host: '127.0.0.1', port: Number(new URL(internetUrl).port) });
  await zones.mynumber.app.listen({ host: '127.0.0.1', port: 0 });
  mynumberUrl = `http://127.0.0.1:${(zones.mynumber.app.server.address() as AddressInfo).port}`;
  process.env.MACHI_MYNUMBER_URL = mynumberUrl;

  const registrar = await signedInStaff(zones.mynumber, {
    municipalityCode: CHIYODA,
    roles: ['registry-clerk'],
  });
  await moveIn(zones.mynumber, registrar, CHIYODA, {
    residentCode: resident,
    myNumber: myNumberOf(601),
    familyName: '山田',
    givenName: '花子',
    birthDate: '1958-04-01',
  });
  // Two clerks: a one-time code works once per 30 s step, so each counter command signs in as its own.
  const clerks = [];
  for (let i = 0; i < 2; i++) {
    clerks.push(
      await createTestStaff(zones.mynumber, { municipalityCode: CHIYODA, roles: ['registry-clerk'] }),
    );
  }
  [issuer, revoker] = clerks.map((clerk) => clerk.userName) as [string, string];
  staffFile = path('staff.json');
  writeFileSync(
    staffFile,
    JSON.stringify({
      accounts: clerks.map(({ municipalityCode, userName, password, totpSecret }) => ({
        municipalityCode,
        userName,
        password,
        totpSecret,
      })),
    }),
    { mode: 0o600 },
  );
});

afterAll(async () => {
  await zones?.close();
  for (const name of envNames) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('machi pki init', () => {
  it('creates the authority once, pointing relying parties at the internet zone, and never overwrites it', async () => {
    expect(firstInit.stderr).toBe('');
    expect(firstInit.code).toBe(0);
    expect(firstInit.stdout).toContain(`JPKI created in ${jpkiDir}\n`);
    expect(firstInit.stdout).toMatch(/^root {8}.*Machi JPKI \(CLI test\)/m);
    expect(firstInit.stdout).toContain(`OCSP        ${internetUrl}/jpki/ocsp\n`);
    expect(firstInit.stdout).toContain(`CRL         ${internetUrl}/jpki/crl/{auth,signing}.crl\n`);
    const pkiJson = readFileSync(join(jpkiDir, 'pki.json'), 'utf8');

    const again = await machi('pki', 'init');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('already exists');
    expect(again.stderr).toContain('[conflict]');
    expect(readFileSync(join(jpkiDir, 'pki.json'), 'utf8')).toBe(pkiJson);
  });
});

describe('a card through the CLI', () => {
  let cardId: string;
  let authSerial: string;
  const card = () => path('card.json');
  const login = () => machi('card', 'login', '--card', card(), '--url', internetUrl);
  const counter = (user: string) => ['--municipality', CHIYODA, '--user', user, '--staff-file', staffFile];

  it('refuses `card issue` without a resident as a usage error, before asking anything', async () => {
    const run = await machi('card', 'issue', ...counter(issuer), '--out', card());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--resident is required');
    expect(run.stderr).toContain('machi card issue --help');
    expect(() => statSync(card())).toThrow();
  });

  it('issues a card at the counter into a file only its owner can read, and never overwrites it', async () => {
    const run = await machi('card', 'issue', ...counter(issuer), '--resident', resident, '--out', card());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = run.stdout.match(/^card ([0-9a-f-]{36}) issued, valid until (\S+): (.+)\n$/);
    expect(printed, run.stdout).not.toBeNull();
    cardId = printed![1]!;
    expect(new Date(printed![2]!).getTime()).toBeGreaterThan(Date.now());
    expect(printed![3]).toBe(card());
    expect(statSync(card()).mode & 0o777).toBe(0o600);
    const content = JSON.parse(readFileSync(card(), 'utf8'));
    expect(content.keys.auth.certificate).toContain('BEGIN CERTIFICATE');
    expect(content.keys.signing.certificate).toContain('BEGIN CERTIFICATE');

    const again = await machi('card', 'issue', ...counter(issuer), '--resident', resident, '--out', card());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('never overwritten');
    expect(readFileSync(card(), 'utf8')).toBe(`${JSON.stringify(content, null, 2)}\n`);
  });

  it('shows the card’s two certificates and the tries left', async () => {
    const text = await machi('card', 'status', '--card', card());
    expect(text.code).toBe(0);
    // The first line is the id the counter gave the card: what `card revoke --card` uses.
    expect(text.stdout).toMatch(/^card {5}[0-9a-f-]{36}\nauth {5}[0-9a-f]+ {2}until \S+ {2}3 tries left\n/);
    expect(text.stdout).toMatch(/\nsigning {2}[0-9a-f]+ {2}until \S+ {2}5 tries left\n$/);
    const json = await machi('card', 'status', '--card', card(), '--json');
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout) as {
      keys: { kind: string; locked: boolean; remainingTries: number; serialNumber: string }[];
    };
    expect(status.keys.map((key) => [key.kind, key.locked, key.remainingTries])).toEqual([
      ['auth', false, 3],
      ['signing', false, 5],
    ]);
    authSerial = status.keys[0]!.serialNumber;
    expect(status.keys[1]!.serialNumber).not.toBe(authSerial);
    expect(text.stdout).toContain(authSerial);
  });

  it('cannot sign in before the card’s status has reached the internet zone; can once it has', async () => {
    const early = await login();
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('[certificate-status-unknown]');

    const round = await propagate(zones);
    expect(round.published).toBeGreaterThanOrEqual(2);
    expect(round.pulled).toBeGreaterThanOrEqual(2);

    const run = await login();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^signed in to ${internetUrl} \\(municipality ${CHIYODA}\\) until \\S+\\n$`),
    );
    const json = await machi('card', 'login', '--card', card(), '--url', `${internetUrl}/`, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      municipalityCode: CHIYODA,
      card: { serialNumber: authSerial, status: 'good' },
    });
  });

  it('signs a document; anyone verifies signer (from the registry), status and integrity', async () => {
    writeFileSync(path('doc.txt'), '児童手当 認定請求書 2026-11-30\n');
    const signed = await machi(
      'card',
      'sign',
      '--card',
      card(),
      '--in',
      path('doc.txt'),
      '--out',
      path('doc.txt.p7s'),
    );
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(signed.stdout).toBe(
      `signed ${readFileSync(path('doc.txt')).length} bytes: ${path('doc.txt.p7s')}\n`,
    );
    expect(readFileSync(path('doc.txt.p7s'))[0]).toBe(0x30);

    const verify = (...extra: string[]) =>
      machi('card', 'verify', '--in', path('doc.txt'), '--signature', path('doc.txt.p7s'), ...extra);
    const json = await verify('--json');
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: true,
      documentIntact: true,
      signer: { name: '山田　花子', dateOfBirth: '1958-04-01', address: '東京都千代田区千代田一丁目1番1号' },
      certificateStatus: { atSigning: 'good', revokedAt: null, source: 'ocsp' },
    });
    const text = await verify();
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^valid\ndocument {4}intact\nsigner {6}山田　花子 \(1958-04-01\)/);
  });

  it('says ALTERED for a document changed after signing, and refuses a signature that is not one', async () => {
    writeFileSync(path('doc.txt'), '児童手当 認定請求書 2026-12-31\n');
    const altered = await machi(
      'card',
      'verify',
      '--in',
      path('doc.txt'),
      '--signature',
      path('doc.txt.p7s'),
    );
    expect(altered.code).toBe(1);
    expect(altered.stdout).toMatch(/^NOT valid\n/);
    expect(altered.stdout).toContain('ALTERED since it was signed');
    expect(altered.stdout).toContain('山田　花子');
    writeFileSync(path('doc.txt'), '児童手当 認定請求書 2026-11-30\n');

    writeFileSync(path('garbage.p7s'), 'this is not a CMS signature');
    const garbage = await machi(
      'card',
      'verify',
      '--in',
      path('doc.txt'),
      '--signature',
      path('garbage.p7s'),
    );
    expect(garbage.code).toBe(1);
    expect(garbage.stdout).toBe('');
    expect(garbage.stderr).toContain('[encoding-invalid]');
  });

  it('revokes the card at the counter; once propagated, sign-in and its signatures are refused', async () => {
    const badReason = await machi(
      'card',
      'revoke',
      ...counter(revoker),
      '--card-id',
      cardId,
      '--reason',
      'renewed',
    );
    expect(badReason.code).toBe(2);
    expect(badReason.stderr).toContain('--reason must be');

    const run = await machi(
      'card',
      'revoke',
      ...counter(revoker),
      '--url',
      mynumberUrl,
      '--card-id',
      cardId,
      '--reason',
      'lost',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`card ${cardId} revoked (lost)\n`);
    await propagate(zones);

    const refused = await login();
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('[certificate-revoked]');

    // Reported lost: its signatures no longer count, whatever signing time they claim.
    const verified = await machi(
      'card',
      'verify',
      '--in',
      path('doc.txt'),
      '--signature',
      path('doc.txt.p7s'),
      '--json',
    );
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      valid: false,
      documentIntact: true,
      certificateStatus: { atSigning: 'revoked' },
    });
  });

  it('counts wrong PINs on the card file and locks it at the third', async () => {
    try {
      process.env.MACHI_CARD_PIN = '9999';
      const first = await login();
      expect(first.code).toBe(1);
      expect(first.stderr).toContain('[pin-incorrect]');
      expect(first.stderr).toContain('2 tries left');
      const second = await login();
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('[pin-incorrect]');
      expect(second.stderr).toContain('1 tries left');
      const third = await login();
      expect(third.code).toBe(1);
      expect(third.stderr).toContain('[card-locked]');
    } finally {
      process.env.MACHI_CARD_PIN = PIN;
    }
    // Locked: the right PIN no longer opens the auth key (the signing key keeps its own counter).
    const right = await login();
    expect(right.code).toBe(1);
    expect(right.stderr).toContain('[card-locked]');
    const status = await machi('card', 'status', '--card', card(), '--json');
    expect(
      (JSON.parse(status.stdout) as { keys: { locked: boolean; remainingTries: number }[] }).keys.map(
        (key) => [key.locked, key.remainingTries],
      ),
    ).toEqual([
      [true, 0],
      [false, 5],
    ]);
  });
});
