import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope, type ZoneContext } from '../../src/core/index.ts';
import {
  type MerchantKeysDb,
  merchantOfToken,
  type PointsLedgerDb,
  parseMerchantQr,
  reconcileLedger,
  seedDemoPoints,
} from '../../src/modules/points/index.ts';
import { internetZone, type RunningZone } from '../../src/zones/index.ts';
import { openTestZone } from '../support/zone.ts';

let zone: RunningZone;
let context: ZoneContext;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'machi-points-demo-'));
  zone = await openTestZone(internetZone, { municipalities: ['131016', '011002'] });
  context = { ...zone.context, config: { ...zone.context.config, dataDir } };
});
afterAll(async () => {
  await zone?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo points seed', () => {
  it('gives each municipality a shop whose terminal key and code work, kept in a private file, once', async () => {
    await seedDemoPoints(context);
    const file = join(dataDir, 'internet', 'demo-merchants.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { merchants } = JSON.parse(readFileSync(file, 'utf8')) as {
      merchants: { municipalityCode: string; terminalKey: string; staticQr: string }[];
    };
    expect(merchants.map((one) => one.municipalityCode).sort()).toEqual(['011002', '131016']);
    for (const merchant of merchants) {
      const terminal = await merchantOfToken(
        zone.context.database.db as MerchantKeysDb,
        `Bearer ${merchant.terminalKey}`,
      );
      expect(terminal).toMatchObject({ merchantId: 'm-demo' });
      expect(terminal.scope.municipalityCode).toBe(merchant.municipalityCode);
      expect(parseMerchantQr(merchant.staticQr)).toMatchObject({
        municipalityCode: merchant.municipalityCode,
        merchantId: 'm-demo',
      });
    }
    await seedDemoPoints(context);
    const again = JSON.parse(readFileSync(file, 'utf8')) as { merchants: { terminalKey: string }[] };
    expect(again.merchants.map((one) => one.terminalKey)).toEqual(merchants.map((one) => one.terminalKey));
    const result = await reconcileLedger(
      zone.context.database.db as unknown as PointsLedgerDb,
      tenantScope(parseLgCode('131016')),
    );
    expect(result.mismatches).toEqual([]);
  });
});
