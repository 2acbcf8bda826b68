import { MachiError } from '../../../core/index.ts';

/**
 * Merchant-presented QR codes in the EMVCo MPM format that JPQR (the unified QR of Japan's
 * payments council) builds on: a string of data objects, each a two-digit ID, a two-digit
 * length (in characters) and the value; "00" first, the CRC "63" last. Machi's own account
 * template sits in one of IDs 26–51 under its globally unique identifier, so a shop's
 * JPQR sticker can carry Machi next to other payment schemes and each app reads its own.
 */

/** The globally unique identifier of Machi's merchant account template (reverse domain name). */
export const MACHI_QR_GUI = 'jp.machi.points';

export interface MerchantQr {
  /** Static: the payer types the amount. Dynamic: the amount (and a reference) is inside. */
  readonly kind: 'static' | 'dynamic';
  readonly municipalityCode: string;
  readonly merchantId: string;
  /** Whole yen, dynamic codes only. */
  readonly amount?: number;
  /** The merchant's reference for this payment (dynamic codes), e.g. a till receipt number. */
  readonly reference?: string;
  /** ISO 18245 merchant category code, 4 digits. */
  readonly categoryCode: string;
  /** Latin name and city as the format requires (ANS, ≤ 25 and ≤ 15 characters)… */
  readonly merchantName: string;
  readonly merchantCity: string;
  /** …and the Japanese ones in the alternate-language template (ID 64). */
  readonly merchantNameJa?: string;
  readonly postalCode?: string;
}

const invalid = (detail: string) => new MachiError('qr-invalid', detail);

/** CRC-16/CCITT-FALSE's remainder of each byte value, so that a byte takes one lookup, not eight shifts. */
const CRC_TABLE = Uint16Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

/** CRC-16/CCITT-FALSE (ISO/IEC 13239: polynomial 0x1021, initial 0xFFFF), as four upper-case hex digits. */
export function qrCrc(text: string): string {
  let crc = 0xffff;
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    crc = ((crc << 8) & 0xffff) ^ (CRC_TABLE[((crc >> 8) ^ (bytes[i] as number)) & 0xff] as number);
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

const characters = (value: string) => [...value].length;

function dataObject(id: string, value: string): string {
  const length = characters(value);
  if (length === 0 || length > 99) throw invalid(`Data object ${id} must be 1–99 characters.`);
  return `${id}${String(length).padStart(2, '0')}${value}`;
}

/** A UTF-16 surrogate: half of a character outside the BMP, which `[...text]` keeps whole. */
const SURROGATE = /[\uD800-\uDFFF]/;
const TWO_DIGITS = /^\d{2}$/;

/**
 * Data objects in order; throws on a length that runs past the end or is not two digits.
 * Lengths count characters. A code is read once per payment, so it is cut by index: only a
 * text with a character outside the BMP is split into characters first.
 */
function readObjects(text: string, what: string): [string, string][] {
  const chars: string | readonly string[] = SURROGATE.test(text) ? [...text] : text;
  const cut = (from: number, to: number) =>
    typeof chars === 'string' ? chars.slice(from, to) : chars.slice(from, to).join('');
  const objects: [string, string][] = [];
  let at = 0;
  while (at < chars.length) {
    const id = cut(at, at + 2);
    const lengthText = cut(at + 2, at + 4);
    if (!TWO_DIGITS.test(id) || !TWO_DIGITS.test(lengthText))
      throw invalid(`${what}: a data object at ${at} has no ID and length.`);
    const length = Number(lengthText);
    if (length === 0 || at + 4 + length > chars.length)
      throw invalid(`${what}: data object ${id} runs past the end.`);
    objects.push([id, cut(at + 4, at + 4 + length)]);
    at += 4 + length;
  }
  return objects;
}

const ANS = /^[\x20-\x7e]+$/;
/** The longest merchant id, name and city the format carries (ANS: printable ASCII). */
export const QR_MERCHANT_ID_MAX = 32;
export const QR_MERCHANT_NAME_MAX = 25;
export const QR_MERCHANT_CITY_MAX = 15;

/** Whether `value` fits an ANS data object of at most `max` characters. */
export const isQrText = (value: string, max: number) => ANS.test(value) && value.length <= max;

function ans(value: string, max: number, what: string): string {
  if (!isQrText(value, max)) throw invalid(`${what} must be 1–${max} printable ASCII characters.`);
  return value;
}

/** The QR text of a merchant's code. */
export function encodeMerchantQr(qr: MerchantQr): string {
  if (qr.kind === 'dynamic' && (!Number.isSafeInteger(qr.amount) || (qr.amount ?? 0) <= 0)) {
    throw invalid('A dynamic code carries a whole amount in yen greater than zero.');
  }
  if (qr.kind === 'static' && qr.amount !== undefined) throw invalid('A static code carries no amount.');
  const account =
    dataObject('00', MACHI_QR_GUI) +
    dataObject('01', qr.municipalityCode) +
    dataObject('02', ans(qr.merchantId, QR_MERCHANT_ID_MAX, 'The merchant id'));
  let text =
    dataObject('00', '01') +
    dataObject('01', qr.kind === 'static' ? '11' : '12') +
    dataObject('26', account) +
    dataObject('52', qr.categoryCode) +
    dataObject('53', '392') +
    (qr.amount !== undefined ? dataObject('54', String(qr.amount)) : '') +
    dataObject('58', 'JP') +
    dataObject('59', ans(qr.merchantName, QR_MERCHANT_NAME_MAX, 'The merchant name')) +
    dataObject('60', ans(qr.merchantCity, QR_MERCHANT_CITY_MAX, 'The merchant city')) +
    (qr.postalCode ? dataObject('61', qr.postalCode) : '') +
    (qr.reference ? dataObject('62', dataObject('05', ans(qr.reference, 25, 'The reference'))) : '') +
    (qr.merchantNameJa ? dataObject('64', dataObject('00', 'JA') + dataObject('01', qr.merchantNameJa)) : '');
  text += '6304';
  return text + qrCrc(text);
}

/**
 * Reads a scanned merchant code: format, CRC, and Machi's account template. Anything else —
 * a torn or retyped code (CRC), a code of another scheme only, an amount in a static code —
 * is `qr-invalid` with what is wrong.
 */
export function parseMerchantQr(text: string): MerchantQr {
  if (typeof text !== 'string' || text.length < 12 || text.length > 512)
    throw invalid('This is not a payment QR code.');
  const crcAt = text.length - 8;
  if (text.slice(crcAt, crcAt + 4) !== '6304') throw invalid('The code does not end with its CRC (ID 63).');
  if (qrCrc(text.slice(0, crcAt + 4)) !== text.slice(crcAt + 4).toUpperCase()) {
    throw invalid('The CRC does not match: the code is damaged or was altered.');
  }
  const objects = readObjects(text.slice(0, crcAt), 'The code');
  if (objects[0]?.[0] !== '00' || objects[0][1] !== '01')
    throw invalid('The code does not start with payload format 01 (ID 00).');
  const ids = objects.map(([id]) => id);
  if (new Set(ids).size !== ids.length) throw invalid('A data object appears twice.');
  const field = new Map(objects);
  const initiation = field.get('01');
  if (initiation !== '11' && initiation !== '12')
    throw invalid('The point of initiation (ID 01) must be 11 or 12.');
  if (field.get('53') !== '392') throw invalid('The currency (ID 53) must be 392, Japanese yen.');
  if (field.get('58') !== 'JP') throw invalid('The country (ID 58) must be JP.');
  const template = objects.find(
    ([id, value]) =>
      Number(id) >= 26 && Number(id) <= 51 && readObjects(value, `ID ${id}`)[0]?.[1] === MACHI_QR_GUI,
  );
  if (!template) throw invalid('The code has no Machi account (a template under jp.machi.points).');
  const account = new Map(readObjects(template[1], `ID ${template[0]}`));
  const municipalityCode = account.get('01');
  const merchantId = account.get('02');
  if (!municipalityCode || !/^\d{6}$/.test(municipalityCode) || !merchantId) {
    throw invalid('The Machi account names no municipality or merchant.');
  }
  const amountText = field.get('54');
  if (initiation === '11' && amountText !== undefined)
    throw invalid('A static code (11) must not carry an amount.');
  if (initiation === '12' && (amountText === undefined || !/^[1-9]\d{0,12}$/.test(amountText))) {
    throw invalid('A dynamic code (12) carries a whole amount in yen (ID 54).');
  }
  const reference = field.has('62')
    ? new Map(readObjects(field.get('62') as string, 'ID 62')).get('05')
    : undefined;
  const language = field.has('64') ? new Map(readObjects(field.get('64') as string, 'ID 64')) : undefined;
  const postalCode = field.get('61');
  const nameJa = language?.get('01');
  return {
    kind: initiation === '11' ? 'static' : 'dynamic',
    municipalityCode,
    merchantId,
    ...(amountText !== undefined ? { amount: Number(amountText) } : {}),
    ...(reference ? { reference } : {}),
    categoryCode: field.get('52') ?? '',
    merchantName: field.get('59') ?? '',
    merchantCity: field.get('60') ?? '',
    ...(nameJa ? { merchantNameJa: nameJa } : {}),
    ...(postalCode ? { postalCode } : {}),
  };
}
