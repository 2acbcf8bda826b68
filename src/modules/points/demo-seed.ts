import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { tenantScope, type ZoneContext } from '../../core/index.ts';
import { defineProgramme, type EarningDb, type Programme } from './earning/programmes.ts';
import { openAccount } from './ledger/accounts.ts';
import type { PointsLedgerTables } from './ledger/tables.ts';
import { issueMerchantKey, type MerchantKeysDb } from './merchants/keys.ts';
import { type MerchantsDb, merchantQrText, registerMerchant } from './merchants/merchants.ts';
import {
  definePremiumOffer,
  fundPremiumBudget,
  type PremiumDb,
  type PremiumOffer,
} from './premium/offers.ts';
import { type SettlementDb, setSettlementAccount } from './settlement/settle-merchants.ts';

const programmes: readonly Programme[] = [
  {
    programmeId: 'event',
    name: { ja: 'イベント参加', en: 'Taking part in an event' },
    points: 100,
    capPoints: 500,
    capPeriod: 'month',
    expiryMonths: 12,
    active: true,
  },
  {
    programmeId: 'volunteer',
    name: { ja: 'ボランティア活動', en: 'Volunteering' },
    points: 200,
    capPoints: 2_000,
    capPeriod: 'fiscal-year',
    expiryMonths: 12,
    active: true,
  },
  {
    // As Tsu city's pass: residents aged 65 and over, up to 2,000 points a 年度 for bus fares.
    programmeId: 'senior-bus',
    name: { ja: 'シニア世代のバス利用', en: 'Bus fares for residents aged 65+' },
    points: 500,
    capPoints: 2_000,
    capPeriod: 'fiscal-year',
    expiryMonths: 12,
    minAge: 65,
    active: true,
  },
];

/** 10,000 yen buys 11,000 points (10% premium), three units a person. */
const premiumOffer: PremiumOffer = {
  offerId: 'demo-premium',
  name: { ja: 'プレミアム付きポイント', en: 'Premium points' },
  priceYen: 10_000,
  points: 11_000,
  maxUnitsPerPerson: 3,
  pointsExpireOn: null,
  salesFrom: null,
  salesUntil: null,
  active: true,
};
/** The demo's public budget for premiums: 1,000 units' worth. */
const PREMIUM_BUDGET_POINTS = 1_000_000;

interface DemoMerchantEntry {
  readonly municipalityCode: string;
  readonly merchantId: string;
  readonly terminalKey: string;
  readonly staticQr: string;
}

/**
 * Demo points for every served municipality: two earning programmes, a premium points offer
 * with its public budget, a merchant (まち商店) with a bank account and a terminal key, and the
 * municipality's settlement account. The key is
 * made on first start and written, with the shop's code, to <dataDir>/internet/demo-merchants.json
 * (mode 0600), the only place it exists in clear. Idempotent.
 */
export async function seedDemoPoints(context: ZoneContext): Promise<void> {
  const db = context.database.db;
  const now = context.clock.now();
  const file = join(context.config.dataDir, context.zone, 'demo-merchants.json');
  const entries: DemoMerchantEntry[] = existsSync(file)
    ? ((JSON.parse(readFileSync(file, 'utf8')) as { merchants?: DemoMerchantEntry[] }).merchants ?? [])
    : [];
  let added = 0;
  for (const municipality of context.served.list()) {
    const scope = tenantScope(municipality.code);
    await openAccount(db as Kysely<PointsLedgerTables>, scope, 'issuance', 'earning', now);
    for (const programme of programmes) await defineProgramme(db as EarningDb, scope, programme, now);
    await definePremiumOffer(db as PremiumDb, scope, premiumOffer, now);
    const funding = { offerId: premiumOffer.offerId, fundingId: 'demo', points: PREMIUM_BUDGET_POINTS };
    await fundPremiumBudget(db as PremiumDb, context, scope, funding, 'system');
    const merchant = await registerMerchant(
      db as MerchantsDb,
      scope,
      {
        merchantId: 'm-demo',
        name: 'まち商店',
        nameLatin: 'MACHI SHOTEN',
        cityLatin: 'MACHI',
        categoryCode: '5411',
        feeBasisPoints: 100,
        bank: {
          bankCode: '0005',
          branchCode: '001',
          accountType: '1',
          accountNumber: '1234567',
          holderKana: 'マチシヨウテン',
        },
      },
      now,
    );
    await setSettlementAccount(db as SettlementDb, scope, {
      requesterCode: '9999999999',
      requesterName: 'マチデモシ',
      bankCode: '0001',
      bankName: 'デモギンコウ',
      branchCode: '001',
      branchName: 'ホンテン',
      accountType: '1',
      accountNumber: '7654321',
    });
    if (entries.some((entry) => entry.municipalityCode === municipality.code)) continue;
    const key = await issueMerchantKey(db as MerchantKeysDb, scope, merchant.merchantId, 'demo', now);
    entries.push({
      municipalityCode: municipality.code,
      merchantId: merchant.merchantId,
      terminalKey: key.token,
      staticQr: merchantQrText(scope, merchant),
    });
    added += 1;
  }
  if (added > 0) {
    mkdirSync(join(context.config.dataDir, context.zone), { recursive: true });
    const note = "Demo merchants' terminal keys (Authorization: Bearer …). Keep this file private.";
    writeFileSync(file, `${JSON.stringify({ note, merchants: entries }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  if (entries.length > 0) process.stdout.write(`internet: demo merchants' terminal keys are in ${file}\n`);
}
