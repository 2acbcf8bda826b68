import { describe, expect, it } from 'vitest';
import { encodeMerchantQr, type MerchantQr, parseMerchantQr, qrCrc } from './emv-qr.ts';

const shop: MerchantQr = {
  kind: 'static',
  municipalityCode: '131016',
  merchantId: 'm-0042',
  categoryCode: '5411',
  merchantName: 'KANDA SHOTEN',
  merchantCity: 'CHIYODA-KU',
  merchantNameJa: '神田商店',
  postalCode: '1010047',
};

/** One data object: ID, two-digit length, value. */
const obj = (id: string, value: string) => `${id}${String(value.length).padStart(2, '0')}${value}`;

/** `body` with the right CRC after it (what a forger who knows the format would do). */
const withCrc = (body: string) => `${body}6304${qrCrc(`${body}6304`)}`;

/** A code's objects without its CRC, changed by `edit`, with a fresh CRC. */
const edited = (qr: MerchantQr, edit: (body: string) => string) =>
  withCrc(edit(encodeMerchantQr(qr).slice(0, -8)));

describe('EMV merchant-presented QR codes', () => {
  it('computes CRC-16/CCITT-FALSE (check value of "123456789" is 29B1)', () => {
    expect(qrCrc('123456789')).toBe('29B1');
  });

  it('writes a static code with the mandatory objects in order and reads it back', () => {
    const text = encodeMerchantQr(shop);
    expect(text.startsWith('000201010211')).toBe(true);
    expect(text).toContain('5303392');
    expect(text).toContain('5802JP');
    expect(text.slice(-8, -4)).toBe('6304');
    expect(parseMerchantQr(text)).toEqual(shop);
  });

  it('writes a dynamic code with its amount and reference', () => {
    const text = encodeMerchantQr({ ...shop, kind: 'dynamic', amount: 1_280, reference: 'R-000123' });
    expect(text.startsWith('000201010212')).toBe(true);
    expect(text).toContain('54041280');
    expect(parseMerchantQr(text)).toMatchObject({ kind: 'dynamic', amount: 1_280, reference: 'R-000123' });
  });

  it('counts lengths in characters, also for one outside the BMP (two UTF-16 units)', () => {
    // 𠮷 (U+20BB7) in a shop's Japanese name: its object's length is 4, its UTF-16 length 5.
    const named = { ...shop, merchantNameJa: '𠮷野商店' };
    const text = encodeMerchantQr(named);
    expect(text).toContain('0104𠮷野商店');
    expect(parseMerchantQr(text)).toEqual(named);
  });

  it('reads a lower-case CRC', () => {
    const text = encodeMerchantQr(shop);
    expect(parseMerchantQr(text.slice(0, -4) + text.slice(-4).toLowerCase()).merchantId).toBe('m-0042');
  });

  it("finds its own account among other schemes' templates", () => {
    const other = obj('25', obj('00', 'jp.example.wallet') + obj('01', 'A1234'));
    const parsed = parseMerchantQr(edited(shop, (body) => body.slice(0, 12) + other + body.slice(12)));
    expect(parsed.merchantId).toBe('m-0042');
  });

  const onlyAnotherScheme = () =>
    withCrc(
      obj('00', '01') +
        obj('01', '11') +
        obj('26', obj('00', 'jp.or.paymentsjapan') + obj('01', '123')) +
        obj('52', '5411') +
        obj('53', '392') +
        obj('58', 'JP') +
        obj('59', 'SHOP') +
        obj('60', 'TOKYO'),
    );

  it.each([
    [
      'a changed amount (CRC no longer matches)',
      () => encodeMerchantQr({ ...shop, kind: 'dynamic', amount: 100 }).replace('5403100', '5403900'),
      /CRC does not match/,
    ],
    ['a missing CRC', () => encodeMerchantQr(shop).slice(0, -8), /CRC/],
    ['text that is not a code', () => 'https://example.com/pay?x=1', /CRC|not a payment/],
    ['a wrong currency', () => edited(shop, (body) => body.replace('5303392', '5303840')), /currency/],
    [
      'an amount in a static code',
      () => edited(shop, (body) => body.replace('5802JP', '54031005802JP')),
      /static/,
    ],
    [
      'a dynamic code without an amount',
      () => edited(shop, (body) => body.replace('010211', '010212')),
      /dynamic/,
    ],
    ['a length running past the end', () => edited(shop, (body) => `${body}6499JA`), /runs past/],
    ['a data object twice', () => edited(shop, (body) => `${body}5802JP`), /twice/],
    ['another scheme only', onlyAnotherScheme, /no Machi account/],
  ])('refuses %s as qr-invalid', (_, text, message) => {
    expect(() => parseMerchantQr(text())).toThrow(
      expect.objectContaining({ code: 'qr-invalid', detail: expect.stringMatching(message) }),
    );
  });

  it('refuses to write a dynamic code without a whole positive amount', () => {
    for (const amount of [0, -1, 1.5]) {
      expect(() => encodeMerchantQr({ ...shop, kind: 'dynamic', amount })).toThrow(
        expect.objectContaining({ code: 'qr-invalid' }),
      );
    }
  });
});
