import { html, type Lang, type SafeHtml, type Text, t } from '../../../core/index.ts';

/** Where the registry's answer (ワンスオンリー) stands for the step page being shown. */
export type RegistryStatus =
  /** Asked; the answer is on its way (mynumber → lgwan → here, a few seconds). */
  | { readonly kind: 'pending' }
  /** Put into the draft's empty items just now. */
  | { readonly kind: 'filled'; readonly household: boolean }
  /** The registry found no current resident behind the card: nothing to fill. */
  | { readonly kind: 'not-found' }
  /** It could not be asked (lgwan unreachable): the form works without it. */
  | { readonly kind: 'unavailable' };

/** The step form's button that saves what is typed and shows the step again, filled. */
export const REGISTRY_ACTION = 'registry';

export const registryTexts = {
  pending: {
    ja: '住民記録から情報を取得しています…',
    en: 'Getting your details from the resident register…',
  },
  pendingNote: {
    ja: '数秒で、空欄に住民基本台帳の情報が入ります。待たずに入力を始めても構いません（入力した内容は上書きしません）。',
    en: 'In a few seconds the empty items will be filled from the resident register. You may start typing meanwhile: nothing you type is overwritten.',
  },
  ready: {
    ja: '住民記録の情報が届きました。「住民記録の情報を反映する」を押すと、入力した内容を保存して空欄に入力します。',
    en: 'Your details have arrived. Press “Fill in from the register” to save what you typed and fill the empty items.',
  },
  apply: { ja: '住民記録の情報を反映する', en: 'Fill in from the register' },
  filled: {
    ja: '住民基本台帳の情報を入力しました。内容を確認してください。',
    en: 'We filled in your details from the resident register. Please check them.',
  },
  filledHousehold: {
    ja: '住民基本台帳の情報を入力しました（世帯の情報を含む）。内容を確認してください。',
    en: 'We filled in your details from the resident register (including your household). Please check them.',
  },
  notFound: {
    ja: '住民基本台帳から情報を取得できませんでした。お手数ですが、入力してください。',
    en: 'Your details could not be found in the resident register. Please enter them.',
  },
  unavailable: {
    ja: '住民記録の情報を取得できませんでした。このまま入力するか、しばらくしてから「住民記録の情報を反映する」を押してください。',
    en: 'Your details could not be fetched just now. Enter them, or press “Fill in from the register” in a while.',
  },
} satisfies Record<string, Text>;

/**
 * A button of the step form (by its id, so it may stand outside it) that saves what was typed
 * and shows the step again — filled once the answer is here. A button, not a link: following
 * a link would drop what the resident typed since the page came.
 */
const applyButton = (lang: Lang) =>
  html`<button type="submit" form="step-form" name="action" value="${REGISTRY_ACTION}" class="button--secondary">${t(lang, registryTexts.apply)}</button>`;

/**
 * The notice above a step about the registry's answer. While it is pending the page carries
 * registry-wait.js, which waits for the answer and shows the step again (or, if anything on
 * the page was changed, says to press the button); without script the button does it.
 */
export function registryNotice(lang: Lang, status: RegistryStatus | undefined): SafeHtml {
  switch (status?.kind) {
    case undefined:
      return html``;
    case 'pending':
      return html`<div id="registry-wait" class="notice" role="status">
<p><strong>${t(lang, registryTexts.pending)}</strong></p>
<p>${t(lang, registryTexts.pendingNote)}</p>
<p id="registry-ready" hidden>${t(lang, registryTexts.ready)}</p>
<p>${applyButton(lang)}</p>
</div>`;
    case 'filled':
      return html`<div class="notice notice--success" role="status"><p>${t(
        lang,
        status.household ? registryTexts.filledHousehold : registryTexts.filled,
      )}</p></div>`;
    case 'not-found':
      return html`<div class="notice" role="status"><p>${t(lang, registryTexts.notFound)}</p></div>`;
    case 'unavailable':
      return html`<div class="notice notice--warning" role="status"><p>${t(lang, registryTexts.unavailable)}</p>
<p>${applyButton(lang)}</p></div>`;
  }
}
