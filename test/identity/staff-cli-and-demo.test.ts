import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type ZoneContext } from '../../src/core/index.ts';
import { type DemoStaffEntry, seedDemoStaff, verifyPassword } from '../../src/modules/identity/index.ts';
import { lgwanZone, type RunningZone } from '../../src/zones/index.ts';
import { runMachi } from '../support/machi.ts';
import { signInStaff } from '../support/staff.ts';
import { openTestZone } from '../support/zone.ts';

// The CLI reads its configuration from the environment; these are set for this file only.
const ENV = [
  'MACHI_DATA_DIR',
  'MACHI_MUNICIPALITIES',
  'MACHI_LGWAN_DATABASE_URL',
  'MACHI_MYNUMBER_DATABASE_URL',
];
const saved = new Map(ENV.map((name) => [name, process.env[name]]));
let dataDir: string;

async function machi(...argv: string[]) {
  const { code, stdout, stderr } = await runMachi(...argv);
  return { code, out: stdout, err: stderr };
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'machi-staff-'));
  for (const name of ENV) delete process.env[name];
  process.env.MACHI_DATA_DIR = dataDir;
  process.env.MACHI_MUNICIPALITIES = '131016,011002';
});

afterAll(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('machi staff create', () => {
  const base = ['staff', 'create', '--zone', 'mynumber', '--municipality', '131016', '--name', '窓口 花子'];

  it.each([
    [['--user', 'hanako'], '--roles is required'],
    [['--user', 'hanako', '--roles', 'registry-clerk,root'], 'not root'],
    [['--user', 'hanako', '--roles', 'auditor', '--municipality', '131017'], 'check digit'],
    [['--user', 'hanako', '--roles', 'auditor', '--municipality', '472018'], 'not served'],
  ])('refuses %j with usage exit code 2', async (extra, message) => {
    const argv = [...base, ...extra];
    const result = await machi(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it('refuses the internet zone', async () => {
    const result = await machi(
      'staff',
      'create',
      '--zone',
      'internet',
      '--municipality',
      '131016',
      '--user',
      'x1',
      '--name',
      'x',
      '--roles',
      'admin',
    );
    expect(result.code).toBe(2);
  });

  it('creates an account and prints its secrets once, as JSON when asked', async () => {
    const result = await machi(...base, '--user', 'Hanako', '--roles', 'registry-clerk,auditor', '--json');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const created = JSON.parse(result.out);
    expect(created.staff).toMatchObject({ userName: 'hanako', roles: ['registry-clerk', 'auditor'] });
    expect(created.initialPassword).toHaveLength(20);
    expect(created.otpauthUri).toMatch(
      /^otpauth:\/\/totp\/Machi%20mynumber%20131016:hanako%40131016\?secret=/,
    );

    const again = await machi(...base, '--user', 'hanako', '--roles', 'auditor');
    expect(again.code).toBe(1);
    expect(again.err).toContain('[conflict]');

    const text = await machi(...base, '--user', 'taro', '--roles', 'auditor');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/initial password: \w{20}/);
    expect(text.out).toContain('otpauth URI:      otpauth://totp/');
  });
});

describe('demo staff seed', () => {
  let zone: RunningZone;
  let context: ZoneContext;
  const clock = fixedClock(new Date('2025-04-01T09:00:00+09:00'));

  beforeAll(async () => {
    zone = await openTestZone(lgwanZone, { clock, municipalities: ['131016', '011002'] });
    context = { ...zone.context, config: { ...zone.context.config, dataDir } };
  });
  afterAll(async () => {
    await zone?.close();
  });

  it('creates three random-secret accounts per municipality in a private file, once', async () => {
    const file = await seedDemoStaff(context);
    expect(file).toBe(join(dataDir, 'lgwan', 'demo-staff.json'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const first = readFileSync(file, 'utf8');
    const accounts = JSON.parse(first).accounts as DemoStaffEntry[];
    expect(accounts.map((a) => `${a.municipalityCode}/${a.userName}`).sort()).toEqual([
      '011002/demo-admin',
      '011002/demo-auditor',
      '011002/demo-clerk',
      '131016/demo-admin',
      '131016/demo-auditor',
      '131016/demo-clerk',
    ]);
    expect(new Set(accounts.map((a) => a.password)).size).toBe(6);
    expect(accounts.find((a) => a.userName === 'demo-clerk')?.roles).toEqual([
      'registry-clerk',
      'case-worker',
    ]);

    await seedDemoStaff(context);
    expect(readFileSync(file, 'utf8')).toBe(first);
    const count = await zone.context.database.db
      .selectFrom('staff_accounts')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(6);

    const clerk = accounts.find((a) => a.municipalityCode === '131016' && a.userName === 'demo-clerk')!;
    const row = await zone.context.database.db
      .selectFrom('staff_accounts')
      .select('password_hash')
      .where('user_name', '=', 'demo-clerk')
      .where('municipality_code', '=', '131016')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).not.toContain(clerk.password);
    expect(await verifyPassword(clerk.password, row.password_hash)).toBe(true);
    const signedIn = await signInStaff(zone.app, { ...clerk, clock });
    expect(signedIn.cookie).toMatch(/^machi_staff=131016\./);
  });
});
