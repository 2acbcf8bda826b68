import { isMachiError, MachiError, type TenantScope } from '../../../core/index.ts';
import { encodeMerchantQr, isQrText, QR_MERCHANT_CITY_MAX, QR_MERCHANT_NAME_MAX } from '../qr/emv-qr.ts';
import { ZENGIN_PAYEE_NAME_WIDTH, zenginText } from '../settlement/zengin.ts';
import type { NewMerchant } from './merchants.ts';

/** A merchant's fields, as a page names its inputs. */
export type MerchantField =
  | 'merchantId'
  | 'name'
  | 'nameLatin'
  | 'cityLatin'
  | 'categoryCode'
  | 'postalCode'
  | 'feeBasisPoints'
  | 'bankCode'
  | 'branchCode'
  | 'accountType'
  | 'accountNumber'
  | 'holderKana';

export interface MerchantProblem {
  readonly field: MerchantField;
  /** In English, as the API says it; a page may say it in its own words by `field`. */
  readonly detail: string;
  /** For the account holder: the character a Zengin file cannot carry. */
  readonly character?: string;
}

/** Ids staff choose: lower-case, so that two spellings never name two shops; within the QR's 32. */
const MERCHANT_ID = /^[a-z0-9-]{1,32}$/;
/** Shown on every page and in the QR's alternate-language template (at most 99 with its header). */
const NAME_MAX = 50;

function holderProblem(holderKana: string): MerchantProblem | undefined {
  let text: string;
  try {
    text = zenginText(holderKana, 'The account holder');
  } catch (error) {
    if (!isMachiError(error)) throw error;
    const character = error.extensions.character;
    return {
      field: 'holderKana',
      detail: error.detail,
      ...(typeof character === 'string' ? { character } : {}),
    };
  }
  if (text.trim() === '' || text.length > ZENGIN_PAYEE_NAME_WIDTH) {
    return {
      field: 'holderKana',
      detail: `The account holder is 1–${ZENGIN_PAYEE_NAME_WIDTH} half-width kana as the bank file writes it.`,
    };
  }
  return undefined;
}

/**
 * Everything wrong with a merchant's terms, field by field: what the QR code (EMV MPM) and the
 * settlement's Zengin file can carry, and what the tables hold (exact digits: char columns
 * would pad a short code with spaces). Empty when the merchant can be kept.
 */
export function merchantProblems(scope: TenantScope, merchant: NewMerchant): MerchantProblem[] {
  const problems: MerchantProblem[] = [];
  const problem = (field: MerchantField, detail: string) => problems.push({ field, detail });
  if (!MERCHANT_ID.test(merchant.merchantId))
    problem('merchantId', 'The merchant id is 1–32 of a–z, 0–9 and -.');
  const name = merchant.name.trim();
  if (name === '' || [...name].length > NAME_MAX) problem('name', `The name is 1–${NAME_MAX} characters.`);
  if (!isQrText(merchant.nameLatin, QR_MERCHANT_NAME_MAX) || merchant.nameLatin.trim() === '') {
    problem('nameLatin', `The Latin name is 1–${QR_MERCHANT_NAME_MAX} ASCII letters, digits and spaces.`);
  }
  if (!isQrText(merchant.cityLatin, QR_MERCHANT_CITY_MAX) || merchant.cityLatin.trim() === '') {
    problem('cityLatin', `The Latin city is 1–${QR_MERCHANT_CITY_MAX} ASCII letters, digits and spaces.`);
  }
  if (!/^\d{4}$/.test(merchant.categoryCode))
    problem('categoryCode', 'The merchant category code is 4 digits.');
  if (merchant.postalCode !== undefined && !/^\d{7}$/.test(merchant.postalCode)) {
    problem('postalCode', 'The postal code is 7 digits.');
  }
  const fee = merchant.feeBasisPoints;
  if (!Number.isSafeInteger(fee) || fee < 0 || fee > 10_000) {
    problem('feeBasisPoints', 'The fee is 0–10,000 basis points (0–100 %).');
  }
  const bank = merchant.bank;
  if (bank) {
    if (!/^\d{4}$/.test(bank.bankCode)) problem('bankCode', 'The bank code is 4 digits.');
    if (!/^\d{3}$/.test(bank.branchCode)) problem('branchCode', 'The branch code is 3 digits.');
    if (bank.accountType !== '1' && bank.accountType !== '2') {
      problem('accountType', 'The account type is 1 (普通) or 2 (当座).');
    }
    if (!/^\d{7}$/.test(bank.accountNumber)) problem('accountNumber', 'The account number is 7 digits.');
    const holder = holderProblem(bank.holderKana);
    if (holder) problems.push(holder);
  }
  if (problems.length > 0) return problems;
  try {
    // The code itself, written as merchantQrText writes it: the last word on what it can carry.
    encodeMerchantQr({
      kind: 'static',
      municipalityCode: scope.municipalityCode,
      merchantId: merchant.merchantId,
      categoryCode: merchant.categoryCode,
      merchantName: merchant.nameLatin,
      merchantCity: merchant.cityLatin,
      merchantNameJa: merchant.name,
      ...(merchant.postalCode ? { postalCode: merchant.postalCode } : {}),
    });
  } catch (error) {
    if (!isMachiError(error)) throw error;
    problem('name', error.detail);
  }
  return problems;
}

/** Throws `validation-failed` for the first problem of `merchantProblems` (its field alongside). */
export function checkMerchant(scope: TenantScope, merchant: NewMerchant): void {
  const [first] = merchantProblems(scope, merchant);
  if (first) throw new MachiError('validation-failed', first.detail, { field: first.field });
}
