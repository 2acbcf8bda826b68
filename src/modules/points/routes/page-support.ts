import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type HttpApp,
  isMachiError,
  type Lang,
  type MachiError,
  pickLang,
  type SafeHtml,
  serveScript,
  type TenantScope,
  t,
  toHalfWidthAscii,
} from '../../../core/index.ts';
import { type MyKeyDb, myKeyIdOf } from '../../mykey/index.ts';
import { pointsPage } from '../pages/layout.ts';
import { words } from '../pages/texts.ts';
import type { PointsResident, PointsRoutesContext } from './resident-routes.ts';

/** The resident behind a points page, with the session's CSRF token and their MyKey ID if set up. */
export interface PageResident {
  readonly scope: TenantScope;
  readonly subjectId: string;
  readonly csrfToken: string;
  readonly myKeyId: string | undefined;
}

/**
 * The resident's birth date from the registry (the zone asks it, through lgwan): the date, null
 * when the registry has no record of them, or 'pending' when it has been asked and has not yet
 * answered (the resident tries again in a minute).
 */
export type RegistryBirthDate = (who: {
  readonly scope: TenantScope;
  readonly subjectId: string;
}) => Promise<string | null | 'pending'>;

/**
 * The signed-in resident of a page, or undefined with the reply sent: to sign in with the card
 * and come back to `next` (this page, or for a form the page it belongs to).
 */
export async function pageResident(
  context: PointsRoutesContext,
  resident: PointsResident,
  request: FastifyRequest,
  reply: FastifyReply,
  next: string,
): Promise<PageResident | undefined> {
  try {
    const who = await resident(request);
    return { ...who, myKeyId: await myKeyIdOf(context.db as MyKeyDb, who.scope, who.subjectId) };
  } catch (error) {
    if (!isMachiError(error) || error.code !== 'authentication-required') throw error;
    await reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
    return undefined;
  }
}

export function sendPointsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  view: { title: string; body: SafeHtml; path: string; status?: number; error?: boolean },
): FastifyReply {
  const markup = pointsPage(pickLang(request), view);
  return reply
    .status(view.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(markup.toString());
}

/**
 * A refusal the page says in the resident's words (any MachiError but `internal`); anything
 * else goes on to the app's one error handler.
 */
export function refusalText(lang: Lang, error: unknown): string {
  if (!isMachiError(error) || error.code === 'internal') throw error;
  const known: Partial<Record<MachiError['code'], keyof typeof words>> = {
    'points-insufficient': 'insufficient',
    'qr-invalid': 'qrInvalid',
    'merchant-unknown': 'merchantUnknown',
  };
  const word = known[error.code];
  // The ledger's own details are English; a Japanese page says them only when nothing better is known.
  return word ? t(lang, words[word]) : error.detail;
}

/** A whole number of points typed by a person: full-width digits and separators allowed; undefined if not one. */
export function typedPoints(text: string | undefined): number | undefined {
  const digits = toHalfWidthAscii(text ?? '').replace(/[,\s]/g, '');
  if (!/^\d{1,9}$/.test(digits)) return undefined;
  const value = Number(digits);
  return value > 0 ? value : undefined;
}

const require = createRequire(import.meta.url);

/**
 * The scripts of the points pages: jsQR (Apache-2.0, the QR decoder) from its package, and
 * scan.js beside the pages, read once and served with their ETags (core serveScript).
 */
export function registerPointsAssets(app: HttpApp): void {
  const scripts = [
    { name: 'jsqr.js', path: require.resolve('jsqr/dist/jsQR.js') },
    { name: 'scan.js', path: new URL('../pages/scan.js', import.meta.url) },
  ];
  for (const script of scripts)
    serveScript(app, `/assets/points/${script.name}`, readFileSync(script.path, 'utf8'));
}
