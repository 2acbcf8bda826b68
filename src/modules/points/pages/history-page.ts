import { html, type Lang, type SafeHtml, t, tokyoDateTime } from '../../../core/index.ts';
import type { HistoryEntry } from '../ledger/history.ts';
import { pt } from './layout.ts';
import { transferLabels, transferStates, words } from './texts.ts';

/**
 * /points/history: each transfer once with what it did to the balance. `names` says what a
 * transfer's detail ids are called (shops, programmes), in the page's language.
 */
export function historyBody(
  lang: Lang,
  entries: readonly HistoryEntry[],
  names: ReadonlyMap<string, string>,
): SafeHtml {
  if (entries.length === 0) return html`<p>${t(lang, words.noHistory)}</p>`;
  const rows = entries.map((entry) => {
    const label = transferLabels[entry.code] ? t(lang, transferLabels[entry.code]!) : entry.code;
    const about = entry.details.merchant ?? entry.details.programme;
    const name = typeof about === 'string' ? names.get(about) : undefined;
    const sign = entry.change > 0 ? '+' : entry.change < 0 ? '−' : '';
    return html`<tr>
<td><time datetime="${entry.createdAt.toISOString()}">${tokyoDateTime(entry.createdAt)}</time></td>
<td>${label}${name ? html`（${name}）` : ''}</td>
<td class="numeric">${sign}${pt(lang, Math.abs(entry.change))}</td>
<td>${transferStates[entry.state] ? t(lang, transferStates[entry.state]!) : entry.state}</td>
</tr>`;
  });
  return html`<div class="table-wrap"><table class="data-table">
<caption class="visually-hidden">${t(lang, words.historyTitle)}</caption>
<thead><tr><th scope="col">${t(lang, words.when)}</th><th scope="col">${t(lang, words.what)}</th><th scope="col">${t(lang, words.change)}</th><th scope="col">${t(lang, words.orderState)}</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
<p><a href="/points">${t(lang, words.backToPoints)}</a></p>`;
}
