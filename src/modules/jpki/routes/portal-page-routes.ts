import { readFileSync } from 'node:fs';
import {
  type HttpApp,
  isMachiError,
  page,
  pickLang,
  type SafeHtml,
  serveScript,
  type Text,
  t,
  type ZoneContext,
} from '../../../core/index.ts';
import { cardSetupBody, myCardBody, signInBody } from '../pages/portal-pages.ts';
import { portalZone } from '../pages/texts.ts';
import { endResidentSession, RESIDENT_COOKIE } from '../sign-in/resident-sessions.ts';
import { findCertificate } from '../status/status-store.ts';
import { requireResident } from './relying-routes.ts';

/**
 * The browser card's scripts, ES modules served from /assets/jpki/ that import one another
 * by relative URL: the two page scripts and what they share. Read once, with a strong
 * ETag each (RFC 9110 §8.8.3); `no-cache` so a deployment is seen at once.
 */
const browserScripts = [
  'browser-card.js',
  'browser-sign.js',
  'card-core.js',
  'cms-signed-data.js',
  'der.js',
].map((name) => ({ name, text: readFileSync(new URL(`../pages/${name}`, import.meta.url), 'utf8') }));

/**
 * Where to go after signing in: a path on this site only (`/x`, not `//host` or `/\\host`,
 * which browsers read as another site), so the link cannot send the resident elsewhere.
 */
function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  return /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : undefined;
}

/** The resident portal's card pages (internet zone): set up a browser card, sign in, see the card, sign out. */
export function registerPortalPages(app: HttpApp, context: ZoneContext): void {
  const render = (lang: 'ja' | 'en', title: Text, body: SafeHtml, path: string) =>
    page({
      lang,
      title: t(lang, title),
      zoneLabel: t(lang, portalZone),
      body,
      nav: [{ href: '/', label: lang === 'ja' ? 'ホーム' : 'Home' }],
      path,
    }).toString();

  for (const script of browserScripts) serveScript(app, `/assets/jpki/${script.name}`, script.text);

  app.get('/card', async (request, reply) => {
    const lang = pickLang(request);
    const towns = context.served
      .list()
      .map((m) => ({ code: m.code, name: m.name, ...(m.nameEn ? { nameEn: m.nameEn } : {}) }));
    const title = { ja: 'ブラウザでマイナンバーカードを使う', en: 'Use your My Number card in this browser' };
    return reply
      .type('text/html; charset=utf-8')
      .send(render(lang, title, cardSetupBody(lang, towns), request.url));
  });

  app.get('/sign-in', async (request, reply) => {
    const lang = pickLang(request);
    const title = { ja: 'マイナンバーカードでサインイン', en: 'Sign in with your My Number card' };
    const next = localPath((request.query as { next?: unknown } | undefined)?.next);
    return reply
      .type('text/html; charset=utf-8')
      .send(render(lang, title, signInBody(lang, next), request.url));
  });

  app.get('/me', async (request, reply) => {
    const lang = pickLang(request);
    let resident: Awaited<ReturnType<typeof requireResident>>;
    try {
      resident = await requireResident(context, request);
    } catch (error) {
      if (isMachiError(error) && error.code === 'authentication-required')
        return reply.redirect('/sign-in', 303);
      throw error;
    }
    const known = await findCertificate(context.database, resident.authSerial);
    const municipality = context.served.require(resident.municipalityCode);
    const body = myCardBody(lang, {
      municipalityName: lang === 'en' ? (municipality.nameEn ?? municipality.name) : municipality.name,
      serialNumber: resident.authSerial,
      status: !known ? 'unknown' : known.revokedAt ? 'revoked' : 'good',
      csrfToken: resident.csrfToken,
    });
    const title = { ja: 'マイページ', en: 'My page' };
    return reply.type('text/html; charset=utf-8').send(render(lang, title, body, request.url));
  });

  app.post('/sign-out', async (request, reply) => {
    await requireResident(context, request);
    await endResidentSession(context.database, request.cookies[RESIDENT_COOKIE]);
    reply.clearCookie(RESIDENT_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });
}
