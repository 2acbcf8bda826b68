import { html, type Lang, type SafeHtml, t } from '../../../core/index.ts';
import { isOpen } from '../cases/case-status.ts';
import type { CaseVersionView, CaseView, SignatureView } from '../cases/case-view.ts';
import { type CaseForms, caseForms } from './case-forms.ts';
import { changedItemTitles, changedPointers, formDataList, itemTitle, topLevelItems } from './form-data.ts';
import { daysLeftText, dayText, fileSize, isoInstant, multiline, tokyoDateTime } from './format.ts';
import { assigneeText } from './queue-page.ts';
import { registryCheckLabel, registryCheckText } from './registry-check-text.ts';
import { eventLabels, fill, labels, sexLabels, statusLabels } from './texts.ts';

export interface CasePage extends CaseForms {
  readonly view: CaseView;
  /** The procedure's form schema (titles of the items), when the procedure is still in the catalogue. */
  readonly schema: unknown;
  readonly lgCode: string;
  readonly staffNames: ReadonlyMap<string, string>;
  readonly me: string;
  /** What the last step did (after its redirect). */
  readonly notice?: string | undefined;
  /** Why the last step was refused; each error names the field it is about, if any. */
  readonly errors?: readonly { readonly field?: string | undefined; readonly message: string }[] | undefined;
}

const row = (label: string, value: SafeHtml | string) =>
  html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
const time = (at: Date | string) => html`<time datetime="${isoInstant(at)}">${tokyoDateTime(at)}</time>`;

function summary(lang: Lang, input: CasePage): SafeHtml {
  const { view } = input;
  const L = (text: { ja: string; en: string }) => t(lang, text);
  return html`<section aria-labelledby="summary-heading">
<h2 id="summary-heading">${L(labels.summary)}</h2>
<div class="table-wrap"><table>
  <caption>${L(labels.summary)}</caption>
  <tbody>
    ${row(L(labels.receiptNumber), view.receiptNumber)}
    ${row(L(labels.procedureName), L(view.procedureName))}
    ${row(L(labels.status), L(statusLabels[view.status]))}
    ${row(L(labels.version), String(view.version))}
    ${row(L(labels.submittedAt), time(view.submittedAt))}
    ${row(L(labels.dueOn), view.dueOn ? dayText(lang, view.dueOn) : L(labels.noPeriod))}
    ${row(L(labels.daysLeft), daysLeftText(lang, view.daysLeft, view.dueOn, isOpen(view.status)))}
    ${row(L(labels.assignee), assigneeText(lang, view.assignedTo, input.staffNames, input.me))}
  </tbody>
</table></div>
</section>`;
}

function attachmentTable(lang: Lang, input: CasePage, version: CaseVersionView): SafeHtml {
  const L = (text: { ja: string; en: string }) => t(lang, text);
  if (version.attachments.length === 0) return html`<p>${L(labels.noAttachments)}</p>`;
  const base = `/api/v1/municipalities/${input.lgCode}/cases/${input.view.receiptNumber}/attachments`;
  return html`<div class="table-wrap"><table>
  <caption>${L(labels.attachments)}（${fill(L(labels.versionOf), { n: version.version })}）</caption>
  <thead><tr><th scope="col">${L(labels.attachmentName)}</th><th scope="col">${L(labels.arrival)}</th><th scope="col">${L(labels.fileKind)}</th><th scope="col">${L(labels.download)}</th></tr></thead>
  <tbody>${version.attachments.map(
    (a) => html`<tr>
    <th scope="row">${L(a.name)}</th>
    <td>${
      a.received
        ? a.received.intact
          ? L(labels.arrived)
          : html`<strong>${L(labels.arrived)}: ${L(labels.hashMismatch)}</strong>`
        : L(labels.onTheWay)
    }</td>
    <td>${a.received ? `${a.received.mediaType}, ${fileSize(a.received.bytes)}` : '—'}</td>
    <td>${
      a.received
        ? html`<a href="${base}/${a.uploadId}" download>${L(labels.download)}<span class="visually-hidden">: ${L(a.name)}</span></a>`
        : '—'
    }</td>
  </tr>`,
  )}</tbody>
</table></div>`;
}

function signatureTable(
  lang: Lang,
  signature: SignatureView,
  caption: string,
  check: CaseVersionView['registryCheck'] = null,
): SafeHtml {
  const L = (text: { ja: string; en: string }) => t(lang, text);
  if (!signature.present) return html`<p>${L(labels.noSignature)}</p>`;
  const signer = signature.signer;
  return html`<div class="table-wrap"><table>
  <caption>${caption}</caption>
  <tbody>
    ${row(
      L(labels.signaturePresent),
      signature.intact
        ? html`<span class="badge badge--ok">OK</span> ${L(labels.intact)}`
        : html`<strong>${L(labels.broken)}</strong>${signature.problem ? html`（${signature.problem}）` : ''}`,
    )}
    ${row(L(labels.signerName), signer?.name ?? L(labels.unknown))}
    ${row(L(labels.signerBirth), signer ? dayText(lang, signer.dateOfBirth) : L(labels.unknown))}
    ${row(L(labels.signerSex), signer ? L(sexLabels[signer.sex] ?? labels.unknown) : L(labels.unknown))}
    ${row(L(labels.signerAddress), signer?.address ?? L(labels.unknown))}
    ${row(L(registryCheckLabel), registryCheckText(lang, check))}
    ${row(L(labels.serialNumber), signature.serialNumber ?? L(labels.unknown))}
    ${row(L(labels.signingTime), signature.signingTime ? time(signature.signingTime) : L(labels.unknown))}
  </tbody>
</table></div>`;
}

/** The changes from the version before, named by item, then the data with those values marked. */
function versionData(lang: Lang, input: CasePage, version: CaseVersionView, before?: CaseVersionView) {
  const changed = before ? changedPointers(before.data, version.data) : new Set<string>();
  const titles = changedItemTitles(lang, input.schema, changed);
  return html`${
    before
      ? html`<p>${t(lang, labels.changedSincePrevious)}: ${titles.length > 0 ? titles.join('、') : '—'}</p>`
      : ''
  }${formDataList(lang, input.schema, version.data, changed)}`;
}

function olderVersions(lang: Lang, input: CasePage): SafeHtml {
  const older = input.view.versions.slice(1);
  if (older.length === 0) return html``;
  return html`<section aria-labelledby="versions-heading">
<h2 id="versions-heading">${t(lang, labels.olderVersions)}</h2>
${older.map((version, i) => {
  const name = fill(t(lang, labels.versionOf), { n: version.version });
  return html`<details>
  <summary>${name}（${t(lang, labels.submittedAt)} ${tokyoDateTime(version.submittedAt)}）</summary>
  <h3>${name}: ${t(lang, labels.formData)}</h3>
  ${versionData(lang, input, version, older[i + 1])}
  <h3>${name}: ${t(lang, labels.attachments)}</h3>
  ${attachmentTable(lang, input, version)}
  <h3>${name}: ${t(lang, labels.signature)}</h3>
  ${signatureTable(lang, version.signature, `${t(lang, labels.signature)}（${name}）`, version.registryCheck)}
</details>`;
})}
</section>`;
}

function eventDetail(lang: Lang, input: CasePage, event: CaseView['events'][number]): SafeHtml {
  const parts: (SafeHtml | string)[] = [];
  if (event.message) parts.push(html`<p>${multiline(event.message)}</p>`);
  const { fields, assignee } = event.details;
  if (Array.isArray(fields) && fields.length > 0) {
    const items = topLevelItems(lang, input.schema);
    const titles = fields.map(
      (f) => items.find((item) => item.key === f)?.title ?? itemTitle(lang, undefined, String(f)),
    );
    parts.push(html`<p>${t(lang, labels.correctionFields)}: ${titles.join('、')}</p>`);
  }
  if (event.kind === 'assigned') {
    parts.push(
      assigneeText(lang, typeof assignee === 'string' ? assignee : null, input.staffNames, input.me),
    );
  }
  return html`${parts}`;
}

function actorText(lang: Lang, input: CasePage, actor: string): string {
  if (actor.startsWith('staff:')) {
    const id = actor.slice('staff:'.length);
    return assigneeText(lang, id, input.staffNames, input.me);
  }
  return actor === input.view.submittedBy ? t(lang, labels.applicant) : t(lang, labels.system);
}

function history(lang: Lang, input: CasePage): SafeHtml {
  const L = (text: { ja: string; en: string }) => t(lang, text);
  return html`<section aria-labelledby="history-heading">
<h2 id="history-heading">${L(labels.history)}</h2>
<div class="table-wrap"><table>
  <caption>${L(labels.history)}</caption>
  <thead><tr><th scope="col">${L(labels.at)}</th><th scope="col">${L(labels.event)}</th><th scope="col">${L(labels.version)}</th><th scope="col">${L(labels.actor)}</th><th scope="col">${L(labels.detail)}</th></tr></thead>
  <tbody>${input.view.events.map(
    (event) => html`<tr>
    <th scope="row">${time(event.at)}</th>
    <td>${L(eventLabels[event.kind])}</td>
    <td>${String(event.version)}</td>
    <td>${actorText(lang, input, event.actor)}</td>
    <td>${eventDetail(lang, input, event)}</td>
  </tr>`,
  )}</tbody>
</table></div>
</section>`;
}

function notices(lang: Lang, input: CasePage): SafeHtml {
  const L = (text: { ja: string; en: string }) => t(lang, text);
  return html`<section aria-labelledby="notices-heading">
<h2 id="notices-heading">${L(labels.notices)}</h2>
${
  input.view.notices.length === 0
    ? html`<p>${L(labels.noNotices)}</p>`
    : html`<div class="table-wrap"><table>
  <caption>${L(labels.notices)}</caption>
  <thead><tr><th scope="col">${L(labels.noticeTitle)}</th><th scope="col">${L(labels.issuedAt)}</th><th scope="col">${L(labels.noticeId)}</th></tr></thead>
  <tbody>${input.view.notices.map(
    (n) => html`<tr><th scope="row">${n.title}</th><td>${time(n.issuedAt)}</td><td>${n.noticeId}</td></tr>`,
  )}</tbody>
</table></div>`
}
</section>`;
}

function messages(lang: Lang, input: CasePage): SafeHtml {
  return html`${
    input.errors && input.errors.length > 0
      ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
  <h2 id="error-summary-title">${t(lang, labels.problem)}</h2>
  <ul>${input.errors.map((e) => html`<li>${e.field ? html`<a href="#${e.field}">${e.message}</a>` : e.message}</li>`)}</ul>
</div>`
      : ''
  }${input.notice ? html`<p class="notice notice--success" role="status">${input.notice}</p>` : ''}`;
}

/**
 * /cases/:receiptNumber: one case in full. The current version's data, attachments and
 * signature; the clerk's steps; older versions folded away with what changed; the history
 * and the notices issued.
 */
export function caseBody(lang: Lang, input: CasePage): SafeHtml {
  const current = input.view.versions[0];
  const L = (text: { ja: string; en: string }) => t(lang, text);
  const currentName = current ? fill(L(labels.versionOf), { n: current.version }) : '';
  return html`${messages(lang, input)}
<p><a href="/cases${lang === 'en' ? '?lang=en' : ''}">${L(labels.backToQueue)}</a></p>
${summary(lang, input)}
${
  current
    ? html`<section aria-labelledby="data-heading">
<h2 id="data-heading">${L(labels.formData)}（${currentName}）</h2>
${versionData(lang, input, current, input.view.versions[1])}
</section>
<section aria-labelledby="attachments-heading">
<h2 id="attachments-heading">${L(labels.attachments)}</h2>
${attachmentTable(lang, input, current)}
</section>
<section aria-labelledby="signature-heading">
<h2 id="signature-heading">${L(labels.signature)}</h2>
<p class="hint">${L(labels.revocationNote)}</p>
${signatureTable(lang, current.signature, `${L(labels.signature)}（${currentName}）`, current.registryCheck)}
</section>`
    : ''
}
${caseForms(lang, input.view.status, input)}
${olderVersions(lang, input)}
${history(lang, input)}
${notices(lang, input)}`;
}

/** A receipt number this municipality does not have (or another municipality's: the same answer). */
export function caseNotFoundBody(lang: Lang): SafeHtml {
  return html`<p>${t(lang, labels.notFoundBody)}</p>
<p><a href="/cases${lang === 'en' ? '?lang=en' : ''}">${t(lang, labels.backToQueue)}</a></p>`;
}
