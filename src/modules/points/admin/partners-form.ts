import { type Static, Type } from 'typebox';
import { isMachiError, MachiError, type Text } from '../../../core/index.ts';
import type { NewPartner } from '../partners/partners.ts';
import { typedNumber } from './admin-routes.ts';

const text = Type.Optional(Type.String({ maxLength: 200 }));
export const PartnerForm = Type.Object({
  _csrf: text,
  partnerId: text,
  name: text,
  // A PEM Ed25519 public key is about 113 characters; room for line ends and a pasted comment.
  publicKeyPem: Type.Optional(Type.String({ maxLength: 2_000 })),
  ratePartnerPoints: text,
  ratePoints: text,
  dailyCapPoints: text,
  active: text,
});
export type PartnerFormFields = Static<typeof PartnerForm>;

export const InvoicesForm = Type.Object({ _csrf: text, month: text });

/** The bounds the message to the internet zone allows (points.partner). */
const MOST_RATE = 1_000_000;
const MOST_DAILY_CAP = 100_000_000;

/**
 * The partner staff typed. An empty key keeps the key already saved for that partner (staff
 * change a rate without pasting the key again). Numbers past the message's bounds are refused
 * here, by field, so the page can say which.
 */
export function partnerOfForm(
  form: PartnerFormFields,
  savedKey: string | undefined,
): NewPartner & { readonly active: boolean } {
  const pasted = (form.publicKeyPem ?? '').trim();
  const partner = {
    partnerId: (form.partnerId ?? '').trim(),
    name: (form.name ?? '').trim(),
    publicKeyPem: pasted === '' && savedKey ? savedKey : `${pasted}\n`,
    rate: {
      partnerPoints: typedNumber(form.ratePartnerPoints) ?? Number.NaN,
      points: typedNumber(form.ratePoints) ?? Number.NaN,
    },
    dailyCapPoints: typedNumber(form.dailyCapPoints) ?? Number.NaN,
    active: form.active === '1',
  };
  const tooBig = (field: string) => new MachiError('validation-failed', `${field} is too large.`, { field });
  if (partner.rate.partnerPoints > MOST_RATE || partner.rate.points > MOST_RATE) throw tooBig('rate');
  if (partner.dailyCapPoints > MOST_DAILY_CAP) throw tooBig('dailyCapPoints');
  return partner;
}

/** What each refusal of checkPartner (by field) says to staff, in their language. */
const refusals: Record<string, Text> = {
  partnerId: {
    ja: '事業者IDは、英小文字・数字・-（ハイフン）で1〜40文字にしてください。',
    en: 'The partner id is 1–40 of a–z, 0–9 and -.',
  },
  name: { ja: '事業者名を100文字以内で入力してください。', en: 'Enter the name, at most 100 characters.' },
  rate: {
    ja: '交換レートは、どちらも1〜1,000,000の整数で入力してください（例：2 → 1）。',
    en: 'Both sides of the rate are whole numbers from 1 to 1,000,000 (e.g. 2 → 1).',
  },
  dailyCapPoints: {
    ja: '1日の上限は、1〜100,000,000の整数（自治体ポイント）で入力してください。',
    en: 'The daily cap is a whole number of municipal points from 1 to 100,000,000.',
  },
};
const notPem: Text = {
  ja: '公開鍵を読み取れません。「-----BEGIN PUBLIC KEY-----」から「-----END PUBLIC KEY-----」までをそのまま貼り付けてください。',
  en: 'The public key cannot be read. Paste it whole, from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----.',
};
const notEd25519: Text = {
  ja: '公開鍵がEd25519の鍵ではありません。提携事業者にはEd25519の鍵で署名してもらいます。',
  en: 'The public key is not an Ed25519 key; partners sign with Ed25519.',
};

/** A refusal of the partner form: the field to point at and what to say; anything else goes on. */
export function partnerRefusal(error: unknown): { field: string; message: Text } {
  if (!isMachiError(error) || error.code === 'internal') throw error;
  const field = typeof error.extensions.field === 'string' ? error.extensions.field : 'partnerId';
  if (field === 'publicKeyPem') {
    return { field, message: error.code === 'encoding-invalid' ? notPem : notEd25519 };
  }
  return {
    field,
    message: refusals[field] ?? { ja: `登録できませんでした（${error.detail}）`, en: error.detail },
  };
}
