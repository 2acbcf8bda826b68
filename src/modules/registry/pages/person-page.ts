import { html, type Lang, type SafeHtml, t, toIsoDate } from '../../../core/index.ts';
import { type Purpose, purposeCodes, purposes } from '../purposes.ts';
import type { PersonHistory, PersonRecord } from '../queries/types.ts';
import { dateText, eventLabels, labels, sexLabels, statusLabels } from './texts.ts';

/** Step before a record is shown: the clerk states why (GET form, so the URL carries the purpose). */
export function purposeFormBody(lang: Lang, residentCode: string, invalid: boolean): SafeHtml {
  return html`<form method="get" action="/registry/residents/${residentCode}">
  ${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
  <fieldset class="field"${invalid ? html` aria-describedby="purpose-error"` : ''}>
    <legend>${t(lang, labels.purposeTitle)}</legend>
    <p class="hint">${t(lang, labels.purposeIntro)}</p>
    ${invalid ? html`<p class="field-error" id="purpose-error">${lang === 'ja' ? '目的を選んでください。' : 'Choose a purpose.'}</p>` : ''}
    ${purposeCodes.map(
      (code, i) =>
        html`<div class="choice"><label><input type="radio" name="purpose" value="${code}"${
          i === 0 ? html` required` : ''
        }> ${t(lang, purposes[code])}</label></div>`,
    )}
  </fieldset>
  <div class="actions"><button type="submit" class="button">${t(lang, labels.showRecord)}</button></div>
</form>`;
}

function row(label: string, value: SafeHtml | string): SafeHtml {
  return html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
}

/** The 住民票, the household and the full history (events and residence periods). */
export function personPageBody(
  lang: Lang,
  person: PersonRecord,
  history: PersonHistory,
  purpose: Purpose,
  showMyNumber: boolean,
): SafeHtml {
  const L = (text: { ja: string; en: string }) => t(lang, text);
  const langParam = lang === 'en' ? '?lang=en' : '';
  return html`<p class="lead">${L(labels.purposeTitle)}: ${L(purposes[purpose])}</p>
<section aria-labelledby="record-heading">
<h2 id="record-heading">${L(labels.person)}</h2>
<div class="table-wrap"><table>
  <caption>${person.familyName} ${person.givenName}</caption>
  <tbody>
    ${row(L(labels.residentCode), person.residentCode)}
    ${showMyNumber ? row(L(labels.myNumber), person.myNumber) : ''}
    ${row(L(labels.name), `${person.familyName} ${person.givenName}`)}
    ${row(L(labels.kana), `${person.familyNameKana} ${person.givenNameKana}`)}
    ${row(L(labels.sex), L(sexLabels[person.sex]))}
    ${row(L(labels.birthDate), dateText(lang, person.birthDate))}
    ${row(L(labels.address), `${person.postalCode ? `〒${person.postalCode.slice(0, 3)}-${person.postalCode.slice(3)} ` : ''}${person.address}`)}
    ${row(L(labels.addressSince), dateText(lang, person.addressSince))}
    ${row(L(labels.relationship), person.relationship)}
    ${row(L(labels.status), `${L(statusLabels[person.status])}${person.leftOn ? ` (${dateText(lang, person.leftOn)})` : ''}`)}
  </tbody>
</table></div>
</section>
<section aria-labelledby="household-heading">
<h2 id="household-heading">${L(labels.household)}</h2>
<p>${L(labels.head)}: ${
    person.household.headResidentCode
      ? html`<a href="/registry/residents/${person.household.headResidentCode}${langParam}">${person.household.headResidentCode}</a>`
      : L(labels.noHead)
  }</p>
<div class="table-wrap"><table>
  <caption>${L(labels.household)}</caption>
  <thead><tr><th scope="col">${L(labels.residentCode)}</th><th scope="col">${L(labels.name)}</th><th scope="col">${L(labels.relationship)}</th><th scope="col">${L(labels.birthDate)}</th></tr></thead>
  <tbody>${person.household.members.map(
    (m) =>
      html`<tr><th scope="row"><a href="/registry/residents/${m.residentCode}${langParam}">${m.residentCode}</a></th><td>${m.familyName} ${m.givenName}</td><td>${m.relationship}</td><td>${dateText(lang, m.birthDate)}</td></tr>`,
  )}</tbody>
</table></div>
</section>
<section aria-labelledby="history-heading">
<h2 id="history-heading">${L(labels.history)}</h2>
<div class="table-wrap"><table>
  <caption>${L(labels.history)}</caption>
  <thead><tr><th scope="col">${L(labels.effectiveOn)}</th><th scope="col">${L(labels.event)}</th><th scope="col">${L(labels.address)}</th><th scope="col">${L(labels.otherPlace)}</th><th scope="col">${L(labels.recordedAt)}</th></tr></thead>
  <tbody>${history.events.map(
    (e) =>
      html`<tr><th scope="row">${dateText(lang, e.effectiveOn)}</th><td>${L(eventLabels[e.kind])}</td><td>${e.address ?? ''}</td><td>${[e.otherAddress, e.otherMunicipalityCode].filter(Boolean).join(' ')}</td><td>${toIsoDate(new Date(e.recordedAt))}</td></tr>`,
  )}</tbody>
</table></div>
<h2 id="residences-heading">${L(labels.residences)}</h2>
<div class="table-wrap"><table>
  <caption>${L(labels.residences)}</caption>
  <thead><tr><th scope="col">${L(labels.from)}</th><th scope="col">${L(labels.to)}</th><th scope="col">${L(labels.address)}</th></tr></thead>
  <tbody>${history.residences.map(
    (r) =>
      html`<tr><th scope="row">${dateText(lang, r.validFrom)}</th><td>${r.validTo ? dateText(lang, r.validTo) : L(labels.current)}</td><td>${r.address}</td></tr>`,
  )}</tbody>
</table></div>
</section>`;
}
