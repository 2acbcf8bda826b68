import type { Text } from '../../../core/index.ts';

/** What the premium points page says (プレミアムポイント), Japanese first. */
export const premiumWords = {
  title: { ja: 'プレミアムポイント', en: 'Premium points' },
  lead: {
    ja: '住民が購入すると、支払った金額より多いポイントがもらえる商品を定めます。上乗せ分（プレミアム分）は公費の予算から出し、予算がなくなると販売は止まります。保存した内容はインターネット接続系へ送られ、数秒で住民の画面に反映されます。',
    en: 'Define what residents can buy: more points than they pay for, the extra paid from a public budget; sales stop when the budget is used up. What you save goes to the internet zone and reaches residents within seconds.',
  },
  none: { ja: 'まだ商品はありません。', en: 'No offers yet.' },
  defineHeading: { ja: '商品を定める・変更する', en: 'Define or change an offer' },
  defineHint: {
    ja: '既存の商品IDを入力すると、その商品の内容を変更します（購入済みの分は元の条件のままです）。',
    en: 'An existing id changes that offer (purchases made keep their terms).',
  },
  offerId: { ja: '商品ID（英小文字・数字・-）', en: 'Offer id (a–z, 0–9, -)' },
  nameJa: { ja: '商品名（日本語）', en: 'Name (Japanese)' },
  nameEn: { ja: '商品名（英語）', en: 'Name (English)' },
  priceYen: { ja: '1口の販売価格（円）', en: 'Price of a unit (yen)' },
  points: { ja: '1口で付与するポイント', en: 'Points a unit gives' },
  pointsHint: {
    ja: '販売価格との差がプレミアム分です。例：10,000円で11,000ポイント（プレミアム率10％）',
    en: 'The part above the price is the premium. E.g. 10,000 yen for 11,000 points (10 %)',
  },
  maxUnits: { ja: '1人あたりの上限口数（1〜99）', en: 'Most units a person (1–99)' },
  pointsExpireOn: {
    ja: 'ポイントの利用期限（任意、例：2027-03-31）',
    en: 'Points usable until (optional, e.g. 2027-03-31)',
  },
  salesFrom: { ja: '販売開始日（任意）', en: 'Sales open on (optional)' },
  salesUntil: { ja: '販売終了日（任意、この日まで販売）', en: 'Sales close after (optional, the last day)' },
  budgetPoints: {
    ja: '予算に追加するポイント（公費、任意）',
    en: 'Points to add to the budget (public money, optional)',
  },
  budgetHint: {
    ja: 'プレミアム分の支払いに充てる予算です。保存のたびに入力した分だけ追加されます（変更だけのときは空欄）。',
    en: 'Pays the premiums. Each save adds what you enter (leave empty to change the terms only).',
  },
  active: { ja: '販売中', en: 'On sale' },
  closed: { ja: '停止中', en: 'Closed' },
  save: { ja: '保存して送る', en: 'Save and send' },
  saved: {
    ja: '商品「{name}」を保存し、インターネット接続系へ送りました。',
    en: 'Offer “{name}” saved and sent to the internet zone.',
  },
  savedFunded: {
    ja: '商品「{name}」を保存し、予算に{points}ポイントを追加して、インターネット接続系へ送りました。',
    en: 'Offer “{name}” saved, {points} points added to its budget, and sent to the internet zone.',
  },
  offer: { ja: '商品', en: 'Offer' },
  terms: { ja: '条件', en: 'Terms' },
  budget: { ja: '予算（追加した合計）', en: 'Budget (added in all)' },
  status: { ja: '状態', en: 'Status' },
  price: {
    ja: '{price}円で{points}pt（プレミアム率{rate}％）、1人{units}口まで',
    en: '{points} pt for {price} yen ({rate} % premium), {units} units a person',
  },
  window: { ja: '販売期間：{from}〜{until}', en: 'On sale {from} to {until}' },
  expiry: { ja: '利用期限：{on}', en: 'Usable until {on}' },
  open: { ja: '（指定なし）', en: '(open)' },
  change: { ja: '変更する', en: 'Change' },
} satisfies Record<string, Text>;

/** What the page says for each input a check refuses. */
export const premiumProblemWords = {
  offerId: {
    ja: '商品IDは英小文字・数字・-で40文字以内です。',
    en: 'The offer id is 1–40 of a–z, 0–9 and -.',
  },
  nameJa: {
    ja: '商品名（日本語）を100文字以内で入力してください。',
    en: 'Enter the name in Japanese, at most 100 characters.',
  },
  nameEn: {
    ja: '商品名（英語）を100文字以内で入力してください。',
    en: 'Enter the name in English, at most 100 characters.',
  },
  priceYen: {
    ja: '販売価格は1〜1,000,000円の整数で入力してください。',
    en: 'The price is a whole number of yen, 1–1,000,000.',
  },
  points: {
    ja: '付与ポイントは販売価格以上、1口2,000,000ポイントまでの整数で入力してください。',
    en: 'The points are a whole number, at least the price and at most 2,000,000 a unit.',
  },
  maxUnitsPerPerson: { ja: '1人あたりの上限口数は1〜99の整数です。', en: 'The most units a person is 1–99.' },
  pointsExpireOn: {
    ja: '利用期限は日付で入力してください（例：2027-03-31）。',
    en: 'The expiry is a date (e.g. 2027-03-31).',
  },
  salesFrom: {
    ja: '販売開始日は日付で入力してください（例：2026-07-01）。',
    en: 'The first day of sales is a date (e.g. 2026-07-01).',
  },
  salesUntil: {
    ja: '販売終了日は販売開始日以降の日付で入力してください。',
    en: 'The last day of sales is a date on or after the first.',
  },
  budgetPoints: {
    ja: '予算に追加するポイントは1〜1,000,000,000の整数で入力してください。',
    en: 'The points to add are a whole number, 1–1,000,000,000.',
  },
} satisfies Record<string, Text>;
