import { html, type Lang, type SafeHtml, t } from '../../../core/index.ts';
import type { Page, PersonSummary } from '../queries/types.ts';
import { dateText, labels, statusLabels } from './texts.ts';

export interface SearchForm {
  readonly kana?: string | undefined;
  readonly name?: string | undefined;
  readonly birthDate?: string | undefined;
  readonly address?: string | undefined;
}

type Field = keyof SearchForm;

function field(lang: Lang, name: Field, value: string | undefined, error: string | undefined): SafeHtml {
  const hint = labels[`${name}Hint` as const];
  const describedBy = [`${name}-hint`, error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
  <label for="${name}">${t(lang, labels[name])}</label>
  <p class="hint" id="${name}-hint">${t(lang, hint)}</p>
  ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : ''}
  <input id="${name}" name="${name}" type="text" value="${value ?? ''}" aria-describedby="${describedBy}"${
    error ? html` aria-invalid="true"` : ''
  }${name === 'kana' ? html` autocomplete="off"` : ''}>
</div>`;
}

/** The search form and, after a search, the results table (no My Number in it). */
export function searchPageBody(
  lang: Lang,
  form: SearchForm,
  result: Page<PersonSummary> | undefined,
  error: { field: Field; message: string } | undefined,
  nextHref: string | undefined,
): SafeHtml {
  const message = (name: Field) => (error?.field === name ? error.message : undefined);
  return html`${
    error
      ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
  <h2 id="error-summary-title">${t(lang, labels.problem)}</h2>
  <ul><li><a href="#${error.field}">${error.message}</a></li></ul>
</div>`
      : ''
  }
<form method="get" action="/registry" role="search" aria-label="${t(lang, labels.search)}">
  ${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
  ${field(lang, 'kana', form.kana, message('kana'))}
  ${field(lang, 'name', form.name, message('name'))}
  ${field(lang, 'birthDate', form.birthDate, message('birthDate'))}
  ${field(lang, 'address', form.address, message('address'))}
  <div class="actions"><button type="submit" class="button">${t(lang, labels.submitSearch)}</button></div>
</form>
${result ? resultsTable(lang, result, nextHref) : ''}`;
}

function resultsTable(lang: Lang, result: Page<PersonSummary>, nextHref: string | undefined): SafeHtml {
  if (result.items.length === 0) {
    return html`<h2>${t(lang, labels.results)}</h2><p role="status">${t(lang, labels.noResults)}</p>`;
  }
  const langParam = lang === 'en' ? '&lang=en' : '';
  return html`<h2 id="results">${t(lang, labels.results)}</h2>
<div class="table-wrap">
<table aria-describedby="results">
  <caption>${t(lang, labels.results)}（${result.items.length}${lang === 'ja' ? '件' : ' shown'}）</caption>
  <thead><tr>
    <th scope="col">${t(lang, labels.residentCode)}</th>
    <th scope="col">${t(lang, labels.name)}</th>
    <th scope="col">${t(lang, labels.kana)}</th>
    <th scope="col">${t(lang, labels.birthDate)}</th>
    <th scope="col">${t(lang, labels.address)}</th>
    <th scope="col">${t(lang, labels.status)}</th>
  </tr></thead>
  <tbody>${result.items.map(
    (p) => html`<tr>
    <th scope="row"><a href="/registry/residents/${p.residentCode}${langParam ? `?${langParam.slice(1)}` : ''}">${p.residentCode}</a></th>
    <td>${p.familyName} ${p.givenName}</td>
    <td>${p.familyNameKana} ${p.givenNameKana}</td>
    <td>${dateText(lang, p.birthDate)}</td>
    <td>${p.address}</td>
    <td>${t(lang, statusLabels[p.status])}</td>
  </tr>`,
  )}</tbody>
</table>
</div>
${nextHref ? html`<p><a href="${nextHref}">${t(lang, labels.next)}</a></p>` : ''}`;
}
