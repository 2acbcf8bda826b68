import type { Lang } from '../../../core/index.ts';

/**
 * The programme and code-batch checks (earning/programmes.ts, grant-codes.ts) say what is
 * wrong in English, for the API; staff read the page in Japanese first. Each known refusal,
 * told by how its English begins, is said here in the words of the form's labels; one not
 * known here is shown as the checks wrote it.
 */
const japanese: readonly [RegExp, string][] = [
  [/^programmeId is/, '事業IDは英小文字・数字・-の1〜40文字で入力してください。'],
  [/^A name is/, '事業名は日本語・英語とも1〜100文字で入力してください。'],
  [/^points is/, '1回の付与ポイントは1以上の整数で入力してください。'],
  [/^capPoints is/, '1人あたりの上限ポイントは、1回の付与ポイント以上の整数で入力してください。'],
  [/^capPeriod is/, '上限の期間を選んでください。'],
  [/^expiryMonths is/, '有効期限は1〜120か月の整数で入力するか、空欄（無期限）にしてください。'],
  [/^minAge is/, '対象年齢は1〜130歳の整数で入力するか、空欄（年齢を問わない）にしてください。'],
  [/^No such programme/, '選んだ事業が見つかりません。事業の一覧から選んでください。'],
  [/^The batch name is/, 'ロット名は英数字と-の1〜60文字で入力してください。'],
  [/^(At most 1,000 codes|count is)/, '枚数は1〜1,000の整数で入力してください。'],
  [/^validDays is/, '有効日数は1〜366の整数で入力してください。'],
  [
    /^A batch .* already\.$/,
    'この事業では、同じロット名ですでに発行しています。別のロット名にしてください。',
  ],
];

/** The refusal in the page's language: Japanese from the table, English as the checks wrote it. */
export function programmeRefusal(lang: Lang, detail: string): string {
  if (lang !== 'ja') return detail;
  return japanese.find(([pattern]) => pattern.test(detail))?.[1] ?? detail;
}
