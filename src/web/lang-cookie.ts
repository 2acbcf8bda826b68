import type { HttpApp } from '../core/index.ts';

const oneYear = 365 * 24 * 60 * 60;

/**
 * Remembers `?lang=ja|en` in a `lang` cookie, so the choice holds on the next
 * page without the query (pickLang in core reads the query first, then this cookie).
 * Added on the root instance before any module registers, so it covers every route.
 */
export function registerLangCookie(app: HttpApp, secure: boolean): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET') return;
    const lang = (request.query as Record<string, unknown> | undefined)?.lang;
    if (lang !== 'ja' && lang !== 'en') return;
    if (request.cookies.lang === lang) return;
    reply.setCookie('lang', lang, { path: '/', maxAge: oneYear, sameSite: 'lax', httpOnly: true, secure });
  });
}
