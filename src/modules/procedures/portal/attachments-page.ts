import { html, type Lang, type SafeHtml, t } from '../../../core/index.ts';
import type { ProcedureDefinition } from '../catalogue/definition.ts';
import type { DraftAttachment } from './drafts.ts';
import { askedAttachments, type Flow, flowSteps, flowUrl } from './flow.ts';
import { csrfField, errorSummary } from './layout.ts';
import { type CorrectionAsked, correctionBanner, progress } from './step-page.ts';
import { fill, portal, removedKinds } from './texts.ts';

/** What the sanitizer said of a file just sent: taken (and what it removed), or refused and why. */
export type UploadResult =
  | { readonly attachmentId: string; readonly outcome: 'rebuilt' }
  | { readonly attachmentId: string; readonly outcome: 'refused'; readonly reason: string };

export interface AttachmentsView {
  readonly definition: ProcedureDefinition;
  readonly flow: Flow;
  readonly attached: Readonly<Record<string, DraftAttachment>>;
  /** Messages by attachment id (a refused file, a missing required one). */
  readonly errors: ReadonlyMap<string, string>;
  readonly result?: UploadResult | undefined;
  readonly csrfToken: string;
  readonly maxBytes: number;
  readonly correction?: CorrectionAsked | undefined;
}

// Types the sanitizer rebuilds (sanitize's ALLOWED_TYPES): a hint to the file picker, not a check.
const ACCEPT = 'image/jpeg,image/png,image/heic,image/heif,image/tiff,application/pdf,.docx,.xlsx,.csv,.txt';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function attachedNow(lang: Lang, file: DraftAttachment, fresh: boolean): SafeHtml {
  return html`<div class="notice notice--success"${fresh ? html` role="status"` : ''}>
<p><strong>${t(lang, portal.uploaded)}</strong>${lang === 'ja' ? '：' : ': '}${file.fileName || t(lang, portal.previousFile)}${
    file.bytes ? html`（${size(file.bytes)}）` : ''
  }</p>
${
  file.removed.length > 0
    ? html`<p>${fill(t(lang, portal.removedParts), {
        what: [
          ...new Set(file.removed.map((kind) => (removedKinds[kind] ? t(lang, removedKinds[kind]) : kind))),
        ].join(lang === 'ja' ? '、' : ', '),
      })}</p>`
    : ''
}
</div>`;
}

function attachmentSection(
  lang: Lang,
  view: AttachmentsView,
  attachment: ProcedureDefinition['attachments'][number],
): SafeHtml {
  const id = `file-${attachment.id}`;
  const file = view.attached[attachment.id];
  const error = view.errors.get(attachment.id);
  const fresh = view.result?.attachmentId === attachment.id && view.result.outcome === 'rebuilt';
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const query = view.flow.correctionOf ? `?correction=${view.flow.correctionOf}` : '';
  const base = `/procedures/${view.definition.id}/apply/attachments/${attachment.id}`;
  return html`<section class="attachment${error ? ' field--error' : ''}" aria-labelledby="${id}-heading">
<h2 id="${id}-heading">${t(lang, attachment.name)} <span class="badge${attachment.required ? '' : ' badge--soon'}">${t(
    lang,
    attachment.required ? portal.requiredAttachment : portal.optionalAttachment,
  )}</span></h2>
${attachment.note ? html`<p class="hint">${t(lang, attachment.note)}</p>` : ''}
${file ? attachedNow(lang, file, fresh) : html`<p>${t(lang, portal.notAttached)}</p>`}
${
  error
    ? html`<div class="notice notice--error"><p class="field-error" id="${id}-error"><span class="visually-hidden">${lang === 'ja' ? 'エラー：' : 'Error: '}</span>${error}</p></div>`
    : ''
}
<form method="post" action="${base}${query}" enctype="multipart/form-data" class="form upload-form">
${csrfField(view.csrfToken)}
<div class="field">
<label for="${id}">${t(lang, file ? portal.replace : portal.chooseFile)}</label>
<p class="hint" id="${id}-hint">${fill(t(lang, portal.fileHint), { mb: Math.floor(view.maxBytes / 1024 / 1024) })}</p>
<input type="file" id="${id}" name="file" accept="${ACCEPT}" aria-describedby="${describedBy}"${error ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit" class="button--secondary">${t(lang, portal.upload)}<span class="visually-hidden">（${t(lang, attachment.name)}）</span></button>
</form>
${
  file
    ? html`<form method="post" action="${base}/removal${query}" class="form">
${csrfField(view.csrfToken)}
<button type="submit" class="button--secondary">${t(lang, portal.remove)}<span class="visually-hidden">（${t(lang, attachment.name)}）</span></button>
</form>`
    : ''
}
</section>`;
}

/**
 * The attachments step: one upload form per document asked for (multipart, no script), each
 * file sanitized (無害化) as it arrives and the result said beside it — kept (and what was taken
 * out) or refused and why. Once-only documents are listed as not needed.
 */
export function attachmentsBody(lang: Lang, view: AttachmentsView): SafeHtml {
  const { definition, flow } = view;
  const steps = flowSteps(definition, flow);
  const asked = askedAttachments(definition);
  const onceOnly = definition.attachments.filter((a) => a.onceOnly);
  const summary = errorSummary(
    lang,
    asked
      .filter((a) => view.errors.has(a.id))
      .map((a) => ({ href: `#file-${a.id}`, message: view.errors.get(a.id)! })),
  );
  return html`${progress(lang, steps, definition.layout.steps.length)}
${correctionBanner(lang, view.correction, definition.schema)}
${summary}
<p>${t(lang, portal.attachmentsLead)}</p>
${asked.map((a) => attachmentSection(lang, view, a))}
${
  onceOnly.length > 0
    ? html`<section aria-labelledby="once-only-heading">
<h2 id="once-only-heading">${lang === 'ja' ? '添付が不要な書類' : 'Documents you need not attach'}</h2>
<ul>${onceOnly.map((a) => html`<li>${t(lang, a.name)}：${t(lang, a.note ?? portal.onceOnly)}</li>`)}</ul>
</section>`
    : ''
}
<form method="post" action="${flowUrl(flow, '/attachments')}" class="form">
${csrfField(view.csrfToken)}
<div class="actions">
<button type="submit" name="action" value="next">${t(lang, portal.next)}</button>
<button type="submit" name="action" value="back" class="button--secondary">${t(lang, portal.back)}</button>
</div>
</form>`;
}
