import { describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope } from '../../../core/index.ts';
import { type Merchant, type MerchantsDb, merchantQrText } from '../merchants/merchants.ts';
import { readMerchantCode } from './read-code.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
const sapporo = tenantScope(parseLgCode('011002'));
const shop: Merchant = {
  merchantId: 'm-read',
  name: '読取商店',
  nameLatin: 'YOMITORI SHOTEN',
  cityLatin: 'CHIYODA-KU',
  categoryCode: '5411',
  postalCode: null,
  active: true,
  feeBasisPoints: 100,
  accountId: 'merchant:m-read',
};
// No database: the merchant comes from this lookup.
const db = {} as MerchantsDb;
const lookUp = async () => shop;

describe('a shop code read for paying', () => {
  it('reads a code once per text, and still checks each scan as a payment needs', async () => {
    const qr = merchantQrText(chiyoda, shop);
    const first = await readMerchantCode(db, chiyoda, qr, lookUp);
    const again = await readMerchantCode(db, chiyoda, qr, lookUp);
    expect(again.code).toBe(first.code);
    expect(Object.isFrozen(first.code)).toBe(true);
    // A payer of another municipality scanning the same code is refused, read before or not.
    await expect(readMerchantCode(db, sapporo, qr, lookUp)).rejects.toMatchObject({
      code: 'merchant-unknown',
    });
    // One character changed: its CRC does not match, whatever was read before.
    const damaged = qr.replace('YOMITORI', 'YOMITOR1');
    for (let i = 0; i < 2; i++) {
      await expect(readMerchantCode(db, chiyoda, damaged, lookUp)).rejects.toMatchObject({
        code: 'qr-invalid',
      });
    }
    // A shop that stopped taking points is refused even with its code read before.
    const closed = async () => ({ ...shop, active: false });
    await expect(readMerchantCode(db, chiyoda, qr, closed)).rejects.toMatchObject({
      code: 'merchant-unknown',
    });
  });
});
