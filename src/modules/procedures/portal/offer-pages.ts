import { html, type Lang, type Municipality, type SafeHtml, type Text, t } from '../../../core/index.ts';
import type { ProcedureDefinition } from '../catalogue/definition.ts';
import type { ProcedureSetting } from '../settings/settings.ts';
import { fill, portal } from './texts.ts';

/**
 * The municipality the catalogue pages are shown for, and its settings (settings/settings.ts):
 * the signed-in resident's own, or for a visitor the one picked on /procedures (kept in the
 * links' query string).
 */
export interface MunicipalityView {
  readonly code: string;
  readonly name: string;
  /** From the session: no choice offered, nothing kept in links. */
  readonly signedIn: boolean;
  readonly settings: ReadonlyMap<string, ProcedureSetting>;
}

export const offerTexts = {
  yourMunicipality: { ja: 'お住まいの市区町村', en: 'Your municipality' },
  chooseHint: {
    ja: '選ぶと、その市区町村がオンラインで受け付けている手続を表示します。',
    en: 'Choose it to see the procedures it accepts online.',
  },
  choose: { ja: '表示する', en: 'Show' },
  notServed: {
    ja: 'その市区町村は選べません。一覧から選んでください。',
    en: 'That municipality cannot be chosen here. Choose one from the list.',
  },
  shownFor: { ja: '{name}の手続を表示しています。', en: 'Showing the procedures of {name}.' },
  shownForSignedIn: {
    ja: 'サインインしている方の市区町村（{name}）の手続を表示しています。',
    en: 'Showing the procedures of your municipality ({name}), as you are signed in.',
  },
  notOfferedHeading: {
    ja: 'この市区町村ではオンラインで受け付けていない手続',
    en: 'Procedures this municipality does not accept online',
  },
  notOfferedLead: {
    ja: '{name}では、次の手続をオンラインで受け付けていません。手続の方法は、市区町村のお知らせをご覧ください。',
    en: '{name} does not accept these procedures online. See its notes for how to apply.',
  },
  notOfferedBadge: { ja: 'オンライン受付なし', en: 'Not online here' },
  noteHeading: { ja: '{name}からのお知らせ', en: 'A note from {name}' },
  notOffered: {
    ja: '{name}では、この手続をオンラインで受け付けていません。',
    en: '{name} does not accept this procedure online.',
  },
  notOfferedTitle: { ja: 'オンラインでは受け付けていません', en: 'Not accepted online' },
  aboutProcedure: { ja: 'この手続の案内へ', en: 'About this procedure' },
} satisfies Record<string, Text>;

/** 東京都千代田区, 北海道札幌市 (a prefecture by its name alone). */
export function municipalityLabel(municipality: Municipality): string {
  return municipality.kind === 'prefecture'
    ? municipality.name
    : `${municipality.prefecture}${municipality.name}`;
}

/** `?municipality=…` for a visitor's links (nothing when the session decides). */
export function municipalityQuery(view: MunicipalityView | undefined): string {
  return view && !view.signedIn ? `?municipality=${view.code}` : '';
}

/** Whether the municipality accepts the procedure online (yes when none is known). */
export const offered = (view: MunicipalityView | undefined, procedureId: string) =>
  view?.settings.get(procedureId)?.enabled ?? true;

/** The municipality's note on a procedure, in the page's language, or undefined. */
export function noteOf(
  lang: Lang,
  view: MunicipalityView | undefined,
  procedureId: string,
): string | undefined {
  const note = view?.settings.get(procedureId)?.note;
  return note ? t(lang, note) : undefined;
}

export interface ChooserView {
  readonly choices: readonly Municipality[];
  readonly municipality: MunicipalityView | undefined;
  /** A code was given that is not served here (or not a code). */
  readonly invalid: boolean;
  /** The search, kept when the municipality is changed. */
  readonly query: string;
}

/**
 * Above the catalogue: for a visitor, a select of the municipalities served here (a GET form:
 * the choice stays in the URL, to bookmark and share); for a resident signed in, whose
 * municipality it is.
 */
export function municipalityChooser(lang: Lang, view: ChooserView): SafeHtml {
  const current = view.municipality;
  if (current?.signedIn)
    return html`<p>${fill(t(lang, offerTexts.shownForSignedIn), { name: current.name })}</p>`;
  const described = view.invalid ? 'municipality-hint municipality-error' : 'municipality-hint';
  return html`<form method="get" action="/procedures" class="form">
<div class="field">
<label for="municipality">${t(lang, offerTexts.yourMunicipality)}</label>
<p class="hint" id="municipality-hint">${t(lang, offerTexts.chooseHint)}</p>
${
  view.invalid
    ? html`<p class="field-error" id="municipality-error"><span class="visually-hidden">${lang === 'ja' ? 'エラー：' : 'Error: '}</span>${t(lang, offerTexts.notServed)}</p>`
    : ''
}<div class="search-form__row"><select id="municipality" name="municipality" aria-describedby="${described}"${view.invalid ? html` aria-invalid="true"` : ''}>
<option value="">${t(lang, portal.chooseOne)}</option>
${view.choices.map(
  (m) =>
    html`<option value="${m.code}"${m.code === current?.code ? html` selected` : ''}>${municipalityLabel(m)}</option>`,
)}
</select>
<button type="submit">${t(lang, offerTexts.choose)}</button></div>
</div>
${view.query.trim() ? html`<input type="hidden" name="q" value="${view.query}">` : ''}
</form>
${current ? html`<p>${fill(t(lang, offerTexts.shownFor), { name: current.name })}</p>` : ''}`;
}

/**
 * The procedures the municipality has turned off, under a heading of their own with its
 * notes — listed rather than hidden: a resident who looks for one (told of it elsewhere, or
 * moved from a town that offers it) learns it exists and is not online here, and how to apply.
 */
export function notOfferedSection(
  lang: Lang,
  view: MunicipalityView,
  procedures: readonly ProcedureDefinition[],
): SafeHtml {
  if (procedures.length === 0) return html``;
  const query = municipalityQuery(view);
  return html`<section aria-labelledby="not-offered-heading">
<h2 id="not-offered-heading">${t(lang, offerTexts.notOfferedHeading)}</h2>
<p>${fill(t(lang, offerTexts.notOfferedLead), { name: view.name })}</p>
<ul class="link-list">${procedures.map((p) => {
    const note = noteOf(lang, view, p.id);
    return html`<li><a href="/procedures/${p.id}${query}">${t(lang, p.name)}</a>${
      note ? html`<br><span class="hint">${note}</span>` : ''
    }</li>`;
  })}</ul>
</section>`;
}

/**
 * On a procedure's page: the municipality's note, prominently, and if it is turned off, that
 * instead of the start button (the caller leaves the button out).
 */
export function municipalityNotice(
  lang: Lang,
  view: MunicipalityView | undefined,
  procedureId: string,
): SafeHtml {
  if (!view) return html``;
  const note = noteOf(lang, view, procedureId);
  if (!offered(view, procedureId)) {
    return html`<div class="notice notice--warning" id="municipality-notice">
<p><strong>${fill(t(lang, offerTexts.notOffered), { name: view.name })}</strong></p>
${note ? html`<p>${note}</p>` : ''}
</div>`;
  }
  if (!note) return html``;
  return html`<section class="notice" id="municipality-notice" aria-labelledby="municipality-note-heading">
<h2 id="municipality-note-heading">${fill(t(lang, offerTexts.noteHeading), { name: view.name })}</h2>
<p>${note}</p>
</section>`;
}

/** /procedures/:id/apply… of a procedure the resident's municipality has turned off. */
export function notOfferedBody(
  lang: Lang,
  definition: ProcedureDefinition,
  view: MunicipalityView,
): SafeHtml {
  return html`${municipalityNotice(lang, view, definition.id)}
<p><a href="/procedures/${definition.id}">${t(lang, offerTexts.aboutProcedure)}</a></p>
<p><a href="/procedures">${t(lang, portal.backToCatalogue)}</a></p>`;
}
