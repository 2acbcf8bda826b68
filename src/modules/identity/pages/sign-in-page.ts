import { html, type Lang, page, type SafeHtml, type Text, t, type ZoneName } from '../../../core/index.ts';

export type SignInField = 'municipalityCode' | 'userName' | 'password' | 'code';

export interface SignInError {
  readonly field?: SignInField;
  readonly message: Text;
}

export interface SignInPageInput {
  readonly lang: Lang;
  readonly zone: ZoneName;
  readonly municipalities: readonly { code: string; name: string; nameEn?: string | undefined }[];
  readonly csrfToken: string;
  readonly next: string | undefined;
  readonly values?: { municipalityCode?: string; userName?: string };
  readonly errors?: readonly SignInError[];
}

const zoneLabels: Record<ZoneName, Text> = {
  internet: { ja: 'インターネット接続系', en: 'Internet zone' },
  lgwan: { ja: 'LGWAN接続系', en: 'LGWAN zone' },
  mynumber: { ja: '個人番号利用事務系', en: 'My Number zone' },
};

const labels: Record<SignInField, Text> = {
  municipalityCode: { ja: '地方公共団体', en: 'Municipality' },
  userName: { ja: 'ユーザー名', en: 'User name' },
  password: { ja: 'パスワード', en: 'Password' },
  code: { ja: 'ワンタイムコード（6桁）', en: 'One-time code (6 digits)' },
};

const text = {
  title: { ja: '職員サインイン', en: 'Staff sign-in' },
  intro: {
    ja: 'パスワードと、認証アプリに表示される6桁のワンタイムコードを入力してください。',
    en: 'Enter your password and the 6-digit one-time code shown in your authenticator app.',
  },
  summary: { ja: '入力内容を確認してください', en: 'There is a problem' },
  codeHint: { ja: '半角数字6桁。30秒ごとに変わります。', en: '6 digits. It changes every 30 seconds.' },
  submit: { ja: 'サインイン', en: 'Sign in' },
} satisfies Record<string, Text>;

function field(
  lang: Lang,
  name: SignInField,
  errors: readonly SignInError[],
  control: (describedBy: string | undefined, invalid: boolean) => SafeHtml,
  hint?: Text,
): SafeHtml {
  const error = errors.find((e) => e.field === name);
  const ids = [hint ? `${name}-hint` : undefined, error ? `${name}-error` : undefined].filter(Boolean);
  return html`<div class="field">
  <label for="${name}">${t(lang, labels[name])}</label>
  ${hint ? html`<p class="hint" id="${name}-hint">${t(lang, hint)}</p>` : ''}
  ${error ? html`<p class="field-error" id="${name}-error">${t(lang, error.message)}</p>` : ''}
  ${control(ids.length > 0 ? ids.join(' ') : undefined, error !== undefined)}
</div>`;
}

/**
 * The staff sign-in form: works without JavaScript; error summary first with
 * links to the fields (WCAG 3.3.1, 3.3.3); autocomplete tokens so password
 * managers and OTP autofill work (WCAG 1.3.5).
 */
export function signInPage(input: SignInPageInput): SafeHtml {
  const { lang, errors = [], values = {}, next } = input;
  const query = new URLSearchParams();
  if (next) query.set('next', next);
  const path = `/staff/sign-in${query.size > 0 ? `?${query}` : ''}`;
  const action = `/staff/sign-in${lang === 'en' ? '?lang=en' : ''}`;
  const attrs = (describedBy: string | undefined, invalid: boolean) =>
    html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${invalid ? html` aria-invalid="true"` : ''}`;
  const summary =
    errors.length === 0
      ? ''
      : html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
  <h2 id="error-summary-title">${t(lang, text.summary)}</h2>
  <ul>${errors.map((e) => html`<li>${e.field ? html`<a href="#${e.field}">${t(lang, e.message)}</a>` : t(lang, e.message)}</li>`)}</ul>
</div>`;
  const body = html`${summary}
<p>${t(lang, text.intro)}</p>
<form method="post" action="${action}" class="form" novalidate>
  <input type="hidden" name="_csrf" value="${input.csrfToken}">
  ${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
  ${field(
    lang,
    'municipalityCode',
    errors,
    (d, i) => html`<select id="municipalityCode" name="municipalityCode" required${attrs(d, i)}>
    ${input.municipalities.map(
      (m) =>
        html`<option value="${m.code}"${m.code === values.municipalityCode ? html` selected` : ''}>${
          lang === 'en' && m.nameEn ? m.nameEn : m.name
        }（${m.code}）</option>`,
    )}
  </select>`,
  )}
  ${field(
    lang,
    'userName',
    errors,
    (d, i) =>
      html`<input type="text" id="userName" name="userName" value="${values.userName ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required${attrs(d, i)}>`,
  )}
  ${field(
    lang,
    'password',
    errors,
    (d, i) =>
      html`<input type="password" id="password" name="password" autocomplete="current-password" required${attrs(d, i)}>`,
  )}
  ${field(
    lang,
    'code',
    errors,
    (d, i) =>
      html`<input type="text" id="code" name="code" inputmode="numeric" pattern="[0-9]*" maxlength="6" autocomplete="one-time-code" required${attrs(d, i)}>`,
    text.codeHint,
  )}
  <button type="submit" class="button">${t(lang, text.submit)}</button>
</form>`;
  return page({ lang, title: t(lang, text.title), zoneLabel: t(lang, zoneLabels[input.zone]), body, path });
}
