import { html, type Lang, type SafeHtml, type Text, t } from '../../../core/index.ts';
import type { ProcedureDefinition } from '../catalogue/definition.ts';
import { yen } from './layout.ts';
import {
  type ChooserView,
  type MunicipalityView,
  municipalityChooser,
  municipalityNotice,
  municipalityQuery,
  noteOf,
  notOfferedSection,
  offered,
  offerTexts,
} from './offer-pages.ts';
import { fill, portal } from './texts.ts';

export const categories: Record<ProcedureDefinition['category'], Text> = {
  'child-rearing': { ja: '子育て', en: 'Child-rearing' },
  care: { ja: '介護', en: 'Long-term care' },
  disaster: { ja: '被災者支援', en: 'Disaster support' },
  vehicle: { ja: '自動車の保有', en: 'Owning a vehicle' },
  facility: { ja: '図書館・施設の利用', en: 'Libraries and facilities' },
};

/** Text as searched: NFKC (full-width letters and digits fold), lower case, no spaces. */
function folded(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** Procedures whose name (Japanese or English) holds every word of the query. */
export function searchProcedures(
  procedures: readonly ProcedureDefinition[],
  query: string,
): ProcedureDefinition[] {
  const words = query.normalize('NFKC').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...procedures];
  return procedures.filter((p) => {
    const name = `${folded(p.name.ja)} ${folded(p.name.en)}`;
    return words.every((word) => name.includes(word));
  });
}

function procedureList(
  lang: Lang,
  procedures: readonly ProcedureDefinition[],
  municipality: MunicipalityView | undefined,
): SafeHtml {
  const query = municipalityQuery(municipality);
  return html`<ul class="link-list">${procedures.map((p) => {
    const note = noteOf(lang, municipality, p.id);
    return html`<li><a href="/procedures/${p.id}${query}">${t(lang, p.name)}</a>${
      p.fee
        ? html` <span class="badge badge--soon">${t(lang, portal.fee)} ${yen(lang, p.fee.amountYen)}</span>`
        : ''
    }${
      offered(municipality, p.id)
        ? ''
        : html` <span class="badge badge--soon">${t(lang, offerTexts.notOfferedBadge)}</span>`
    }${note ? html`<br><span class="hint">${note}</span>` : ''}</li>`;
  })}</ul>`;
}

/**
 * /procedures: the municipality (chosen, or the signed-in resident's), a search by name, then
 * every procedure it accepts online by category and those it does not under their own heading
 * (or what the search found, those not online here marked).
 */
export function catalogueBody(
  lang: Lang,
  procedures: readonly ProcedureDefinition[],
  query: string,
  chooser: ChooserView,
): SafeHtml {
  const { municipality } = chooser;
  const found = searchProcedures(procedures, query);
  const searching = query.trim() !== '';
  const search = html`<form method="get" action="/procedures" class="form search-form" role="search">
<div class="field">
<label for="q">${t(lang, portal.search)}</label>
<p class="hint" id="q-hint">${t(lang, portal.searchHint)}</p>
<div class="search-form__row"><input type="search" id="q" name="q" value="${query}" aria-describedby="q-hint" maxlength="100">
<button type="submit">${t(lang, portal.searchSubmit)}</button></div>
</div>
${municipality && !municipality.signedIn ? html`<input type="hidden" name="municipality" value="${municipality.code}">` : ''}
</form>`;
  const head = html`<p class="lead">${t(lang, portal.catalogueLead)}</p>
${municipalityChooser(lang, chooser)}
${search}`;
  if (searching) {
    return html`${head}
<h2 id="results" role="status">${fill(t(lang, portal.searchResults), { q: query.trim(), n: found.length })}</h2>
${found.length > 0 ? procedureList(lang, found, municipality) : html`<p>${t(lang, portal.noResults)}</p>`}
<p><a href="/procedures${municipalityQuery(municipality)}">${t(lang, portal.showAll)}</a></p>`;
  }
  const online = found.filter((p) => offered(municipality, p.id));
  const sections = (Object.keys(categories) as ProcedureDefinition['category'][])
    .map((category) => ({ category, items: online.filter((p) => p.category === category) }))
    .filter((section) => section.items.length > 0);
  return html`${head}
${sections.map(
  (section) => html`<section aria-labelledby="category-${section.category}">
<h2 id="category-${section.category}">${t(lang, categories[section.category])}</h2>
${procedureList(lang, section.items, municipality)}
</section>`,
)}
${
  municipality
    ? notOfferedSection(
        lang,
        municipality,
        found.filter((p) => !offered(municipality, p.id)),
      )
    : ''
}`;
}

export interface ProcedureDetailView {
  readonly definition: ProcedureDefinition;
  /** Where the start button leads: the form, or sign-in first. */
  readonly signedIn: boolean;
  readonly hasDraft: boolean;
  /** Whose settings decide (its note shown; turned off: no start button). */
  readonly municipality?: MunicipalityView | undefined;
}

/** /procedures/:id: what it is, on what basis, who may file, what is needed, the fee, the period. */
export function procedureBody(lang: Lang, view: ProcedureDetailView): SafeHtml {
  const p = view.definition;
  const apply = `/procedures/${p.id}/apply`;
  const startHref = view.signedIn ? apply : `/sign-in?next=${encodeURIComponent(apply)}`;
  const startLabel = !view.signedIn ? portal.signInToStart : view.hasDraft ? portal.resume : portal.start;
  const online = offered(view.municipality, p.id);
  return html`${municipalityNotice(lang, view.municipality, p.id)}
<section aria-labelledby="about-heading">
<h2 id="about-heading">${t(lang, portal.about)}</h2>
<dl>
<dt>${t(lang, portal.legalBasis)}</dt><dd>${t(lang, p.legalBasis)}</dd>
<dt>${t(lang, portal.level)}</dt><dd>${t(lang, portal.levels[p.level])}</dd>
<dt>${t(lang, portal.filers)}</dt><dd>${p.filers.map((f) => t(lang, portal.filerKinds[f])).join(lang === 'ja' ? '、' : ', ')}</dd>
<dt>${t(lang, portal.fee)}</dt><dd>${p.fee ? html`${yen(lang, p.fee.amountYen)}${p.fee.note ? html`<br><span class="hint">${t(lang, p.fee.note)}</span>` : ''}` : t(lang, portal.noFee)}</dd>
<dt>${t(lang, portal.period)}</dt><dd>${
    p.standardProcessingDays
      ? fill(t(lang, portal.periodDays), { n: p.standardProcessingDays })
      : t(lang, portal.noPeriod)
  }</dd>
</dl>
</section>
<section aria-labelledby="needed-heading">
<h2 id="needed-heading">${t(lang, portal.needed)}</h2>
<ul>
<li>${t(lang, p.signatureRequired ? portal.card : portal.cardNoSignature)}</li>
</ul>
<h3>${t(lang, portal.attachments)}</h3>
${
  p.attachments.length === 0
    ? html`<p>${t(lang, portal.noAttachments)}</p>`
    : html`<ul class="attachment-list">${p.attachments.map(
        (a) =>
          html`<li><strong>${t(lang, a.name)}</strong> <span class="badge${a.required && !a.onceOnly ? '' : ' badge--soon'}">${
            a.onceOnly
              ? t(lang, { ja: '添付不要', en: 'Not needed' })
              : t(lang, a.required ? portal.requiredAttachment : portal.optionalAttachment)
          }</span>${
            // Once-only: the data file's note says how the municipality looks it up, else the general words.
            a.note || a.onceOnly
              ? html`<br><span class="hint">${t(lang, a.note ?? portal.onceOnly)}</span>`
              : ''
          }</li>`,
      )}</ul>`
}
</section>
${
  online
    ? html`${view.signedIn ? '' : html`<p>${t(lang, portal.signInNote)}</p>`}
<p class="actions"><a class="button-link" href="${startHref}">${t(lang, startLabel)}</a></p>`
    : ''
}
<p><a href="/procedures${municipalityQuery(view.municipality)}">${t(lang, portal.backToCatalogue)}</a></p>`;
}

export function procedureNotFoundBody(lang: Lang): SafeHtml {
  return html`<p>${t(lang, portal.notFoundProcedure)}</p>
<p><a href="/procedures">${t(lang, portal.backToCatalogue)}</a></p>`;
}
