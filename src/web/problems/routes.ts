import { Type } from 'typebox';
import {
  type ErrorCode,
  errorCodes,
  type HttpApp,
  html,
  MachiError,
  page,
  pickLang,
  problemType,
  type ZoneContext,
} from '../../core/index.ts';
import { prefersJson } from '../negotiate.ts';
import { sendPage } from '../send-page.ts';
import { homeNav, zoneLabel } from '../zones.ts';
import { problemDescriptions } from './descriptions.ts';

const ProblemTypeDoc = Type.Object({
  type: Type.String(),
  code: Type.String(),
  status: Type.Integer(),
  title: Type.String(),
  titleJa: Type.String(),
  action: Type.Object({ ja: Type.String(), en: Type.String() }),
});

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCodes, code);
}

function describe(code: ErrorCode) {
  const { status, title } = errorCodes[code];
  const described = problemDescriptions[code];
  const titleJa = described?.titleJa ?? title;
  const action = described?.action ?? { ja: title, en: title };
  return { type: problemType(code), code, status, title, titleJa, action };
}

/**
 * GET /problems and /problems/:code: every problem+json `type` ('/problems/<code>',
 * RFC 9457 §3.1.1) resolves to a page people can read, or JSON for clients.
 */
export function registerProblemPages(app: HttpApp, context: ZoneContext): void {
  const codes = Object.keys(errorCodes) as ErrorCode[];

  app.get(
    '/problems',
    { schema: { response: { 200: Type.Object({ problems: Type.Array(ProblemTypeDoc) }) } } },
    async (request, reply) => {
      if (prefersJson(request.headers.accept)) return { problems: codes.map(describe) };
      const lang = pickLang(request);
      const ja = lang === 'ja';
      const body = html`<p class="lead">${
        ja
          ? 'Machi の API はエラーを RFC 9457 の problem+json で返します。type の値ごとの意味と対処方法です。'
          : 'Machi APIs report errors as RFC 9457 problem+json. What each type means and what to do.'
      }</p>
<div class="table-wrap"><table>
<caption class="visually-hidden">${ja ? 'エラーの種類' : 'Problem types'}</caption>
<thead><tr><th scope="col">type</th><th scope="col" class="number">HTTP</th><th scope="col">${ja ? '意味' : 'Meaning'}</th></tr></thead>
<tbody>${codes.map((code) => {
        const doc = describe(code);
        return html`<tr><td><a href="${doc.type}"><code>${code}</code></a></td><td class="number">${doc.status}</td><td>${ja ? doc.titleJa : doc.title}</td></tr>`;
      })}</tbody>
</table></div>`;
      return sendPage(
        reply,
        page({
          lang,
          title: ja ? 'エラーの種類' : 'Problem types',
          zoneLabel: zoneLabel(context.zone, lang),
          nav: [homeNav(lang), { href: '/problems', label: ja ? 'エラーの種類' : 'Problem types' }],
          body,
          path: request.url,
        }),
      );
    },
  );

  app.get(
    '/problems/:code',
    {
      schema: {
        params: Type.Object({ code: Type.String() }),
        response: { 200: ProblemTypeDoc },
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      if (!isErrorCode(code)) throw new MachiError('not-found', 'There is no problem type with that code.');
      const doc = describe(code);
      if (prefersJson(request.headers.accept)) return doc;
      const lang = pickLang(request);
      const ja = lang === 'ja';
      const body = html`<dl>
<dt>type</dt><dd><code>${doc.type}</code></dd>
<dt>${ja ? 'HTTPステータス' : 'HTTP status'}</dt><dd>${doc.status}</dd>
<dt>title</dt><dd lang="en">${doc.title}</dd>
</dl>
<h2>${ja ? '対処方法' : 'What to do'}</h2>
<p>${doc.action[lang]}</p>
<p><a href="/problems">${ja ? 'エラーの種類の一覧' : 'All problem types'}</a></p>`;
      return sendPage(
        reply,
        page({
          lang,
          title: ja ? doc.titleJa : doc.title,
          zoneLabel: zoneLabel(context.zone, lang),
          nav: [homeNav(lang), { href: '/problems', label: ja ? 'エラーの種類' : 'Problem types' }],
          body,
          path: request.url,
        }),
      );
    },
  );
}
