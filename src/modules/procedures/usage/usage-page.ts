import { formatFiscalYear, html, type Lang, type SafeHtml } from '../../../core/index.ts';
import type { UsageRow } from './online-usage.ts';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/**
 * A bar per procedure that had filings, its length the online usage rate: drawn on the server
 * as SVG (no script), with the same numbers in the table below for screen readers.
 */
function chart(lang: Lang, rows: readonly UsageRow[]): SafeHtml {
  const shown = rows.filter((row) => row.rate !== null);
  if (shown.length === 0) {
    return html`<p>${lang === 'ja' ? 'この年度の申請はまだありません。' : 'No filings in this fiscal year yet.'}</p>`;
  }
  const bar = 22;
  const label = 360;
  const width = 300;
  const height = shown.length * bar + 10;
  const bars = shown.map((row, index) => {
    const y = index * bar + 5;
    const name = lang === 'ja' ? row.name.ja : row.name.en;
    const short = name.length > 24 ? `${name.slice(0, 23)}…` : name;
    return html`<g>
      <text x="${label - 6}" y="${y + 15}" text-anchor="end" font-size="12">${short}</text>
      <rect x="${label}" y="${y + 3}" width="${Math.round((row.rate ?? 0) * width)}" height="${bar - 8}" fill="#0017c1"></rect>
      <text x="${label + Math.round((row.rate ?? 0) * width) + 4}" y="${y + 15}" font-size="12">${percent(row.rate)}</text>
    </g>`;
  });
  const title = lang === 'ja' ? '手続ごとのオンライン利用率' : 'Online usage rate by procedure';
  return html`<figure class="usage-chart">
    <svg role="img" aria-label="${title}" viewBox="0 0 ${label + width + 60} ${height}" width="100%">
      <title>${title}</title>${bars}
    </svg>
    <figcaption>${title}</figcaption>
  </figure>`;
}

export interface UsagePage {
  readonly fiscalYear: number;
  readonly rows: readonly UsageRow[];
  readonly csrfToken: string;
  readonly canEnter: boolean;
  readonly notice?: string | undefined;
  readonly error?: string | undefined;
  readonly lgCode: string;
}

/** オンライン利用率: the chart, the table (online, paper, rate) and paper counts to enter. */
export function usageBody(lang: Lang, view: UsagePage): SafeHtml {
  const ja = lang === 'ja';
  const year = formatFiscalYear(view.fiscalYear, { lang });
  const total = view.rows.reduce(
    (sum, row) => ({ online: sum.online + row.online, paper: sum.paper + row.paper }),
    {
      online: 0,
      paper: 0,
    },
  );
  const overall = total.online + total.paper === 0 ? null : total.online / (total.online + total.paper);
  return html`
    <h1>${ja ? `オンライン利用率（${year}）` : `Online usage rate (${year})`}</h1>
    ${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
    ${view.error ? html`<div class="error-summary" role="alert" tabindex="-1"><p>${view.error}</p></div>` : ''}
    <form method="get" action="/statistics/procedures">
      <label for="fiscal-year">${ja ? '年度' : 'Fiscal year'}</label>
      <input id="fiscal-year" name="fiscalYear" type="number" min="2000" max="2200" value="${view.fiscalYear}">
      <button type="submit">${ja ? '表示' : 'Show'}</button>
      <a href="/api/v1/municipalities/${view.lgCode}/statistics/procedures.csv?fiscalYear=${view.fiscalYear}">${ja ? 'CSVで保存' : 'Download CSV'}</a>
    </form>
    <p>${ja ? '全体' : 'Overall'}: <strong>${percent(overall)}</strong>
      （${ja ? 'オンライン' : 'online'} ${total.online} / ${ja ? '紙' : 'paper'} ${total.paper}）</p>
    ${chart(lang, view.rows)}
    <table>
      <caption>${ja ? '手続ごとの申請件数' : 'Filings by procedure'}</caption>
      <thead><tr>
        <th scope="col">${ja ? '手続' : 'Procedure'}</th>
        <th scope="col">${ja ? 'オンライン' : 'Online'}</th>
        <th scope="col">${ja ? '紙（窓口・郵送）' : 'Paper (counter, post)'}</th>
        <th scope="col">${ja ? '利用率' : 'Rate'}</th>
      </tr></thead>
      <tbody>${view.rows.map(
        (row) => html`<tr>
          <th scope="row">${ja ? row.name.ja : row.name.en}</th>
          <td>${row.online}</td>
          <td>${
            view.canEnter
              ? html`<form method="post" action="/statistics/procedures/paper">
                  <input type="hidden" name="_csrf" value="${view.csrfToken}">
                  <input type="hidden" name="fiscalYear" value="${view.fiscalYear}">
                  <input type="hidden" name="procedureId" value="${row.procedureId}">
                  <label class="visually-hidden" for="paper-${row.procedureId}">${ja ? `${row.name.ja}の紙の件数` : `Paper filings of ${row.name.en}`}</label>
                  <input id="paper-${row.procedureId}" name="filings" type="number" min="0" max="10000000" value="${row.paper}" inputmode="numeric">
                  <button type="submit">${ja ? '保存' : 'Save'}</button>
                </form>`
              : row.paper
          }</td>
          <td>${percent(row.rate)}</td>
        </tr>`,
      )}</tbody>
    </table>`;
}
