import {
  addDays,
  fill,
  html,
  type Lang,
  type SafeHtml,
  type Text,
  t,
  tokyoDateTime,
} from '../../../core/index.ts';
import { barChart } from './chart.ts';
import type { StoredFigures } from './figures-store.ts';

export const dashboardWords = {
  title: { ja: '自治体ポイントの状況', en: 'Municipal points at a glance' },
  none: {
    ja: 'まだ集計が届いていません。インターネット接続系から数分ごとに送られます。',
    en: 'No figures have arrived yet. The internet zone sends them every few minutes.',
  },
  asOf: {
    ja: '{at} 時点の集計（インターネット接続系で集計）',
    en: 'Figures as of {at} (counted in the internet zone)',
  },
  outstanding: { ja: '未使用残高（住民が保有）', en: 'Outstanding (held by residents)' },
  holders: { ja: '保有者数', en: 'Residents holding points' },
  month: { ja: '過去30日間', en: 'Last 30 days' },
  issued: { ja: '発行', en: 'Issued' },
  spent: { ja: '利用', en: 'Spent' },
  refunded: { ja: '返金', en: 'Refunded' },
  expired: { ja: '失効', en: 'Expired' },
  donated: { ja: '寄附', en: 'Donated' },
  day: { ja: '日付', en: 'Day' },
  chartTitle: { ja: '日別の発行と利用（過去30日間）', en: 'Issued and spent per day (last 30 days)' },
  table: { ja: '日別の内訳', en: 'Day by day' },
  people: { ja: '{n} 人', en: '{n}' },
} satisfies Record<string, Text>;

const pt = (n: number) => `${n.toLocaleString('ja-JP')} pt`;

/** The last 30 days, each present (a day without transfers is a day of zeros). */
function lastThirtyDays(figures: StoredFigures, today: string) {
  const byDay = new Map(figures.days.map((day) => [day.day, day]));
  return Array.from({ length: 30 }, (_, i) => {
    const day = addDays(today, i - 29);
    return byDay.get(day) ?? { day, issued: 0, spent: 0, refunded: 0, expired: 0, donated: 0 };
  });
}

/** /points/dashboard (lgwan): what residents hold, and the last 30 days as a chart and a table. */
export function dashboardBody(lang: Lang, figures: StoredFigures | undefined, today: string): SafeHtml {
  const w = dashboardWords;
  if (!figures) return html`<p>${t(lang, w.none)}</p>`;
  const days = lastThirtyDays(figures, today);
  const sum = (key: 'issued' | 'spent' | 'refunded' | 'expired' | 'donated') =>
    days.reduce((total, day) => total + day[key], 0);
  const kinds = ['issued', 'spent', 'refunded', 'expired', 'donated'] as const;
  return html`<p class="hint">${fill(t(lang, w.asOf), { at: tokyoDateTime(figures.computedAt) })}</p>
<dl class="figures">
<dt>${t(lang, w.outstanding)}</dt><dd data-testid="outstanding"><strong>${pt(figures.outstanding)}</strong></dd>
<dt>${t(lang, w.holders)}</dt><dd>${fill(t(lang, w.people), { n: figures.holders.toLocaleString('ja-JP') })}</dd>
${kinds.map((kind) => html`<dt>${t(lang, w[kind])}（${t(lang, w.month)}）</dt><dd data-testid="total-${kind}">${pt(sum(kind))}</dd>`)}
</dl>
<figure class="chart-figure">
${barChart({
  id: 'issued-spent',
  title: t(lang, w.chartTitle),
  labels: days.map((day) => day.day.slice(5).replace('-', '/')),
  series: [
    { label: t(lang, w.issued), colour: '#0017c1', values: days.map((day) => day.issued) },
    { label: t(lang, w.spent), colour: '#c74700', values: days.map((day) => day.spent) },
  ],
})}
<figcaption>${t(lang, w.chartTitle)}</figcaption>
</figure>
<div class="table-wrap"><table class="data-table">
<caption>${t(lang, w.table)}</caption>
<thead><tr><th scope="col">${t(lang, w.day)}</th>${kinds.map((kind) => html`<th scope="col">${t(lang, w[kind])}</th>`)}</tr></thead>
<tbody>${[...days]
    .reverse()
    .map(
      (day) =>
        html`<tr><th scope="row"><time datetime="${day.day}">${day.day}</time></th>${kinds.map((kind) => html`<td class="numeric">${pt(day[kind])}</td>`)}</tr>`,
    )}</tbody>
</table></div>`;
}
