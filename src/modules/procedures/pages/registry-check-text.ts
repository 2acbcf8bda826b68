import { html, type Lang, type SafeHtml, type Text, t } from '../../../core/index.ts';
import type {
  RegistryCheckFields,
  RegistryCheckOutcome,
  RegistryCheckView,
} from '../cases/registry-checks.ts';
import { isoInstant, tokyoDateTime } from './format.ts';

export const registryCheckLabel: Text = {
  ja: '住民記録との照合',
  en: 'Checked against the resident registry',
};

const outcomeLabels: Record<RegistryCheckOutcome, Text> = {
  match: { ja: '一致', en: 'Matches' },
  mismatch: { ja: '不一致', en: 'Does not match' },
  'not-found': { ja: '該当する住民なし', en: 'No such resident' },
  'moved-out': { ja: '転出済み', en: 'Moved out' },
  deceased: { ja: '死亡', en: 'Deceased' },
};
const fieldLabels: Record<keyof RegistryCheckFields, Text> = {
  name: { ja: '氏名', en: 'name' },
  dateOfBirth: { ja: '生年月日', en: 'date of birth' },
  sex: { ja: '性別', en: 'sex' },
  address: { ja: '住所', en: 'address' },
};

/**
 * 住基照会 of a version's signer, in words: 一致, 不一致（氏名・住所）, 照合中…, with when the
 * registry was read. Anything but a match is marked strong, never by colour alone (WCAG 1.4.1).
 */
export function registryCheckText(lang: Lang, check: RegistryCheckView | null): SafeHtml {
  if (!check) return html`—`;
  if (check.status === 'pending' || !check.outcome) return html`${lang === 'ja' ? '照合中…' : 'Checking…'}`;
  const when = check.checkedAt
    ? html`<time datetime="${isoInstant(check.checkedAt)}">${tokyoDateTime(check.checkedAt)}</time>`
    : undefined;
  const at = when ? (lang === 'ja' ? html`（${when}）` : html` (${when})`) : '';
  const label = t(lang, outcomeLabels[check.outcome]);
  if (check.outcome === 'match') return html`<span class="badge badge--ok">OK</span> ${label}${at}`;
  const differing =
    check.outcome === 'mismatch' && check.fields
      ? (Object.keys(fieldLabels) as (keyof RegistryCheckFields)[])
          .filter((field) => !check.fields?.[field])
          .map((field) => t(lang, fieldLabels[field]))
      : [];
  const which =
    differing.length > 0
      ? lang === 'ja'
        ? `（${differing.join('・')}）`
        : ` (${differing.join(', ')})`
      : '';
  return html`<strong>${label}${which}</strong>${at}`;
}
