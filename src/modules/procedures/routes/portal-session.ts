import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  isMachiError,
  type Lang,
  type MachiError,
  pickLang,
  type SafeHtml,
  type ServedMunicipalities,
  t,
} from '../../../core/index.ts';
import type { ResidentPrincipal } from '../../jpki/index.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import type { FeeContext } from '../fees/fee-context.ts';
import { procedureNotFoundBody } from '../portal/catalogue-pages.ts';
import { residentPage } from '../portal/layout.ts';
import { portal } from '../portal/texts.ts';
import type { PrefillRoutesOptions } from '../prefill/prefill-routes.ts';
import type { SubmissionContext } from '../submissions/submission-context.ts';
import type { MyFilingHooks } from './my-filing-routes.ts';
import type { Filer } from './submission-routes.ts';

/** The resident behind a page: who files (the zone's filer) and the session's CSRF token for forms. */
export interface PortalResident {
  readonly id: string;
  readonly municipalityCode: ResidentPrincipal['municipalityCode'];
  readonly csrfToken: string;
}

/** What the sanitizer made of an uploaded file, as the portal reads it (sanitize's report, in part). */
export interface ReceivedAttachment {
  readonly uploadId: string;
  readonly report: {
    readonly outcome: string;
    readonly output?:
      | { readonly bytes: number; readonly sha256: string; readonly mediaType: string }
      | undefined;
    readonly removed: readonly { readonly kind: string; readonly count: number }[];
    readonly refusal?: { readonly reason: string; readonly message: string } | undefined;
  };
}

/**
 * Sanitizes (無害化) and keeps one uploaded file of the resident, as POST /api/v1/uploads does
 * (the zone composes it: sanitize's receiveUpload, then forwarding the rebuilt file inward).
 */
export type ReceiveAttachment = (
  who: { readonly id: string; readonly municipalityCode: PortalResident['municipalityCode'] },
  bytes: Uint8Array,
) => Promise<ReceivedAttachment>;

export interface PortalPageOptions {
  /** Fees: the payment provider (the built-in test provider until a gateway is configured). */
  readonly fees: FeeContext;
  readonly attachments: { readonly receive: ReceiveAttachment; readonly maxBytes: number };
  /** The municipalities served here: a visitor not signed in picks theirs on /procedures. */
  readonly served: ServedMunicipalities;
  /** Asks the registry for a resident's facts and household (the zone: through lgwan, of mynumber). */
  readonly prefill: Pick<PrefillRoutesOptions, 'send'>;
  readonly hooks: MyFilingHooks & {
    /** A new filing to send inward now. */
    readonly onSubmitted: () => void;
    /** A fee paid: its filing may go inward now. */
    readonly onPaid: () => void;
  };
}

export interface PortalContext extends PortalPageOptions {
  readonly submissions: SubmissionContext;
  readonly filer: Filer;
}

/**
 * The signed-in resident, or undefined. The filer (the zone's requireResident) checks the
 * session and, on a POST, the `_csrf` field; it leaves the session on the request.
 */
export async function residentOf(filer: Filer, request: FastifyRequest): Promise<PortalResident | undefined> {
  try {
    const who = await filer(request);
    const csrfToken = request.resident?.csrfToken;
    if (!csrfToken) return undefined;
    return { ...who, csrfToken };
  } catch (error) {
    if (isMachiError(error) && error.code === 'authentication-required') return undefined;
    throw error;
  }
}

/** A page of the portal; `error` starts its title with "エラー：" (GOV.UK's pattern), for screen readers and tabs. */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  view: { title: string; body: SafeHtml; status?: number; path?: string; error?: boolean },
): FastifyReply {
  const lang = pickLang(request);
  const title = view.error ? `${lang === 'ja' ? 'エラー：' : 'Error: '}${view.title}` : view.title;
  const markup = residentPage(lang, { title, body: view.body, path: view.path ?? request.url });
  return reply
    .status(view.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(markup.toString());
}

export function notFoundPage(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const lang: Lang = pickLang(request);
  return sendPage(request, reply, {
    title: t(lang, portal.notFound),
    body: procedureNotFoundBody(lang),
    status: 404,
  });
}

/**
 * To sign in with the card first, then back to `next` (this page, or for a form post the page
 * it came from). /sign-in takes only local paths, so `next` cannot lead off this site.
 */
export function signInRedirect(reply: FastifyReply, next: string): FastifyReply {
  return reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
}

/**
 * The signed-in resident of a page that needs one; without one the reply is sent (to sign in
 * first, then back to `next`) and undefined returned.
 */
export async function signedInResident(
  context: Pick<PortalContext, 'filer'>,
  request: FastifyRequest,
  reply: FastifyReply,
  next: string = request.url,
): Promise<PortalResident | undefined> {
  const resident = await residentOf(context.filer, request);
  if (!resident) await signInRedirect(reply, next);
  return resident;
}

/**
 * A refusal a page says to the resident (any MachiError but `internal`); anything else is
 * thrown on, to the app's one error handler.
 */
export function pageRefusal(error: unknown): MachiError {
  if (!isMachiError(error) || error.code === 'internal') throw error;
  return error;
}

/** The catalogue's procedure, or undefined (the page answers 404). */
export function procedureOf(context: PortalContext, id: string): Procedure | undefined {
  return context.submissions.catalogue.get(id);
}
