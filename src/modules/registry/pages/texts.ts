import { formatWareki, type Lang, type Text } from '../../../core/index.ts';
import type { LifeEventKind } from '../tables.ts';

export const zoneLabel: Text = { ja: '個人番号利用事務系', en: 'My Number zone' };

export const labels = {
  registry: { ja: '住民基本台帳', en: 'Resident registry' },
  home: { ja: 'ホーム', en: 'Home' },
  search: { ja: '住民検索', en: 'Search residents' },
  kana: { ja: 'フリガナ', en: 'Name in kana' },
  kanaHint: {
    ja: 'ひらがな・カタカナどちらでも。姓と名の間は空白。',
    en: 'Hiragana or katakana; a space between family and given name.',
  },
  name: { ja: '氏名', en: 'Name' },
  nameHint: { ja: '姓の先頭から。例: 山田 太', en: 'From the start of the family name, e.g. 山田 太' },
  birthDate: { ja: '生年月日', en: 'Date of birth' },
  birthDateHint: {
    ja: '例: 昭和55年2月29日、S55.2.29、1980-02-29',
    en: 'e.g. 昭和55年2月29日, S55.2.29, 1980-02-29',
  },
  address: { ja: '住所', en: 'Address' },
  addressHint: { ja: '先頭から。例: 千代田一丁目', en: 'From the start, e.g. 千代田一丁目' },
  submitSearch: { ja: '検索する', en: 'Search' },
  results: { ja: '検索結果', en: 'Results' },
  noResults: { ja: '該当する住民はいません。', en: 'No resident matches.' },
  residentCode: { ja: '住民票コード', en: 'Resident code' },
  status: { ja: '状態', en: 'Status' },
  next: { ja: '次の結果', en: 'Next results' },
  purposeTitle: { ja: '閲覧の目的', en: 'Purpose of viewing' },
  purposeIntro: {
    ja: '住民票の閲覧は記録されます。目的を選んでください。',
    en: 'Every view of a resident record is logged. Choose the purpose.',
  },
  showRecord: { ja: '住民票を表示する', en: 'Show the record' },
  person: { ja: '住民票', en: 'Resident record' },
  sex: { ja: '性別', en: 'Sex' },
  myNumber: { ja: '個人番号', en: 'My Number' },
  addressSince: { ja: '住所を定めた日', en: 'At this address since' },
  relationship: { ja: '続柄', en: 'Relationship' },
  household: { ja: '世帯', en: 'Household' },
  head: { ja: '世帯主', en: 'Head of household' },
  noHead: { ja: '（世帯主なし）', en: '(no head of household)' },
  history: { ja: '異動履歴', en: 'History of events' },
  residences: { ja: '住所の履歴', en: 'Residence periods' },
  event: { ja: '異動', en: 'Event' },
  effectiveOn: { ja: '異動日', en: 'Date' },
  recordedAt: { ja: '記録日時', en: 'Recorded' },
  from: { ja: '開始日', en: 'From' },
  to: { ja: '終了日', en: 'Until' },
  current: { ja: '現在', en: 'current' },
  otherPlace: { ja: '転入元・転出先', en: 'From / to' },
  problem: { ja: '入力内容を確認してください', en: 'There is a problem' },
} satisfies Record<string, Text>;

export const eventLabels: Record<LifeEventKind, Text> = {
  birth: { ja: '出生', en: 'Birth' },
  'move-in': { ja: '転入', en: 'Move in' },
  'move-within': { ja: '転居', en: 'Move within' },
  'move-out': { ja: '転出', en: 'Move out' },
  death: { ja: '死亡', en: 'Death' },
};

export const statusLabels: Record<'resident' | 'moved-out' | 'deceased', Text> = {
  resident: { ja: '住民', en: 'Resident' },
  'moved-out': { ja: '転出', en: 'Moved out' },
  deceased: { ja: '死亡', en: 'Deceased' },
};

export const sexLabels: Record<1 | 2 | 9, Text> = {
  1: { ja: '男', en: 'Male' },
  2: { ja: '女', en: 'Female' },
  9: { ja: '適用不能', en: 'Not applicable' },
};

/** 和暦 first, with the ISO date beside it, as staff read and type both. */
export function dateText(lang: Lang, iso: string): string {
  try {
    return lang === 'ja' ? `${formatWareki(iso)}（${iso}）` : `${iso} (${formatWareki(iso)})`;
  } catch {
    return iso;
  }
}
