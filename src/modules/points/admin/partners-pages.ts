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
import type { AdminInvoice, MonthInvoices } from './invoices-store.ts';
import { type AdminPartner, keyFingerprint } from './partners-store.ts';

export const partnerWords = {
  title: { ja: '提携事業者（ポイント交換）', en: 'Partner companies (point exchange)' },
  lead: {
    ja: 'クレジットカード会社や航空会社など、自社のポイントを自治体ポイントに交換する提携事業者（地域経済応援ポイント）を登録します。保存した内容はインターネット接続系へ送られ、数秒で交換に使われます。',
    en: 'Register the partner companies (card issuers, airlines…) that convert their points into municipal points. What you save goes to the internet zone and is used for exchanges within seconds.',
  },
  none: { ja: 'まだ提携事業者はありません。', en: 'No partners yet.' },
  partner: { ja: '事業者', en: 'Partner' },
  rate: { ja: '交換レート', en: 'Rate' },
  rateTerms: {
    ja: '{partner} 事業者ポイント → {points} 自治体ポイント',
    en: '{partner} partner points → {points} municipal points',
  },
  cap: { ja: '1人1日の上限', en: 'Daily cap per resident' },
  key: { ja: '公開鍵（指紋）', en: 'Public key (fingerprint)' },
  state: { ja: '状態', en: 'State' },
  active: { ja: '交換を受け付ける', en: 'Converting' },
  stopped: { ja: '停止中', en: 'Stopped' },
  registerHeading: { ja: '提携事業者を登録する・変更する', en: 'Register or change a partner' },
  registerHint: {
    ja: '既存の事業者IDを入力すると、その事業者の内容を変更します。変更のときは公開鍵を空欄にすると、登録済みの鍵のままになります。',
    en: 'An existing id changes that partner; leave the key empty to keep the one saved.',
  },
  partnerId: { ja: '事業者ID（英小文字・数字・-）', en: 'Partner id (a–z, 0–9, -)' },
  name: { ja: '事業者名', en: 'Name' },
  publicKey: {
    ja: '公開鍵（Ed25519、PEM形式。事業者から受け取ったものを貼り付け）',
    en: 'Public key (Ed25519, PEM, as the partner sent it)',
  },
  ratePartnerPoints: { ja: '交換レート：事業者ポイント', en: 'Rate: partner points' },
  ratePoints: { ja: '→ 自治体ポイント', en: '→ municipal points' },
  dailyCap: {
    ja: '1人1日の上限（自治体ポイント）',
    en: 'Most municipal points per resident a day',
  },
  save: { ja: '保存して送る', en: 'Save and send' },
  saved: {
    ja: '提携事業者「{name}」を保存し、インターネット接続系へ送りました。',
    en: 'Partner “{name}” saved and sent to the internet zone.',
  },
  invoicesHeading: { ja: '提携事業者への請求', en: 'Invoicing partners' },
  invoicesLead: {
    ja: '月を選んで集計を依頼すると、インターネット接続系で各事業者の交換実績を集計して返します（1ポイント＝1円）。',
    en: "Pick a month and ask: the internet zone counts each partner's exchanges and answers (1 point = 1 yen).",
  },
  month: { ja: '対象月', en: 'Month' },
  ask: { ja: '請求額の集計を依頼する', en: 'Ask for the invoices' },
  asked: {
    ja: '{month} 分の請求額の集計を依頼しました。',
    en: 'Invoices for {month} asked for.',
  },
  waiting: {
    ja: '依頼済みです。インターネット接続系からの回答を待っています。',
    en: 'Requested; waiting for the internet zone.',
  },
  waitingNote: {
    ja: '{at} に依頼しました。通常は数秒から数分で届きます。',
    en: 'Asked at {at}. It usually arrives within seconds to minutes.',
  },
  reload: { ja: '最新の状態を表示する', en: 'Show the latest' },
  notAsked: {
    ja: 'この月の集計はまだ依頼されていません。',
    en: 'No invoices have been asked for this month yet.',
  },
  computedAt: {
    ja: '{at} 時点の集計（インターネット接続系で集計）',
    en: 'Counted at {at} (in the internet zone)',
  },
  exchanges: { ja: '交換件数', en: 'Exchanges' },
  partnerPoints: { ja: '事業者ポイント', en: 'Partner points' },
  points: { ja: '自治体ポイント', en: 'Municipal points' },
  amount: { ja: '請求額（円）', en: 'To invoice (yen)' },
  total: { ja: '合計', en: 'Total' },
  csv: { ja: 'CSVでダウンロード（Excel用）', en: 'Download as CSV (for Excel)' },
  noPartners: {
    ja: 'インターネット接続系に提携事業者が登録されていません。',
    en: 'The internet zone has no partners registered.',
  },
} satisfies Record<string, Text>;

const w = partnerWords;
const number = (n: number) => n.toLocaleString('ja-JP');

export interface PartnersView {
  readonly csrfToken: string;
  readonly partners: readonly AdminPartner[];
  readonly invoices: MonthInvoices;
  readonly done?: string | undefined;
  /** A refusal, the form and field it belongs to, and what was typed (kept in the form). */
  readonly error?:
    | { readonly form: 'partner' | 'invoices'; readonly field: string; readonly message: string }
    | undefined;
  readonly typed?: Readonly<Record<string, string>> | undefined;
}

function partnerRows(lang: Lang, partners: readonly AdminPartner[]): SafeHtml {
  return html`${partners.map(
    (
      partner,
    ) => html`<tr><th scope="row">${partner.name}<br><span class="hint">${partner.partnerId}</span></th>
<td>${fill(t(lang, w.rateTerms), { partner: number(partner.rate.partnerPoints), points: number(partner.rate.points) })}</td>
<td class="numeric">${number(partner.dailyCapPoints)} pt</td>
<td><code>${keyFingerprint(partner.publicKeyPem)}</code></td>
<td>${t(lang, partner.active ? w.active : w.stopped)}</td></tr>`,
  )}`;
}

function invoiceTable(lang: Lang, invoices: readonly AdminInvoice[]): SafeHtml {
  if (invoices.length === 0) return html`<p>${t(lang, w.noPartners)}</p>`;
  const sum = (key: 'exchanges' | 'partnerPoints' | 'points' | 'amountYen') =>
    invoices.reduce((total, invoice) => total + invoice[key], 0);
  const kinds = ['exchanges', 'partnerPoints', 'points', 'amountYen'] as const;
  const heads = {
    exchanges: w.exchanges,
    partnerPoints: w.partnerPoints,
    points: w.points,
    amountYen: w.amount,
  };
  return html`<div class="table-wrap"><table class="data-table" data-testid="invoices">
<caption class="visually-hidden">${t(lang, w.invoicesHeading)}</caption>
<thead><tr><th scope="col">${t(lang, w.partner)}</th>${kinds.map((kind) => html`<th scope="col">${t(lang, heads[kind])}</th>`)}</tr></thead>
<tbody>${invoices.map(
    (invoice) =>
      html`<tr><th scope="row">${invoice.name}<br><span class="hint">${invoice.partnerId}</span></th>${kinds.map((kind) => html`<td class="numeric">${number(invoice[kind])}</td>`)}</tr>`,
  )}</tbody>
<tfoot><tr><th scope="row">${t(lang, w.total)}</th>${kinds.map((kind) => html`<td class="numeric">${number(sum(kind))}</td>`)}</tr></tfoot>
</table></div>`;
}

/** Where the chosen month's invoices stand: waiting for the internet zone, and the latest answer. */
function invoiceStatus(lang: Lang, invoices: MonthInvoices): SafeHtml {
  const waiting = invoices.waitingSince
    ? html`<div class="notice" role="status" data-testid="invoices-waiting"><p><strong>${t(lang, w.waiting)}</strong></p>
<p>${fill(t(lang, w.waitingNote), { at: tokyoDateTime(invoices.waitingSince) })} <a href="/points/admin/partners?month=${invoices.month}#invoices-heading">${t(lang, w.reload)}</a></p></div>`
    : html``;
  if (!invoices.answer) return invoices.waitingSince ? waiting : html`<p>${t(lang, w.notAsked)}</p>`;
  return html`${waiting}<p class="hint">${fill(t(lang, w.computedAt), { at: tokyoDateTime(invoices.answer.computedAt) })}</p>
${invoiceTable(lang, invoices.answer.invoices)}
<p><a href="/points/admin/partners/invoices.csv?month=${invoices.month}" download>${t(lang, w.csv)}</a></p>`;
}

/** /points/admin/partners: the partners, a form to register one, and the month's invoices. */
export function partnersBody(lang: Lang, view: PartnersView): SafeHtml {
  const { error, typed } = view;
  const partnerError = error?.form === 'partner' ? error.message : undefined;
  const invoicesError = error?.form === 'invoices' ? error.message : undefined;
  const keyTyped = typed?.publicKeyPem ?? '';
  return html`${errorSummary(lang, error ? [{ href: `#${error.field}`, message: error.message }] : [])}
${doneNotice(view.done)}
<p class="lead">${t(lang, w.lead)}</p>
${
  view.partners.length === 0
    ? html`<p>${t(lang, w.none)}</p>`
    : html`<div class="table-wrap"><table class="data-table"><caption class="visually-hidden">${t(lang, w.title)}</caption>
<thead><tr><th scope="col">${t(lang, w.partner)}</th><th scope="col">${t(lang, w.rate)}</th><th scope="col">${t(lang, w.cap)}</th><th scope="col">${t(lang, w.key)}</th><th scope="col">${t(lang, w.state)}</th></tr></thead>
<tbody>${partnerRows(lang, view.partners)}</tbody></table></div>`
}
<section aria-labelledby="register-heading">
<h2 id="register-heading" tabindex="-1">${t(lang, w.registerHeading)}</h2>
<p class="hint">${t(lang, w.registerHint)}</p>
${fieldError(lang, 'partner-error', partnerError)}
<form method="post" action="/points/admin/partners" class="form">${csrfField(view.csrfToken)}
${field('partnerId', t(lang, w.partnerId), typed, html` autocomplete="off" spellcheck="false" maxlength="40"`)}
${field('name', t(lang, w.name), typed, html` maxlength="100"`)}
<div class="field"><label for="publicKeyPem">${t(lang, w.publicKey)}</label><textarea id="publicKeyPem" name="publicKeyPem" rows="4" spellcheck="false" autocomplete="off" placeholder="-----BEGIN PUBLIC KEY-----">${keyTyped}</textarea></div>
${field('ratePartnerPoints', t(lang, w.ratePartnerPoints), typed, html` inputmode="numeric" class="input--short"`)}
${field('ratePoints', t(lang, w.ratePoints), typed, html` inputmode="numeric" class="input--short"`)}
${field('dailyCapPoints', t(lang, w.dailyCap), typed, html` inputmode="numeric" class="input--short"`)}
<div class="field"><input type="checkbox" id="active" name="active" value="1"${!typed || typed.active ? html` checked` : ''}> <label for="active">${t(lang, w.active)}</label></div>
<button type="submit">${t(lang, w.save)}</button>
</form>
</section>
<section aria-labelledby="invoices-heading">
<h2 id="invoices-heading" tabindex="-1">${t(lang, w.invoicesHeading)}</h2>
<p>${t(lang, w.invoicesLead)}</p>
${fieldError(lang, 'invoices-error', invoicesError)}
<form method="post" action="/points/admin/partners/invoices" class="form">${csrfField(view.csrfToken)}
<div class="field"><label for="month">${t(lang, w.month)}</label><input type="month" id="month" name="month" value="${typed?.month ?? view.invoices.month}" class="input--short"></div>
<button type="submit">${t(lang, w.ask)}</button>
</form>
<h3>${fill(t(lang, { ja: '{month} 分', en: '{month}' }), { month: view.invoices.month })}</h3>
${invoiceStatus(lang, view.invoices)}
</section>`;
}
