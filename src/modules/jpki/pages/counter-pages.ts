import { html, type Lang, type SafeHtml } from '../../../core/index.ts';

export interface CounterCard {
  readonly cardId: string;
  readonly status: string;
  readonly issuedAt: string;
  readonly revocationReason: string | null;
  readonly certificates: readonly { kind: string; serialNumber: string; notAfter: string }[];
}

const reasons = [
  ['lost', '紛失', 'Lost'],
  ['requested', '本人の申出', "Holder's request"],
  ['reissued', '再交付', 'Reissued'],
] as const;

const reasonLabels: Record<string, { ja: string; en: string }> = {
  lost: { ja: '紛失', en: 'lost' },
  requested: { ja: '本人の申出', en: "holder's request" },
  reissued: { ja: '再交付', en: 'reissued' },
  renewed: { ja: '更新', en: 'renewed' },
  'moved-out': { ja: '転出', en: 'moved out' },
  deceased: { ja: '死亡', en: 'deceased' },
};

const day = (iso: string) => iso.slice(0, 10);

/**
 * /cards: the counter. Issue a browser card from the code the resident shows (after
 * checking who they are), and find a resident's cards to revoke one.
 */
export function counterBody(
  lang: Lang,
  input: {
    csrfToken: string;
    residentCode?: string;
    cards?: readonly CounterCard[];
    notice?: string;
    error?: string;
  },
): SafeHtml {
  const ja = lang === 'ja';
  const action = (path: string) => `${path}${ja ? '' : '?lang=en'}`;
  return html`${input.error ? html`<div class="error-summary" role="alert" tabindex="-1"><p>${input.error}</p></div>` : ''}
${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
<section aria-labelledby="issue-heading">
<h2 id="issue-heading">${ja ? 'ブラウザカードの交付' : 'Issue a browser card'}</h2>
<p>${
    ja
      ? '本人確認書類で本人であることを確認してから、住民票コードと、住民の画面に表示された申請コードを入力してください。'
      : "Check the resident's proof of identity first, then enter their resident code and the request code their screen shows."
  }</p>
<form method="post" action="${action('/cards/issue')}" class="form" novalidate>
  <input type="hidden" name="_csrf" value="${input.csrfToken}">
  <div class="field">
    <label for="issue-resident">${ja ? '住民票コード（11桁）' : 'Resident code (11 digits)'}</label>
    <input type="text" id="issue-resident" name="residentCode" inputmode="numeric" maxlength="11" value="${input.residentCode ?? ''}" required>
  </div>
  <div class="field">
    <label for="issue-code">${ja ? '申請コード（8文字）' : 'Request code (8 characters)'}</label>
    <input type="text" id="issue-code" name="code" maxlength="9" autocapitalize="characters" autocomplete="off" required>
  </div>
  <button type="submit" class="button">${ja ? '交付する' : 'Issue'}</button>
</form>
</section>
<section aria-labelledby="find-heading">
<h2 id="find-heading">${ja ? '交付済みのカード' : 'Issued cards'}</h2>
<form method="get" action="/cards" class="form" novalidate>
  ${ja ? '' : html`<input type="hidden" name="lang" value="en">`}
  <div class="field">
    <label for="find-resident">${ja ? '住民票コード（11桁）' : 'Resident code (11 digits)'}</label>
    <input type="text" id="find-resident" name="residentCode" inputmode="numeric" maxlength="11" value="${input.residentCode ?? ''}" required>
  </div>
  <button type="submit" class="button button--secondary">${ja ? '表示する' : 'Show'}</button>
</form>
${input.cards ? cardTable(lang, input.cards, input.csrfToken, input.residentCode ?? '') : ''}
</section>`;
}

function cardTable(
  lang: Lang,
  cards: readonly CounterCard[],
  csrfToken: string,
  residentCode: string,
): SafeHtml {
  const ja = lang === 'ja';
  if (cards.length === 0)
    return html`<p>${ja ? 'カードは交付されていません。' : 'No card has been issued.'}</p>`;
  return html`<table class="table">
<caption>${ja ? 'カード一覧' : 'Cards'}</caption>
<thead><tr><th scope="col">${ja ? '交付日' : 'Issued'}</th><th scope="col">${ja ? '状態' : 'Status'}</th><th scope="col">${ja ? '有効期限' : 'Valid until'}</th><th scope="col">${ja ? '操作' : 'Action'}</th></tr></thead>
<tbody>${cards.map(
    (card) => html`<tr>
  <td>${day(card.issuedAt)}</td>
  <td>${
    card.status === 'active'
      ? ja
        ? '有効'
        : 'Active'
      : `${ja ? '失効' : 'Revoked'}（${reasonLabels[card.revocationReason ?? '']?.[lang] ?? card.revocationReason ?? ''}）`
  }</td>
  <td>${day(card.certificates[0]?.notAfter ?? '')}</td>
  <td>${
    card.status === 'active'
      ? html`<form method="post" action="/cards/${card.cardId}/revoke${ja ? '' : '?lang=en'}" class="inline-form">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <input type="hidden" name="residentCode" value="${residentCode}">
    <label for="reason-${card.cardId}">${ja ? '理由' : 'Reason'}</label>
    <select id="reason-${card.cardId}" name="reason">${reasons.map(([value, jaLabel, enLabel]) => html`<option value="${value}">${ja ? jaLabel : enLabel}</option>`)}</select>
    <button type="submit" class="button button--secondary">${ja ? '失効させる' : 'Revoke'}</button>
  </form>`
      : ''
  }</td>
</tr>`,
  )}</tbody>
</table>`;
}
