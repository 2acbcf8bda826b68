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
import { field } from './admin-pages.ts';
import type { AdminSettlementAccount, AdminSettlementRun, RunState } from './settlement-store.ts';

export const settlementWords = {
  title: { ja: '加盟店への精算', en: 'Settling merchants' },
  lead: {
    ja: '加盟店が受け取ったポイントを、手数料を差し引いて円で支払います。精算を依頼するとインターネット接続系で精算し、その結果から総合振込の全銀ファイルと明細（CSV）をこの画面で作ります。同じ精算IDで再び依頼しても、二重に支払うことはありません。',
    en: 'Merchants are paid in yen what they received in points, less their fee. Ask for a run: the internet zone settles, and from its answer this page makes the Zengin bulk-transfer file and the CSV report. Asking again with the same id pays nothing twice.',
  },
  accountHeading: { ja: '精算口座（振込依頼人）', en: 'Settlement account (the requester)' },
  accountLead: {
    ja: '加盟店へ振り込む元の、自治体の口座です。名称は全銀ファイルに書く半角カナで保存されます（全角カナ・ひらがなで入力しても構いません）。',
    en: "The municipality's own account merchants are paid from. Names are kept as the Zengin file writes them, in half-width kana (full-width kana and hiragana are converted).",
  },
  accountNone: {
    ja: 'この画面ではまだ設定されていません（インターネット接続系に設定済みの口座があれば、それが使われます）。',
    en: 'Not set here yet (the internet zone uses an account set there before, if any).',
  },
  accountSaved: {
    ja: '精算口座を保存し、インターネット接続系へ送りました。',
    en: 'Settlement account saved and sent to the internet zone.',
  },
  requesterCode: {
    ja: '振込依頼人コード（10桁、金融機関から通知）',
    en: 'Requester code (10 digits, from the bank)',
  },
  requesterName: { ja: '振込依頼人名（カナ）', en: 'Requester name (kana)' },
  bankCode: { ja: '金融機関コード（4桁）', en: 'Bank code (4 digits)' },
  bankName: { ja: '金融機関名（カナ）', en: 'Bank name (kana)' },
  branchCode: { ja: '支店コード（3桁）', en: 'Branch code (3 digits)' },
  branchName: { ja: '支店名（カナ）', en: 'Branch name (kana)' },
  accountType: { ja: '預金種目', en: 'Account type' },
  ordinary: { ja: '普通', en: 'Ordinary' },
  current: { ja: '当座', en: 'Current' },
  accountNumber: { ja: '口座番号（7桁）', en: 'Account number (7 digits)' },
  saveAccount: { ja: '保存して送る', en: 'Save and send' },
  runHeading: { ja: '精算を依頼する', en: 'Ask for a settlement run' },
  settlementId: { ja: '精算ID（例：2026-11）', en: 'Settlement id (e.g. 2026-11)' },
  transferDate: { ja: '取組日（振込を実行する日）', en: 'Transfer date (取組日)' },
  run: { ja: '精算を依頼する', en: 'Ask for the run' },
  asked: {
    ja: '精算「{id}」を依頼しました。インターネット接続系からの回答を待っています。',
    en: 'Run “{id}” asked for; waiting for the internet zone.',
  },
  runsHeading: { ja: '精算の記録', en: 'Runs' },
  noRuns: { ja: 'まだ精算は依頼されていません。', en: 'No runs asked for yet.' },
  id: { ja: '精算ID', en: 'Run' },
  requestedAt: { ja: '依頼日時', en: 'Asked at' },
  state: { ja: '状態', en: 'State' },
  merchants: { ja: '支払加盟店数', en: 'Merchants paid' },
  received: { ja: '受取ポイント', en: 'Points received' },
  fees: { ja: '手数料', en: 'Fees' },
  payout: { ja: '振込額（円）', en: 'Paid out (yen)' },
  skipped: { ja: '支払対象外', en: 'Skipped' },
  files: { ja: 'ファイル', en: 'Files' },
  zengin: { ja: '全銀ファイル', en: 'Zengin file' },
  report: { ja: '明細CSV', en: 'Report (CSV)' },
  repeated: {
    ja: '（同じ精算IDの既存の精算。今回は支払っていません）',
    en: '(the run made before under this id; nothing paid this time)',
  },
  skippedHeading: { ja: '「{id}」で支払えなかった加盟店', en: 'Merchants not paid in “{id}”' },
  reload: { ja: '最新の状態を表示する', en: 'Show the latest' },
} satisfies Record<string, Text>;

const states: Record<RunState, Text> = {
  waiting: {
    ja: '依頼済み・インターネット接続系からの回答待ち',
    en: 'Requested, waiting for the internet zone',
  },
  receiving: { ja: '回答を受信中', en: 'Answer arriving' },
  settled: { ja: '精算済み', en: 'Settled' },
  refused: { ja: '精算できませんでした', en: 'Refused' },
};

/** Why a merchant could not be paid, as the run said it (English), in the page's language. */
function skippedReason(lang: Lang, reason: string): string {
  if (lang === 'en') return reason;
  if (reason === 'no bank account') return '振込先の口座が登録されていません。';
  if (/cannot be written in a Zengin file/.test(reason))
    return `口座名義などに全銀ファイルで使えない文字があります（${reason}）`;
  if (/longer than|digits/.test(reason)) return `口座情報が全銀ファイルの桁数に合いません（${reason}）`;
  return reason;
}

/** Why the internet zone refused a run, in the page's language. */
function refusalText(lang: Lang, refusal: { code: string; detail: string }): string {
  if (lang === 'en') return refusal.detail;
  if (refusal.code === 'conflict' && /bank account/.test(refusal.detail))
    return 'インターネット接続系に精算口座が設定されていません。精算口座を保存してから、もう一度依頼してください。';
  return `精算できませんでした（${refusal.detail}）`;
}

export interface SettlementView {
  readonly csrfToken: string;
  readonly account: AdminSettlementAccount | undefined;
  readonly runs: readonly AdminSettlementRun[];
  readonly done?: string | undefined;
  readonly error?:
    | { readonly form: 'account' | 'run'; readonly field: string; readonly message: string }
    | undefined;
  readonly typed?: Readonly<Record<string, string>> | undefined;
}

const number = (n: number) => n.toLocaleString('ja-JP');

function accountFields(lang: Lang, view: SettlementView): SafeHtml {
  const w = settlementWords;
  const saved = view.account;
  // The form shows what was typed after a refusal, else the account saved.
  const typed: Readonly<Record<string, string>> | undefined =
    view.error?.form === 'account'
      ? view.typed
      : saved && {
          requesterCode: saved.requesterCode,
          requesterName: saved.requesterName,
          bankCode: saved.bankCode,
          bankName: saved.bankName,
          branchCode: saved.branchCode,
          branchName: saved.branchName,
          accountType: saved.accountType,
          accountNumber: saved.accountNumber,
        };
  const type = typed?.accountType ?? '1';
  return html`${field('requesterCode', t(lang, w.requesterCode), typed, html` inputmode="numeric" autocomplete="off" maxlength="10"`)}
${field('requesterName', t(lang, w.requesterName), typed, html` maxlength="40"`)}
${field('bankCode', t(lang, w.bankCode), typed, html` inputmode="numeric" class="input--short" maxlength="4"`)}
${field('bankName', t(lang, w.bankName), typed, html` maxlength="15"`)}
${field('branchCode', t(lang, w.branchCode), typed, html` inputmode="numeric" class="input--short" maxlength="3"`)}
${field('branchName', t(lang, w.branchName), typed, html` maxlength="15"`)}
<div class="field"><label for="accountType">${t(lang, w.accountType)}</label><select id="accountType" name="accountType">
<option value="1"${type === '1' ? html` selected` : ''}>${t(lang, w.ordinary)}</option><option value="2"${type === '2' ? html` selected` : ''}>${t(lang, w.current)}</option></select></div>
${field('accountNumber', t(lang, w.accountNumber), typed, html` inputmode="numeric" class="input--short" maxlength="7"`)}`;
}

function runRow(lang: Lang, run: AdminSettlementRun): SafeHtml {
  const w = settlementWords;
  const totals = run.totals;
  const cell = (n: number | undefined) => html`<td class="numeric">${n === undefined ? '—' : number(n)}</td>`;
  const base = `/points/admin/settlement/${encodeURIComponent(run.settlementId)}`;
  return html`<tr data-testid="run-${run.requestId}"><th scope="row">${run.settlementId}<br><span class="hint">${fill(t(lang, { ja: '取組日 {d}', en: 'transfer {d}' }), { d: run.transferDate })}</span></th>
<td>${tokyoDateTime(run.requestedAt)}</td>
<td>${t(lang, states[run.state])}${run.repeated ? html`<br><span class="hint">${t(lang, w.repeated)}</span>` : ''}${run.refusal ? html`<br>${refusalText(lang, run.refusal)}` : ''}</td>
${cell(totals?.merchants)}${cell(totals?.received)}${cell(totals?.fees)}${cell(totals?.payout)}${cell(totals?.skipped)}
<td>${run.state === 'settled' ? html`<a href="${base}/zengin" download>${t(lang, w.zengin)}</a><br><a href="${base}/report.csv" download>${t(lang, w.report)}</a>` : '—'}</td></tr>`;
}

function runsSection(lang: Lang, runs: readonly AdminSettlementRun[]): SafeHtml {
  const w = settlementWords;
  if (runs.length === 0) return html`<p>${t(lang, w.noRuns)}</p>`;
  const waiting = runs.some((run) => run.state === 'waiting' || run.state === 'receiving');
  const heads = [w.id, w.requestedAt, w.state, w.merchants, w.received, w.fees, w.payout, w.skipped, w.files];
  return html`${
    waiting
      ? html`<div class="notice" role="status" data-testid="runs-waiting"><p>${t(lang, states.waiting)}</p><p><a href="/points/admin/settlement#runs-heading">${t(lang, w.reload)}</a></p></div>`
      : ''
  }
<div class="table-wrap"><table class="data-table" data-testid="runs"><caption class="visually-hidden">${t(lang, w.runsHeading)}</caption>
<thead><tr>${heads.map((head) => html`<th scope="col">${t(lang, head)}</th>`)}</tr></thead>
<tbody>${runs.map((run) => runRow(lang, run))}</tbody></table></div>
${runs
  .filter((run) => run.skipped.length > 0)
  .map(
    (run) => html`<h3>${fill(t(lang, w.skippedHeading), { id: run.settlementId })}</h3>
<ul>${run.skipped.map((one) => html`<li>${one.name}（${one.merchantId}）：${skippedReason(lang, one.reason)}</li>`)}</ul>`,
  )}`;
}

/** /points/admin/settlement: the account, a form to ask for a run, and the runs with their files. */
export function settlementBody(lang: Lang, view: SettlementView): SafeHtml {
  const w = settlementWords;
  const { error } = view;
  const runTyped = error?.form === 'run' ? view.typed : undefined;
  return html`${errorSummary(lang, error ? [{ href: `#${error.field}`, message: error.message }] : [])}
${doneNotice(view.done)}
<p class="lead">${t(lang, w.lead)}</p>
<section aria-labelledby="account-heading">
<h2 id="account-heading" tabindex="-1">${t(lang, w.accountHeading)}</h2>
<p class="hint">${t(lang, w.accountLead)}</p>
${view.account ? '' : html`<p>${t(lang, w.accountNone)}</p>`}
${fieldError(lang, 'account-error', error?.form === 'account' ? error.message : undefined)}
<form method="post" action="/points/admin/settlement/account" class="form">${csrfField(view.csrfToken)}
${accountFields(lang, view)}
<button type="submit">${t(lang, w.saveAccount)}</button>
</form>
</section>
<section aria-labelledby="run-heading">
<h2 id="run-heading" tabindex="-1">${t(lang, w.runHeading)}</h2>
${fieldError(lang, 'run-error', error?.form === 'run' ? error.message : undefined)}
<form method="post" action="/points/admin/settlement/runs" class="form">${csrfField(view.csrfToken)}
${field('settlementId', t(lang, w.settlementId), runTyped, html` autocomplete="off" spellcheck="false" maxlength="40"`)}
<div class="field"><label for="transferDate">${t(lang, w.transferDate)}</label><input type="date" id="transferDate" name="transferDate" value="${runTyped?.transferDate ?? ''}" class="input--short"></div>
<button type="submit">${t(lang, w.run)}</button>
</form>
</section>
<section aria-labelledby="runs-heading">
<h2 id="runs-heading" tabindex="-1">${t(lang, w.runsHeading)}</h2>
${runsSection(lang, view.runs)}
</section>`;
}
