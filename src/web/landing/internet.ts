import { html, type Lang, type SafeHtml } from '../../core/index.ts';
import { type Feature, featureCards, type RouteProbe } from './features.ts';

const features: readonly Feature[] = [
  {
    title: { ja: 'マイナンバーカードでサインイン', en: 'Sign in with your My Number card' },
    description: {
      ja: '公的個人認証（JPKI）の利用者証明用電子証明書で本人確認します。パスワードは不要です。',
      en: "Prove who you are with the card's JPKI authentication certificate; no password needed.",
    },
    href: '/sign-in',
  },
  {
    title: { ja: 'オンライン手続（電子申請）', en: 'Online procedures' },
    description: {
      ja: '児童手当や保育施設等の利用申込など、窓口に行かずに申請できます。',
      en: 'Apply for child allowance, nursery places and more without visiting the office.',
    },
    href: '/procedures',
  },
  {
    title: { ja: 'マイキーIDと自治体ポイント', en: 'MyKey ID and municipal points' },
    description: {
      ja: 'マイキーIDを設定して、自治体ポイントをため、地域のお店で使えます（1ポイント＝1円）。',
      en: 'Set up your MyKey ID, earn municipal points and spend them at local shops (1 point = 1 yen).',
    },
    href: '/points',
  },
  {
    title: { ja: '災害情報', en: 'Disaster information' },
    description: {
      ja: '避難指示などの災害情報をお知らせします。',
      en: 'Evacuation orders and other disaster information.',
    },
    href: '/alerts',
  },
];

/** 住民向けポータル: what the internet zone offers residents. */
export function internetLanding(lang: Lang, mounted: RouteProbe): SafeHtml {
  const ja = lang === 'ja';
  return html`<p class="lead">${
    ja
      ? 'Machi は、住民の皆さまがマイナンバーカードを使って行政手続をオンラインで行える、地方公共団体の共同クラウドです。'
      : 'Machi is a shared municipal cloud where residents handle procedures online with their My Number card.'
  }</p>
<section aria-labelledby="services-heading">
<h2 id="services-heading">${ja ? 'できること' : 'What you can do'}</h2>
${featureCards(lang, features, mounted)}
</section>`;
}
