import {
  csrfField,
  doneNotice,
  errorSummary,
  fieldError,
  fill,
  html,
  type Lang,
  type SafeHtml,
  type Text,
  t,
  tokyoDateTime,
} from '../../../core/index.ts';
import { formatGrantCode } from '../earning/grant-codes.ts';
import type { Programme } from '../earning/programmes.ts';
import type { CodeBatch } from './admin-store.ts';

export const adminWords = {
  title: { ja: 'ポイント付与事業', en: 'Earning programmes' },
  lead: {
    ja: 'ボランティアやイベント、健康づくりなど、ポイントを付与する事業を定めます。保存した内容はインターネット接続系へ送られ、数秒で住民の画面に反映されます。',
    en: 'Define what points are granted for (volunteering, events, health). What you save goes to the internet zone and reaches residents within seconds.',
  },
  none: { ja: 'まだ事業はありません。', en: 'No programmes yet.' },
  id: { ja: '事業ID（英小文字・数字・-）', en: 'Programme id (a–z, 0–9, -)' },
  nameJa: { ja: '事業名（日本語）', en: 'Name (Japanese)' },
  nameEn: { ja: '事業名（英語）', en: 'Name (English)' },
  points: { ja: '1回の付与ポイント', en: 'Points per grant' },
  cap: { ja: '1人あたりの上限ポイント', en: 'Most points per person' },
  period: { ja: '上限の期間', en: 'Per' },
  day: { ja: '1日', en: 'day' },
  month: { ja: '1か月', en: 'month' },
  fiscalYear: { ja: '年度（4月〜3月）', en: 'fiscal year (April–March)' },
  expiry: {
    ja: '有効期限（付与月から何か月後の月末まで。空欄は無期限）',
    en: 'Expiry (end of the month this many months on; empty: none)',
  },
  minAge: { ja: '対象年齢（何歳以上。空欄は年齢を問わない）', en: 'Minimum age (empty: any)' },
  active: { ja: '受付中', en: 'Open' },
  closed: { ja: '停止中', en: 'Closed' },
  save: { ja: '保存して送る', en: 'Save and send' },
  saved: {
    ja: '事業「{name}」を保存し、インターネット接続系へ送りました。',
    en: 'Programme “{name}” saved and sent to the internet zone.',
  },
  defineHeading: { ja: '事業を定める・変更する', en: 'Define or change a programme' },
  defineHint: {
    ja: '既存の事業IDを入力すると、その事業の内容を変更します。',
    en: 'An existing id changes that programme.',
  },
  terms: {
    ja: '{points} pt／回、上限 {cap} pt／{period}',
    en: '{points} pt a grant, at most {cap} pt a {period}',
  },
  ageLimit: { ja: '{age}歳以上', en: '{age} and over' },
  codesHeading: { ja: '参加証明コードを発行する', en: 'Make participation codes' },
  programme: { ja: '事業', en: 'Programme' },
  count: { ja: '枚数（1〜1,000）', en: 'How many (1–1,000)' },
  validDays: { ja: '有効日数', en: 'Valid for (days)' },
  batchId: { ja: 'ロット名（例：autumn-festival-2026）', en: 'Batch name (e.g. autumn-festival-2026)' },
  make: { ja: '発行する', en: 'Make the codes' },
  batches: { ja: '発行済みのロット', en: 'Batches made' },
  sheetTitle: { ja: '参加証明コード（印刷用）', en: 'Participation codes (to print)' },
  sheetLead: {
    ja: 'このページを印刷して、参加者に1枚ずつ配ってください。コードはこの画面にしか表示されず、再表示できません（保存されるのは照合用のハッシュ値だけです）。',
    en: 'Print this page and hand one code to each participant. The codes are shown only here and cannot be shown again (only their hashes are kept).',
  },
  until: { ja: '有効期限：{at}', en: 'Valid until {at}' },
  back: { ja: '事業の一覧へ戻る', en: 'Back to the programmes' },
} satisfies Record<string, Text>;

const w = adminWords;
const periodWord = (lang: Lang, period: Programme['capPeriod']) =>
  t(lang, period === 'day' ? w.day : period === 'month' ? w.month : w.fiscalYear);

export interface ProgrammesView {
  readonly csrfToken: string;
  readonly programmes: readonly Programme[];
  readonly batches: readonly CodeBatch[];
  readonly done?: string | undefined;
  /** A refusal, the form it belongs to, and what was typed (kept in the form). */
  readonly error?: { readonly form: 'define' | 'codes'; readonly message: string } | undefined;
  readonly typed?: Readonly<Record<string, string>> | undefined;
}

/** A labelled text input named `id`, holding what was typed (a refused form keeps it). */
export function field(
  id: string,
  label: string,
  typed: Readonly<Record<string, string>> | undefined,
  attributes: SafeHtml = html``,
): SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label><input type="text" id="${id}" name="${id}" value="${typed?.[id] ?? ''}"${attributes}></div>`;
}

function programmeRows(lang: Lang, programmes: readonly Programme[]): SafeHtml {
  return html`${programmes.map((programme) => {
    const terms = fill(t(lang, w.terms), {
      points: programme.points.toLocaleString('ja-JP'),
      cap: programme.capPoints.toLocaleString('ja-JP'),
      period: periodWord(lang, programme.capPeriod),
    });
    return html`<tr><th scope="row">${t(lang, programme.name)}<br><span class="hint">${programme.programmeId}</span></th>
<td>${terms}${programme.minAge ? html`<br>${fill(t(lang, w.ageLimit), { age: String(programme.minAge) })}` : ''}</td>
<td>${t(lang, programme.active ? w.active : w.closed)}</td></tr>`;
  })}`;
}

/** /points/admin/programmes: the programmes, a form to define one, and a form to make codes. */
export function programmesBody(lang: Lang, view: ProgrammesView): SafeHtml {
  const { error, typed } = view;
  const defineError = error?.form === 'define' ? error.message : undefined;
  const codesError = error?.form === 'codes' ? error.message : undefined;
  return html`${errorSummary(lang, error ? [{ href: error.form === 'define' ? '#define-heading' : '#codes-heading', message: error.message }] : [])}
${doneNotice(view.done)}
<p class="lead">${t(lang, w.lead)}</p>
${
  view.programmes.length === 0
    ? html`<p>${t(lang, w.none)}</p>`
    : html`<div class="table-wrap"><table class="data-table"><caption class="visually-hidden">${t(lang, w.title)}</caption>
<thead><tr><th scope="col">${t(lang, w.programme)}</th><th scope="col">${t(lang, w.points)}</th><th scope="col">${t(lang, w.active)}</th></tr></thead>
<tbody>${programmeRows(lang, view.programmes)}</tbody></table></div>`
}
<section aria-labelledby="define-heading">
<h2 id="define-heading" tabindex="-1">${t(lang, w.defineHeading)}</h2>
<p class="hint">${t(lang, w.defineHint)}</p>
${fieldError(lang, 'define-error', defineError)}
<form method="post" action="/points/admin/programmes" class="form">${csrfField(view.csrfToken)}
${field('programmeId', t(lang, w.id), typed, html` autocomplete="off" spellcheck="false" maxlength="40"`)}
${field('nameJa', t(lang, w.nameJa), typed, html` maxlength="100"`)}
${field('nameEn', t(lang, w.nameEn), typed, html` maxlength="100"`)}
${field('points', t(lang, w.points), typed, html` inputmode="numeric" class="input--short"`)}
${field('capPoints', t(lang, w.cap), typed, html` inputmode="numeric" class="input--short"`)}
<div class="field"><label for="capPeriod">${t(lang, w.period)}</label><select id="capPeriod" name="capPeriod">${(
    ['day', 'month', 'fiscal-year'] as const
  ).map(
    (period) =>
      html`<option value="${period}"${typed?.capPeriod === period ? html` selected` : ''}>${periodWord(lang, period)}</option>`,
  )}</select></div>
${field('expiryMonths', t(lang, w.expiry), typed, html` inputmode="numeric" class="input--short"`)}
${field('minAge', t(lang, w.minAge), typed, html` inputmode="numeric" class="input--short"`)}
<div class="field"><input type="checkbox" id="active" name="active" value="1"${!typed || typed.active ? html` checked` : ''}> <label for="active">${t(lang, w.active)}</label></div>
<button type="submit">${t(lang, w.save)}</button>
</form>
</section>
${
  view.programmes.length > 0
    ? html`<section aria-labelledby="codes-heading">
<h2 id="codes-heading" tabindex="-1">${t(lang, w.codesHeading)}</h2>
${fieldError(lang, 'codes-error', codesError)}
<form method="post" action="/points/admin/codes" class="form">${csrfField(view.csrfToken)}
<div class="field"><label for="codes-programme">${t(lang, w.programme)}</label><select id="codes-programme" name="programmeId">${view.programmes.map(
        (programme) => html`<option value="${programme.programmeId}">${t(lang, programme.name)}</option>`,
      )}</select></div>
${field('count', t(lang, w.count), typed, html` inputmode="numeric" class="input--short"`)}
${field('validDays', t(lang, w.validDays), typed, html` inputmode="numeric" class="input--short"`)}
${field('batchId', t(lang, w.batchId), typed, html` autocomplete="off" spellcheck="false" maxlength="60"`)}
<button type="submit">${t(lang, w.make)}</button>
</form>
${
  view.batches.length > 0
    ? html`<h3>${t(lang, w.batches)}</h3><ul>${view.batches.map(
        (batch) =>
          html`<li>${batch.programmeId} / ${batch.batchId}：${String(batch.count)}（${fill(t(lang, w.until), { at: tokyoDateTime(batch.validUntil) })}）</li>`,
      )}</ul>`
    : ''
}
</section>`
    : ''
}`;
}

/** The printable sheet of a batch's codes: shown once, never kept. */
export function codeSheetBody(
  lang: Lang,
  sheet: { programme: Programme; batchId: string; validUntil: Date; codes: readonly string[] },
): SafeHtml {
  return html`<p class="lead">${t(lang, w.sheetLead)}</p>
<p><strong>${t(lang, sheet.programme.name)}</strong> / ${sheet.batchId} — ${fill(t(lang, w.until), { at: tokyoDateTime(sheet.validUntil) })}</p>
<ol class="code-sheet" data-testid="code-sheet">${sheet.codes.map((code) => html`<li><span class="nowrap">${formatGrantCode(code)}</span></li>`)}</ol>
<p><a href="/points/admin/programmes">${t(lang, w.back)}</a></p>`;
}
