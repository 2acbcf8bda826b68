import { type Static, Type } from 'typebox';
import {
  fill,
  isMachiError,
  parseIsoDate,
  type Text,
  toHalfWidthAscii,
  toKatakana,
} from '../../../core/index.ts';
import { SETTLEMENT_ID, type SettlementAccount } from '../settlement/settle-merchants.ts';
import { zenginFile, zenginText } from '../settlement/zengin.ts';

const text = Type.Optional(Type.String({ maxLength: 200 }));
export const AccountForm = Type.Object({
  _csrf: text,
  requesterCode: text,
  requesterName: text,
  bankCode: text,
  bankName: text,
  branchCode: text,
  branchName: text,
  accountType: text,
  accountNumber: text,
});
export const RunForm = Type.Object({ _csrf: text, settlementId: text, transferDate: text });

/** A refusal of a settlement form: the field to point at and what to say, in both languages. */
export class FormRefusal extends Error {
  constructor(
    readonly field: string,
    readonly text: Text,
  ) {
    super(text.en);
  }
}

const labels = {
  requesterCode: { ja: '振込依頼人コード', en: 'The requester code' },
  requesterName: { ja: '振込依頼人名', en: 'The requester name' },
  bankCode: { ja: '金融機関コード', en: 'The bank code' },
  bankName: { ja: '金融機関名', en: 'The bank name' },
  branchCode: { ja: '支店コード', en: 'The branch code' },
  branchName: { ja: '支店名', en: 'The branch name' },
  accountNumber: { ja: '口座番号', en: 'The account number' },
} satisfies Record<string, Text>;
type Labelled = keyof typeof labels;

const both = (template: Text, values: Record<string, string>, field: Labelled): Text => ({
  ja: fill(template.ja, { ...values, what: labels[field].ja }),
  en: fill(template.en, { ...values, what: labels[field].en }),
});

/** Exactly n digits (full-width ones typed are taken as digits). */
function digitsOf(form: Static<typeof AccountForm>, field: Labelled, n: number): string {
  const value = toHalfWidthAscii(form[field] ?? '').trim();
  if (!new RegExp(`^\\d{${n}}$`).test(value)) {
    throw new FormRefusal(
      field,
      both(
        { ja: '{what}は{n}桁の数字で入力してください。', en: '{what} is {n} digits.' },
        { n: String(n) },
        field,
      ),
    );
  }
  return value;
}

/**
 * Kana as the Zengin file writes it (half-width, small kana large, ー as -): hiragana and
 * full-width katakana typed are converted; a character the file's set lacks is named.
 */
function kanaOf(form: Static<typeof AccountForm>, field: Labelled, width: number): string {
  const typed = (form[field] ?? '').trim();
  if (typed === '') {
    throw new FormRefusal(field, both({ ja: '{what}を入力してください。', en: 'Enter {what}.' }, {}, field));
  }
  let written: string;
  try {
    written = zenginText(toKatakana(typed), labels[field].en);
  } catch (error) {
    if (!isMachiError(error)) throw error;
    const character = typeof error.extensions.character === 'string' ? error.extensions.character : '';
    throw new FormRefusal(
      field,
      both(
        {
          ja: '{what}に全銀ファイルで使えない文字「{c}」があります。カナ・英大文字・数字で入力してください（例：ﾁﾖﾀﾞｸ）。',
          en: '{what} holds 「{c}」, which a Zengin file cannot carry: use kana, capital letters and digits.',
        },
        { c: character },
        field,
      ),
    );
  }
  if (written.length > width) {
    throw new FormRefusal(
      field,
      both(
        {
          ja: '{what}は半角{n}文字以内にしてください（濁点・半濁点も1文字です）。',
          en: '{what} is at most {n} half-width characters (a voicing mark counts as one).',
        },
        { n: String(width) },
        field,
      ),
    );
  }
  return written;
}

/** The account staff typed, field by field as the Zengin header writes it, or the first refusal. */
export function accountOfForm(form: Static<typeof AccountForm>): SettlementAccount {
  const typeOf = () => {
    if (form.accountType === '1' || form.accountType === '2') return form.accountType;
    throw new FormRefusal('accountType', {
      ja: '預金種目を選んでください。',
      en: 'Choose the account type.',
    });
  };
  // In the form's order, so the first refusal is the first field to fix.
  const account: SettlementAccount = {
    requesterCode: digitsOf(form, 'requesterCode', 10),
    requesterName: kanaOf(form, 'requesterName', 40),
    bankCode: digitsOf(form, 'bankCode', 4),
    bankName: kanaOf(form, 'bankName', 15),
    branchCode: digitsOf(form, 'branchCode', 3),
    branchName: kanaOf(form, 'branchName', 15),
    accountType: typeOf(),
    accountNumber: digitsOf(form, 'accountNumber', 7),
  };
  // The check setSettlementAccount makes in the internet zone, made here before anything is sent.
  zenginFile({ ...account, transferDate: '2000-01-01' }, []);
  return account;
}

/** A run staff asked for: its id as settleMerchants takes it, and a 取組日 from today on (Japan time). */
export function runOfForm(
  form: Static<typeof RunForm>,
  today: string,
): { settlementId: string; transferDate: string } {
  const settlementId = (form.settlementId ?? '').trim();
  if (!SETTLEMENT_ID.test(settlementId)) {
    throw new FormRefusal('settlementId', {
      ja: '精算IDは、英数字と-（ハイフン）で1〜40文字にしてください（例：2026-11）。',
      en: 'The settlement id is 1–40 of A–Z, a–z, 0–9 and - (e.g. 2026-11).',
    });
  }
  const transferDate = toHalfWidthAscii(form.transferDate ?? '').trim();
  try {
    parseIsoDate(transferDate);
  } catch (error) {
    if (!isMachiError(error)) throw error;
    throw new FormRefusal('transferDate', {
      ja: '取組日を、実在する日付（例：2026-12-10）で入力してください。',
      en: 'Enter the transfer date as a real date (e.g. 2026-12-10).',
    });
  }
  // The bank makes transfers on a day to come; the file carries only month and day (MMDD).
  if (transferDate < today) {
    throw new FormRefusal('transferDate', {
      ja: '取組日には、今日以降の日付を入力してください。',
      en: 'The transfer date is today or later.',
    });
  }
  return { settlementId, transferDate };
}

/** A refusal said on the page: a FormRefusal, or another MachiError in its own words; anything else goes on. */
export function settlementRefusal(error: unknown, field: string): FormRefusal {
  if (error instanceof FormRefusal) return error;
  if (!isMachiError(error) || error.code === 'internal') throw error;
  return new FormRefusal(field, { ja: `受け付けられませんでした（${error.detail}）`, en: error.detail });
}
