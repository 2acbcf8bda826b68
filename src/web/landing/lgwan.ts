import { html, type Lang, type SafeHtml } from '../../core/index.ts';
import { type Feature, featureCards, type RouteProbe } from './features.ts';

const features: readonly Feature[] = [
  {
    title: { ja: '電子申請の審査', en: 'Case processing' },
    description: {
      ja: '住民からの申請を受け付け、標準処理期間に沿って審査し、処分通知を出します。',
      en: 'Receive applications, process them against the standard period, and issue disposition notices.',
    },
    href: '/cases',
  },
  {
    title: { ja: '自治体ポイント管理', en: 'Municipal points administration' },
    description: {
      ja: '加盟店、ポイントの付与、精算（全銀フォーマット）を管理します。',
      en: 'Manage merchants, point grants and settlement (Zengin files).',
    },
    href: '/points/admin',
  },
  {
    title: { ja: '災害情報の作成', en: 'Alerts authoring' },
    description: {
      ja: '避難指示などを CAP 1.2 形式で作成し、Lアラートへ配信します。',
      en: 'Author evacuation orders and other alerts as CAP 1.2 for L-Alert.',
    },
    href: '/alerts/admin',
  },
  {
    title: { ja: '統計', en: 'Statistics' },
    description: {
      ja: '手続ごと・年度ごとのオンライン利用率などを確認します。',
      en: 'Online usage rate per procedure and fiscal year, and more.',
    },
    href: '/statistics/procedures',
  },
];

/** 職員向け業務システム: the staff back office in the LGWAN zone. */
export function lgwanLanding(lang: Lang, mounted: RouteProbe): SafeHtml {
  const ja = lang === 'ja';
  return html`<p class="lead">${
    ja
      ? '地方公共団体の職員向け業務システムです。LGWAN 接続系の端末から、パスワードとワンタイムコード（TOTP）でサインインしてください。'
      : 'The back office for municipal staff. Sign in from an LGWAN terminal with your password and one-time code (TOTP).'
  }</p>
${staffSignIn(lang, mounted)}
<section aria-labelledby="work-heading">
<h2 id="work-heading">${ja ? '業務' : 'Work'}</h2>
${featureCards(lang, features, mounted)}
</section>`;
}

/** The sign-in call to action, or a notice while the identity module is not mounted here. */
export function staffSignIn(lang: Lang, mounted: RouteProbe): SafeHtml {
  const ja = lang === 'ja';
  if (!mounted('/staff/sign-in')) {
    return html`<p class="notice">${ja ? '職員サインインは準備中です。' : 'Staff sign-in is coming soon.'}</p>`;
  }
  return html`<p class="actions"><a class="button-link" href="/staff/sign-in">${ja ? '職員サインイン' : 'Staff sign-in'}</a></p>`;
}
