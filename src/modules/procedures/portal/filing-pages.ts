import { html, type Lang, type SafeHtml, t } from '../../../core/index.ts';
import type { ProcedureDefinition } from '../catalogue/definition.ts';
import type { FeeRecord } from '../fees/fee-record.ts';
import { tokyoDateTime } from '../pages/format.ts';
import type { InboxEntry, MyFiling } from '../submissions/my-filings.ts';
import type { FormNode } from './form-schema.ts';
import { csrfField, doneNotice, yen } from './layout.ts';
import { feeStates, fill, portal, residentStatus } from './texts.ts';

const statusOf = (status: string) => residentStatus[status] ?? residentStatus.submitted!;
/** 取下げ is possible before a clerk starts (cases/case-status.ts), and once. */
export const canWithdraw = (filing: MyFiling) =>
  (filing.status === 'submitted' || filing.status === 'received') && !filing.withdrawalRequested;
const feeOpen = (fee: FeeRecord | undefined) =>
  fee !== undefined && (fee.state === 'due' || fee.state === 'failed' || fee.state === 'pending');

function procedureName(lang: Lang, catalogue: ReadonlyMap<string, ProcedureDefinition>, id: string): string {
  const definition = catalogue.get(id);
  return definition ? t(lang, definition.name) : id;
}

/** /submissions: the resident's filings, newest first, with what to do next. */
export function filingsBody(
  lang: Lang,
  filings: readonly MyFiling[],
  catalogue: ReadonlyMap<string, ProcedureDefinition>,
): SafeHtml {
  if (filings.length === 0)
    return html`<p>${t(lang, portal.noFilings)}</p><p><a href="/procedures">${t(lang, portal.catalogue)}</a></p>`;
  return html`<div class="table-wrap"><table>
<caption class="visually-hidden">${t(lang, portal.filings)}</caption>
<thead><tr><th scope="col">${t(lang, portal.receiptNumber)}</th><th scope="col">${t(lang, portal.procedure)}</th><th scope="col">${t(lang, portal.submittedAt)}</th><th scope="col">${t(lang, portal.status)}</th><th scope="col">${t(lang, portal.whatNext)}</th></tr></thead>
<tbody>${filings.map((filing) => {
    const status = statusOf(filing.status);
    return html`<tr>
<td><a href="/submissions/${filing.submissionId}"><span class="nowrap">${filing.receiptNumber}</span></a></td>
<td>${procedureName(lang, catalogue, filing.procedureId)}</td>
<td><time datetime="${filing.submittedAt}">${tokyoDateTime(filing.submittedAt)}</time></td>
<td><strong>${t(lang, status.label)}</strong>${filing.withdrawalRequested && filing.status !== 'withdrawn' ? html`<br>${t(lang, portal.withdrawalPending)}` : ''}</td>
<td>${t(lang, status.next)}</td>
</tr>`;
  })}</tbody>
</table></div>`;
}

export interface FilingView {
  readonly filing: MyFiling;
  readonly definition: ProcedureDefinition | undefined;
  readonly fee: FeeRecord | undefined;
  readonly csrfToken: string;
  readonly done?: string | undefined;
  /** Why the resident's last step on it was refused (e.g. the review started before the withdrawal). */
  readonly refusal?: string | undefined;
}

const doneTexts = {
  submitted: portal.receiptTitle,
  corrected: portal.correctedNote,
  withdrawn: portal.withdrawnNote,
  paid: portal.paidNote,
} as const;
export type FilingDone = keyof typeof doneTexts;
export const isFilingDone = (value: unknown): value is FilingDone =>
  typeof value === 'string' && value in doneTexts;

/**
 * /submissions/:id: the receipt number (受付番号) large, where the filing stands and what to
 * do next, the office's message and the items to correct, and the resident's buttons:
 * 補正する, 取り下げる, 手数料を支払う — each only when it can be done.
 */
export function filingBody(lang: Lang, view: FilingView): SafeHtml {
  const { filing, definition, fee } = view;
  const status = statusOf(filing.status);
  const schema = definition?.schema as FormNode | undefined;
  const toCorrect = filing.status === 'correction-requested' ? filing.fields : [];
  const justFiled = view.done === 'submitted';
  const done = isFilingDone(view.done) && !justFiled ? t(lang, doneTexts[view.done]) : undefined;
  return html`${view.refusal ? html`<div class="notice notice--error" role="alert"><p>${view.refusal}</p></div>` : ''}${doneNotice(done)}
<div class="receipt${justFiled ? ' receipt--new' : ''}"${justFiled ? html` role="status"` : ''}>
<p class="receipt__label" id="receipt-label">${t(lang, portal.receiptNumber)}</p>
<p class="receipt__number" aria-labelledby="receipt-label">${filing.receiptNumber}</p>
${justFiled ? html`<p>${t(lang, portal.receiptNote)}</p>` : ''}
</div>
${
  feeOpen(fee)
    ? html`<div class="notice notice--warning"><p>${fill(t(lang, portal.feeDue), { amount: yen(lang, fee!.amountYen) })}</p>
<p><a class="button-link" href="/submissions/${filing.submissionId}/fee">${t(lang, portal.payFee)}</a></p></div>`
    : ''
}
<dl>
<dt>${t(lang, portal.procedure)}</dt><dd>${definition ? t(lang, definition.name) : filing.procedureId}</dd>
<dt>${t(lang, portal.submittedAt)}</dt><dd><time datetime="${filing.submittedAt}">${tokyoDateTime(filing.submittedAt)}</time></dd>
<dt>${t(lang, portal.status)}</dt><dd><strong>${t(lang, status.label)}</strong>${filing.version > 1 ? html`（${t(lang, portal.version)} ${filing.version}）` : ''}</dd>
<dt>${t(lang, portal.whatNext)}</dt><dd>${filing.withdrawalRequested && filing.status !== 'withdrawn' ? t(lang, portal.withdrawalPending) : t(lang, status.next)}</dd>
${fee ? html`<dt>${t(lang, portal.fee)}</dt><dd>${yen(lang, fee.amountYen)}（${t(lang, feeStates[fee.state] ?? portal.fee)}）</dd>` : ''}
</dl>
${
  filing.message
    ? html`<section aria-labelledby="message-heading"><h2 id="message-heading">${t(lang, portal.officeMessage)}</h2>
<p class="office-message">${filing.message}</p></section>`
    : ''
}
${
  toCorrect.length > 0
    ? html`<section aria-labelledby="correct-heading"><h2 id="correct-heading">${t(lang, portal.itemsToCorrect)}</h2>
<ul>${toCorrect.map((key) => {
        const node = schema?.properties?.[key];
        return html`<li>${(lang === 'en' ? (node?.titleEn ?? node?.title) : node?.title) ?? key}</li>`;
      })}</ul></section>`
    : ''
}
<div class="actions">
${
  filing.status === 'correction-requested'
    ? html`<form method="post" action="/submissions/${filing.submissionId}/correction" class="inline-form">${csrfField(view.csrfToken)}<button type="submit">${t(lang, portal.correct)}</button></form>`
    : ''
}
${
  filing.status === 'approved' || filing.status === 'rejected'
    ? html`<a class="button-link button--secondary" href="/inbox">${t(lang, portal.inbox)}</a>`
    : ''
}
</div>
${
  canWithdraw(filing)
    ? html`<section aria-labelledby="withdraw-heading"><h2 id="withdraw-heading">${t(lang, portal.withdraw)}</h2>
<p id="withdraw-hint">${t(lang, portal.withdrawHint)}</p>
<form method="post" action="/submissions/${filing.submissionId}/withdrawal" class="form">${csrfField(view.csrfToken)}
<button type="submit" class="button--danger" aria-describedby="withdraw-hint">${t(lang, portal.withdraw)}</button></form></section>`
    : ''
}
<p><a href="/submissions">${t(lang, portal.toFilings)}</a></p>`;
}

/** /inbox: what the offices said, newest first; unread marked in words; notices as PDF downloads. */
export function inboxBody(lang: Lang, entries: readonly InboxEntry[]): SafeHtml {
  if (entries.length === 0) return html`<p>${t(lang, portal.noInbox)}</p>`;
  return html`<ul class="inbox">${entries.map((entry) => {
    const status = statusOf(entry.status);
    // Read means its notice was opened: an entry without a notice has nothing to open.
    const unread = entry.notice !== null && !entry.read;
    return html`<li class="inbox__entry${unread ? ' inbox__entry--unread' : ''}">
<p>${unread ? html`<span class="badge">${t(lang, portal.unread)}</span> ` : ''}<strong>${t(lang, status.label)}</strong> ・ <a href="/submissions/${entry.submissionId}">${entry.receiptNumber}</a> ・ <time datetime="${entry.createdAt}">${tokyoDateTime(entry.createdAt)}</time></p>
${entry.message ? html`<p class="office-message">${entry.message}</p>` : ''}
${
  entry.notice
    ? html`<p><a href="/api/v1/notices/${entry.notice.noticeId}" download>${fill(t(lang, portal.noticeDownload), { title: entry.notice.title })}</a></p>`
    : ''
}
</li>`;
  })}</ul>`;
}
