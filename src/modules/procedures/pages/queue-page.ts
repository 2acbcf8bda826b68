import { html, type Lang, type SafeHtml, type Text, t } from '../../../core/index.ts';
import type { QueueEntry } from '../cases/case-queue.ts';
import { type CaseStatus, caseStatuses, isOpen } from '../cases/case-status.ts';
import type { ProcedureDefinition } from '../catalogue/definition.ts';
import { daysLeftText, dayText, isoInstant, tokyoDateTime } from './format.ts';
import { categoryLabels, fill, labels, statusLabels } from './texts.ts';

export interface QueueForm {
  readonly procedureId?: string | undefined;
  readonly status: CaseStatus | 'open' | 'all';
  readonly mine: boolean;
}

export interface QueuePage {
  readonly form: QueueForm;
  readonly procedures: readonly Pick<ProcedureDefinition, 'id' | 'name' | 'category'>[];
  readonly cases: readonly QueueEntry[];
  readonly total: number;
  readonly offset: number;
  readonly staffNames: ReadonlyMap<string, string>;
  readonly me: string;
  readonly csvHref: string;
  readonly previousHref?: string | undefined;
  readonly nextHref?: string | undefined;
  /** A filter the page could not use (a hand-made URL), said at the top. */
  readonly error?: { readonly field: 'procedureId' | 'status'; readonly message: string } | undefined;
}

/** The assignee as colleagues know them, marked when it is the reader. */
export function assigneeText(
  lang: Lang,
  assignedTo: string | null,
  staffNames: ReadonlyMap<string, string>,
  me: string,
): string {
  if (!assignedTo) return t(lang, labels.nobody);
  const name = staffNames.get(assignedTo) ?? assignedTo;
  return assignedTo === me ? `${name}${t(lang, labels.you)}` : name;
}

function selected(on: boolean): SafeHtml | '' {
  return on ? html` selected` : '';
}

function filters(lang: Lang, input: QueuePage): SafeHtml {
  const { form } = input;
  const byCategory = new Map<ProcedureDefinition['category'], QueuePage['procedures'][number][]>();
  for (const procedure of input.procedures) {
    byCategory.set(procedure.category, [...(byCategory.get(procedure.category) ?? []), procedure]);
  }
  const statusOptions: [string, Text][] = [
    ['open', labels.openStatuses],
    ...caseStatuses.map((status): [string, Text] => [status, statusLabels[status]]),
    ['all', labels.allStatuses],
  ];
  return html`<form method="get" action="/cases" class="form" aria-labelledby="filter-heading">
  <h2 id="filter-heading">${t(lang, labels.filters)}</h2>
  ${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
  <div class="field">
    <label for="procedureId">${t(lang, labels.procedure)}</label>
    <select id="procedureId" name="procedureId"${input.error?.field === 'procedureId' ? html` aria-invalid="true"` : ''}>
      <option value="">${t(lang, labels.allProcedures)}</option>
      ${[...byCategory].map(
        ([category, procedures]) =>
          html`<optgroup label="${t(lang, categoryLabels[category])}">${procedures.map(
            (p) =>
              html`<option value="${p.id}"${selected(p.id === form.procedureId)}>${t(lang, p.name)}</option>`,
          )}</optgroup>`,
      )}
    </select>
  </div>
  <div class="field">
    <label for="status">${t(lang, labels.status)}</label>
    <select id="status" name="status"${input.error?.field === 'status' ? html` aria-invalid="true"` : ''}>${statusOptions.map(
      ([value, text]) =>
        html`<option value="${value}"${selected(value === form.status)}>${t(lang, text)}</option>`,
    )}</select>
  </div>
  <div class="choice"><label><input type="checkbox" name="mine" value="1"${form.mine ? html` checked` : ''}> ${t(lang, labels.mine)}</label></div>
  <div class="actions"><button type="submit" class="button">${t(lang, labels.applyFilters)}</button></div>
</form>`;
}

function table(lang: Lang, input: QueuePage): SafeHtml {
  if (input.cases.length === 0) return html`<p role="status">${t(lang, labels.noCases)}</p>`;
  const langQuery = lang === 'en' ? '?lang=en' : '';
  const range = fill(t(lang, labels.results), {
    total: input.total,
    from: input.offset + 1,
    to: input.offset + input.cases.length,
  });
  return html`<div class="table-wrap"><table>
  <caption>${t(lang, labels.cases)}（${range}）</caption>
  <thead><tr>
    <th scope="col">${t(lang, labels.receiptNumber)}</th>
    <th scope="col">${t(lang, labels.procedureName)}</th>
    <th scope="col">${t(lang, labels.status)}</th>
    <th scope="col">${t(lang, labels.submittedAt)}</th>
    <th scope="col">${t(lang, labels.dueOn)}</th>
    <th scope="col">${t(lang, labels.daysLeft)}</th>
    <th scope="col">${t(lang, labels.assignee)}</th>
  </tr></thead>
  <tbody>${input.cases.map(
    (c) => html`<tr>
    <th scope="row"><a href="/cases/${c.receiptNumber}${langQuery}">${c.receiptNumber}</a></th>
    <td>${t(lang, c.procedureName)}</td>
    <td>${t(lang, statusLabels[c.status])}</td>
    <td><time datetime="${isoInstant(c.submittedAt)}">${tokyoDateTime(c.submittedAt)}</time></td>
    <td>${c.dueOn ? dayText(lang, c.dueOn) : t(lang, labels.noPeriod)}</td>
    <td>${daysLeftText(lang, c.daysLeft, c.dueOn, isOpen(c.status))}</td>
    <td>${assigneeText(lang, c.assignedTo, input.staffNames, input.me)}</td>
  </tr>`,
  )}</tbody>
</table></div>
${
  input.previousHref || input.nextHref
    ? html`<nav aria-label="${t(lang, labels.queue)}"><ul class="pager">${
        input.previousHref
          ? html`<li><a href="${input.previousHref}">${t(lang, labels.previous)}</a></li>`
          : ''
      }${input.nextHref ? html`<li><a href="${input.nextHref}">${t(lang, labels.next)}</a></li>` : ''}</ul></nav>`
    : ''
}`;
}

/** /cases: the municipality's queue, most urgent first, with filters and the CSV of the same cases. */
export function queueBody(lang: Lang, input: QueuePage): SafeHtml {
  return html`${
    input.error
      ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
  <h2 id="error-summary-title">${t(lang, labels.problem)}</h2>
  <ul><li><a href="#${input.error.field}">${input.error.message}</a></li></ul>
</div>`
      : ''
  }
${filters(lang, input)}
<section aria-labelledby="cases-heading">
<h2 id="cases-heading">${t(lang, labels.cases)}</h2>
<p><a href="${input.csvHref}" download>${t(lang, labels.csv)}</a></p>
${table(lang, input)}
</section>`;
}
