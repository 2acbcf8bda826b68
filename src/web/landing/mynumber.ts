import { html, type Lang, type SafeHtml } from '../../core/index.ts';
import { type Feature, featureCards, type RouteProbe } from './features.ts';
import { staffSignIn } from './lgwan.ts';

const features: readonly Feature[] = [
  {
    title: { ja: '住民記録（住民基本台帳）', en: 'Resident registry' },
    description: {
      ja: '住民の検索、基本4情報と異動履歴の確認、転入・転出・転居の届出を扱います。',
      en: 'Find residents, see the basic four and their history, and record moves.',
    },
    href: '/registry',
  },
  {
    title: { ja: 'マイナンバーカード', en: 'My Number cards' },
    description: {
      ja: 'カードの交付と電子証明書の発行・失効を管理します。',
      en: 'Card issuance, and issuing and revoking its certificates.',
    },
    href: '/cards',
  },
  {
    title: { ja: '情報連携', en: 'Data linkage' },
    description: {
      ja: '符号を用いて他の機関と情報を照会・提供し、情報提供等記録を残します。',
      en: 'Exchange data with other agencies using agency tokens, keeping linkage records.',
    },
    href: '/linkage',
  },
];

/** 個人番号利用事務系: the innermost zone, for authorised staff only. */
export function mynumberLanding(lang: Lang, mounted: RouteProbe): SafeHtml {
  const ja = lang === 'ja';
  return html`<div class="notice notice--warning"><p>${
    ja
      ? 'この業務システムは個人番号利用事務系です。権限を与えられた職員だけが、多要素認証でサインインして利用できます。住民情報の閲覧はすべて監査ログに記録されます。'
      : 'This is the My Number zone. Only authorised staff may use it, signing in with multi-factor authentication. Every look at resident data is recorded in the audit log.'
  }</p></div>
${staffSignIn(lang, mounted)}
<section aria-labelledby="work-heading">
<h2 id="work-heading">${ja ? '業務' : 'Work'}</h2>
${featureCards(lang, features, mounted)}
</section>`;
}
