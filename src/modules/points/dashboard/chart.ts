import { html, type SafeHtml } from '../../../core/index.ts';

export interface BarSeries {
  readonly label: string;
  /** A colour from the design tokens, dark enough against white (WCAG 1.4.11: 3:1). */
  readonly colour: string;
  readonly values: readonly number[];
}

const WIDTH = 720;
const HEIGHT = 260;
const LEFT = 64;
const BOTTOM = 28;
const TOP = 12;

/** A round step for the value axis: 1, 2 or 5 × 10ⁿ, so about four gridlines fit. */
function stepFor(max: number): number {
  const rough = Math.max(max, 1) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? power * 10;
}

/**
 * Grouped bars, one group per label (a day), drawn as inline SVG on the server: no script, so
 * the page keeps its strict CSP, and it prints. The picture is named by `title`; the same
 * numbers are in a table beside it for screen readers and for anyone who wants them exact.
 */
export function barChart(view: {
  readonly id: string;
  readonly title: string;
  readonly labels: readonly string[];
  readonly series: readonly BarSeries[];
}): SafeHtml {
  const max = Math.max(0, ...view.series.flatMap((series) => series.values));
  const step = stepFor(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const group = plotWidth / Math.max(1, view.labels.length);
  const bar = (group * 0.8) / Math.max(1, view.series.length);
  const y = (value: number) => TOP + plotHeight - (Math.max(0, value) / top) * plotHeight;
  const gridlines = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  // Every label when they fit, else every seventh (a week) counted back from the last.
  const every = view.labels.length > 14 ? 7 : 1;
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${view.id}-title" preserveAspectRatio="xMinYMin meet">
<title id="${view.id}-title">${view.title}</title>
${gridlines.map(
  (
    value,
  ) => html`<line x1="${LEFT}" x2="${WIDTH - 8}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#d8d8db" stroke-width="1"/>
<text x="${LEFT - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#333">${value.toLocaleString('ja-JP')}</text>`,
)}
${view.labels.map((label, i) => {
  const x0 = LEFT + i * group + group * 0.1;
  const bars = view.series.map((series, s) => {
    const value = series.values[i] ?? 0;
    const height = Math.max(0, y(0) - y(value));
    return html`<rect x="${(x0 + s * bar).toFixed(1)}" y="${y(value).toFixed(1)}" width="${Math.max(1, bar - 1).toFixed(1)}" height="${height.toFixed(1)}" fill="${series.colour}"/>`;
  });
  const shown = (view.labels.length - 1 - i) % every === 0;
  return html`${bars}${shown ? html`<text x="${(LEFT + (i + 0.5) * group).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle" font-size="11" fill="#333">${label}</text>` : ''}`;
})}
<line x1="${LEFT}" x2="${WIDTH - 8}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#333" stroke-width="1"/>
</svg>
<ul class="chart-legend">${view.series.map(
    (series) =>
      html`<li><svg class="chart-legend__swatch" viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" fill="${series.colour}"/></svg>${series.label}</li>`,
  )}</ul>`;
}
