import { html, type Lang, type Municipality, type SafeHtml } from '../../core/index.ts';

/** The municipalities this deployment serves (自治体クラウド: one cloud, many towns). */
export function servedMunicipalitiesSection(lang: Lang, served: readonly Municipality[]): SafeHtml {
  const ja = lang === 'ja';
  const heading = ja ? '対象の地方公共団体' : 'Municipalities served';
  if (served.length === 0) {
    return html`<section aria-labelledby="served-heading"><h2 id="served-heading">${heading}</h2>
<p>${ja ? 'この環境が対象とする地方公共団体は設定されていません。' : 'This deployment serves no municipality yet.'}</p></section>`;
  }
  return html`<section aria-labelledby="served-heading">
<h2 id="served-heading">${heading}</h2>
<div class="table-wrap"><table>
<caption class="visually-hidden">${heading}</caption>
<thead><tr><th scope="col">${ja ? '地方公共団体コード' : 'Code'}</th><th scope="col">${ja ? '名称' : 'Name'}</th><th scope="col">${ja ? '都道府県' : 'Prefecture'}</th></tr></thead>
<tbody>${served.map(
    (m) =>
      html`<tr><td><code>${m.code}</code></td><td>${ja || !m.nameEn ? m.name : m.nameEn}</td><td>${m.prefecture}</td></tr>`,
  )}</tbody>
</table></div>
</section>`;
}
