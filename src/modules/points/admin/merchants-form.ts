import {
  fill,
  formatPostalCode,
  isMachiError,
  type Lang,
  normalizePostalCode,
  type TenantScope,
  type Text,
  t,
  toHalfWidthAscii,
} from '../../../core/index.ts';
import { type MerchantField, merchantProblems } from '../merchants/check-merchant.ts';
import type { MerchantTerms } from '../merchants/save-merchant.ts';
import { zenginText } from '../settlement/zengin.ts';
import type { FormProblem } from './form-fields.ts';

/** The merchant form as posted: every input a string, any of them missing. */
export type MerchantForm = Partial<Record<MerchantInput | 'mode' | '_csrf', string>>;
export type MerchantInput = Exclude<MerchantField, 'feeBasisPoints'> | 'feePercent' | 'status';

/** What the page says for each field the checks refuse, in the staff member's language. */
const problemWords: Record<MerchantField, Text> = {
  merchantId: {
    ja: '加盟店IDは英小文字・数字・-（ハイフン）で32文字以内です。',
    en: 'The merchant id is 1–32 of a–z, 0–9 and -.',
  },
  name: {
    ja: '店名（日本語）を50文字以内で入力してください。',
    en: 'Enter the name, at most 50 characters.',
  },
  nameLatin: {
    ja: '店名（ローマ字）を半角英数字25文字以内で入力してください（QRコードに入ります）。',
    en: 'Enter the Latin name in at most 25 ASCII letters and digits (it goes into the QR code).',
  },
  cityLatin: {
    ja: '市区町村名（ローマ字）を半角英数字15文字以内で入力してください（QRコードに入ります）。',
    en: 'Enter the Latin city in at most 15 ASCII letters and digits (it goes into the QR code).',
  },
  categoryCode: { ja: '業種コード（MCC）は数字4桁です。', en: 'The category code (MCC) is 4 digits.' },
  postalCode: {
    ja: '郵便番号は7桁です（例：100-0001）。',
    en: 'The postal code is 7 digits (e.g. 100-0001).',
  },
  feeBasisPoints: {
    ja: '手数料率は0〜100％の範囲で、小数点以下2桁までで入力してください（例：1.0）。',
    en: 'The fee is 0–100 %, with at most two decimals (e.g. 1.0).',
  },
  bankCode: { ja: '金融機関コードは数字4桁です。', en: 'The bank code is 4 digits.' },
  branchCode: { ja: '支店コードは数字3桁です。', en: 'The branch code is 3 digits.' },
  accountType: { ja: '預金種目は普通か当座を選んでください。', en: 'Choose ordinary or current.' },
  accountNumber: {
    ja: '口座番号は数字7桁です（7桁に満たないときは先頭に0を付けてください）。',
    en: 'The account number is 7 digits (pad a shorter one with leading zeros).',
  },
  holderKana: {
    ja: '口座名義（カナ）を30文字以内で入力してください。',
    en: 'Enter the account holder in kana, at most 30 characters.',
  },
};
const badCharacter: Text = {
  ja: '口座名義に全銀ファイルで使えない文字「{character}」があります。カナ、英大文字、数字、スペースと ( ) . - / で入力してください。',
  en: 'The account holder has 「{character}」, which a Zengin file cannot carry: use kana, capital letters, digits, spaces and ( ) . - /.',
};

/** The input a problem goes beside (the fee is typed as a percentage). */
const inputOf = (field: MerchantField): MerchantInput => (field === 'feeBasisPoints' ? 'feePercent' : field);

/**
 * A percentage as staff type it ('1', '1.0', '１．５', '2.25 %') → basis points (1 % = 100),
 * exactly: digits, never floating point. NaN for anything else.
 */
export function feeBasisPoints(typed: string): number {
  const text = toHalfWidthAscii(typed).replace(/[%\s]/g, '');
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Basis points as the page shows them: 100 → '1.0', 125 → '1.25'. */
export const feePercent = (basisPoints: number) =>
  (basisPoints / 100).toFixed(basisPoints % 10 === 0 ? 1 : 2);

const typedText = (value: string | undefined) => toHalfWidthAscii(value ?? '').trim();

/**
 * The merchant a form describes, with every problem said in the staff member's language; the
 * checks are the merchants module's own (QR code, Zengin file), so what passes here is kept
 * by the internet zone as is.
 */
export function readMerchantForm(
  lang: Lang,
  scope: TenantScope,
  form: MerchantForm,
): { terms: MerchantTerms; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  let postalCode: string | undefined;
  const postal = typedText(form.postalCode);
  if (postal !== '') {
    try {
      postalCode = normalizePostalCode(postal);
    } catch (error) {
      if (!isMachiError(error)) throw error;
      postalCode = postal;
    }
  }
  const bankInputs = [form.bankCode, form.branchCode, form.accountNumber, form.holderKana];
  const holder = (form.holderKana ?? '').trim();
  const terms: MerchantTerms = {
    merchantId: typedText(form.merchantId),
    name: (form.name ?? '').trim(),
    nameLatin: typedText(form.nameLatin),
    cityLatin: typedText(form.cityLatin),
    categoryCode: typedText(form.categoryCode),
    ...(postalCode !== undefined ? { postalCode } : {}),
    feeBasisPoints: feeBasisPoints(form.feePercent ?? ''),
    // No bank account yet is allowed (settlement skips the shop); half of one is not.
    ...(bankInputs.some((value) => (value ?? '').trim() !== '')
      ? {
          bank: {
            bankCode: typedText(form.bankCode),
            branchCode: typedText(form.branchCode),
            accountType: form.accountType === '2' ? ('2' as const) : ('1' as const),
            accountNumber: typedText(form.accountNumber),
            holderKana: holder,
          },
        }
      : {}),
    active: form.status !== 'suspended',
  };
  for (const problem of merchantProblems(scope, terms)) {
    const message =
      problem.character !== undefined
        ? fill(t(lang, badCharacter), { character: problem.character })
        : t(lang, problemWords[problem.field]);
    problems.push({ field: inputOf(problem.field), message });
  }
  if (problems.length > 0 || !terms.bank) return { terms, problems };
  // Kept as the bank file writes it, and shown so: half-width kana, small kana large.
  const holderKana = zenginText(holder, 'The account holder');
  return { terms: { ...terms, bank: { ...terms.bank, holderKana } }, problems };
}

/** A kept merchant's terms as its form shows them. */
export function typedOf(terms: MerchantTerms): Record<string, string> {
  return {
    merchantId: terms.merchantId,
    name: terms.name,
    nameLatin: terms.nameLatin,
    cityLatin: terms.cityLatin,
    categoryCode: terms.categoryCode,
    postalCode: terms.postalCode ? formatPostalCode(terms.postalCode) : '',
    feePercent: feePercent(terms.feeBasisPoints),
    bankCode: terms.bank?.bankCode ?? '',
    branchCode: terms.bank?.branchCode ?? '',
    accountType: terms.bank?.accountType ?? '1',
    accountNumber: terms.bank?.accountNumber ?? '',
    holderKana: terms.bank?.holderKana ?? '',
    status: terms.active ? 'active' : 'suspended',
  };
}
