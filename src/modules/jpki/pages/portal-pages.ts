import { html, type Lang, type SafeHtml, type Text, t } from '../../../core/index.ts';
import { cardMessages, signMessages } from './texts.ts';

/** data-* attributes carrying every message the card script may show, in the page's language. */
function messageAttributes(lang: Lang, messages: Record<string, Text> = cardMessages): SafeHtml {
  return html`${Object.entries(messages).map(
    ([key, text]) => html` data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${t(lang, text)}"`,
  )}`;
}

const script = html`<script type="module" src="/assets/jpki/browser-card.js"></script>`;

/**
 * For a procedure page's signing form: the hook and its messages in the page's language,
 * to put inside the <form> tag; the fields it needs are listed in browser-sign.js.
 */
export function cardSignFormAttributes(lang: Lang): SafeHtml {
  return html` data-card="sign"${messageAttributes(lang, signMessages)}`;
}
/** The script that signs on such a form (a module: it runs once the page is parsed). */
export const cardSignScript = html`<script type="module" src="/assets/jpki/browser-sign.js"></script>`;

const noScript = (lang: Lang) =>
  html`<noscript><p class="notice notice--warning">${
    lang === 'ja' ? 'ブラウザのカードには JavaScript が必要です。' : 'The browser card needs JavaScript.'
  }</p></noscript>`;

/**
 * /card: sets up the browser card. The keys are made in this browser; the request goes
 * to the municipality, and the code shown is what the resident gives at the counter,
 * where staff check who they are and issue the certificates.
 */
export function cardSetupBody(
  lang: Lang,
  municipalities: readonly { code: string; name: string; nameEn?: string }[],
): SafeHtml {
  const ja = lang === 'ja';
  return html`<p>${
    ja
      ? 'このブラウザを、マイナンバーカードとカードリーダーの代わりに使えるようにします。鍵はこのブラウザの中で作られ、外には出ません。'
      : 'Use this browser in place of a My Number card and card reader. The keys are made inside this browser and never leave it.'
  }</p>
${noScript(lang)}
<p id="card-status" class="hint" role="status" tabindex="-1" hidden></p>
<form data-card="setup" class="form" novalidate${messageAttributes(lang)}>
  <div class="field">
    <label for="municipalityCode">${ja ? 'お住まいの市区町村' : 'Your municipality'}</label>
    <select id="municipalityCode" name="municipalityCode" required>${municipalities.map(
      (m) => html`<option value="${m.code}">${ja || !m.nameEn ? m.name : m.nameEn}</option>`,
    )}</select>
  </div>
  <div class="field">
    <label for="pin">${ja ? '利用者証明用の暗証番号（数字4桁）' : 'PIN for signing in (4 digits)'}</label>
    <input type="password" id="pin" name="pin" inputmode="numeric" maxlength="4" autocomplete="off" required>
  </div>
  <div class="field">
    <label for="password">${ja ? '署名用パスワード（英大文字と数字6～16文字）' : 'Signing password (6–16 A–Z and digits)'}</label>
    <input type="password" id="password" name="password" maxlength="16" autocomplete="off" autocapitalize="characters" required>
  </div>
  <button type="submit" class="button">${ja ? 'カードを申請する' : 'Request the card'}</button>
</form>
<section id="card-waiting" aria-labelledby="waiting-heading" hidden>
  <h2 id="waiting-heading">${ja ? '窓口でこのコードをお伝えください' : 'Give this code at the counter'}</h2>
  <p class="lead" id="card-code"></p>
  <p>${
    ja
      ? '本人確認書類をお持ちになり、市区町村の窓口でこのコードをお伝えください。交付されると、この画面が自動で切り替わります。'
      : "Bring proof of identity to your municipality's counter and give this code. This page changes by itself once the card is issued."
  }</p>
</section>
<section id="card-ready" aria-labelledby="ready-heading" hidden>
  <h2 id="ready-heading">${ja ? 'カードの準備ができました' : 'Your card is ready'}</h2>
  <p><a href="/sign-in">${ja ? 'マイナンバーカードでサインインする' : 'Sign in with your My Number card'}</a></p>
</section>
${script}`;
}

/**
 * /sign-in: the resident signs in with the browser card and its PIN, then goes on to `next`
 * (a local path the caller checked, e.g. the form they started) or /me.
 */
export function signInBody(lang: Lang, next?: string): SafeHtml {
  const ja = lang === 'ja';
  return html`<p>${
    ja
      ? '利用者証明用電子証明書でサインインします。暗証番号（数字4桁）を入力してください。'
      : 'Sign in with the authentication certificate. Enter your 4-digit PIN.'
  }</p>
${noScript(lang)}
<p id="sign-in-status" class="hint" role="alert" tabindex="-1" hidden></p>
<form data-card="sign-in" class="form" novalidate${messageAttributes(lang)}${next ? html` data-next="${next}"` : ''}>
  <div class="field">
    <label for="pin">${ja ? '暗証番号（数字4桁）' : 'PIN (4 digits)'}</label>
    <p class="hint" id="pin-hint">${ja ? '3回続けて間違えるとロックされます。' : 'Three wrong tries in a row lock the card.'}</p>
    <input type="password" id="pin" name="pin" inputmode="numeric" maxlength="4" autocomplete="off" aria-describedby="pin-hint" required>
  </div>
  <button type="submit" class="button">${ja ? 'サインイン' : 'Sign in'}</button>
</form>
<p><a href="/card">${ja ? 'このブラウザでカードを準備する' : 'Set up a card in this browser'}</a></p>
${script}`;
}

export interface MyCardView {
  readonly municipalityName: string;
  readonly serialNumber: string;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly csrfToken: string;
}

/** /me: the signed-in resident's card status and sign-out. Names no one: the portal knows a pseudonym. */
export function myCardBody(lang: Lang, view: MyCardView): SafeHtml {
  const ja = lang === 'ja';
  const status = {
    good: { ja: '有効', en: 'Valid' },
    revoked: { ja: '失効', en: 'Revoked' },
    unknown: { ja: '確認できません', en: 'Unknown' },
  }[view.status];
  return html`<p role="status">${ja ? 'マイナンバーカードでサインインしています。' : 'You are signed in with your My Number card.'}</p>
<section aria-labelledby="card-heading">
<h2 id="card-heading">${ja ? 'カードの状態' : 'Card status'}</h2>
<dl class="record">
  <dt>${ja ? '市区町村' : 'Municipality'}</dt><dd>${view.municipalityName}</dd>
  <dt>${ja ? '利用者証明用電子証明書' : 'Authentication certificate'}</dt><dd>${t(lang, status)}</dd>
  <dt>${ja ? 'シリアル番号' : 'Serial number'}</dt><dd><code>${view.serialNumber}</code></dd>
</dl>
</section>
<nav aria-labelledby="procedures-heading">
<h2 id="procedures-heading">${ja ? 'オンライン手続' : 'Online procedures'}</h2>
<ul>
  <li><a href="/submissions">${ja ? '申請の一覧（状況の確認・補正・取下げ・手数料）' : 'My applications (status, corrections, withdrawal, fees)'}</a></li>
  <li><a href="/inbox">${ja ? 'お知らせ（通知書）' : 'Inbox (notices)'}</a></li>
  <li><a href="/procedures">${ja ? '手続を探して申請する' : 'Find a procedure and apply'}</a></li>
</ul>
</nav>
<form method="post" action="/sign-out" class="form">
  <input type="hidden" name="_csrf" value="${view.csrfToken}">
  <button type="submit" class="button button--secondary">${ja ? 'サインアウト' : 'Sign out'}</button>
</form>`;
}
