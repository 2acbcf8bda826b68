import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  type HttpApp,
  isMachiError,
  MachiError,
  pickLang,
  type Text,
  type ZoneContext,
} from '../../../core/index.ts';
import { type SignInError, type SignInField, signInPage } from '../pages/sign-in-page.ts';
import { csrfFrom, endStaffSession } from '../require-role.ts';
import { safeNext } from '../safe-next.ts';
import { loadSession, randomToken, SESSION_ABSOLUTE_MS, SESSION_COOKIE, sameToken } from '../sessions.ts';
import { signIn } from '../sign-in.ts';
import type { IdentityDb } from '../tables.ts';
import { staffPrincipalSchema } from './schemas.ts';

/** Double-submit cookie for the pre-session form (OWASP CSRF cheat sheet): login CSRF is refused too. */
export const SIGN_IN_CSRF_COOKIE = 'machi_signin_csrf';

const SignInBody = Type.Object({
  municipalityCode: Type.String({ maxLength: 20 }),
  userName: Type.String({ maxLength: 200 }),
  password: Type.String({ maxLength: 1024 }),
  code: Type.String({ maxLength: 20 }),
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
});

const LangQuery = Type.Object({
  lang: Type.Optional(Type.Union([Type.Literal('ja'), Type.Literal('en')])),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
});

const messages: Record<string, { field?: SignInField; message: Text }> = {
  'credentials-invalid': {
    message: {
      ja: '地方公共団体、ユーザー名、パスワードまたはワンタイムコードが正しくありません。',
      en: 'The municipality, user name, password or one-time code is wrong.',
    },
  },
  'account-locked': {
    message: {
      ja: 'サインインに続けて失敗したため、このアカウントは15分間ロックされています。',
      en: 'After repeated failed sign-ins this account is locked for 15 minutes.',
    },
  },
  'csrf-invalid': {
    message: {
      ja: 'フォームの有効期限が切れました。もう一度入力してください。',
      en: 'The form has expired. Please enter your details again.',
    },
  },
  municipality: {
    field: 'municipalityCode',
    message: { ja: '地方公共団体を選んでください。', en: 'Choose a municipality.' },
  },
};

const required: Record<SignInField, Text> = {
  municipalityCode: messages.municipality!.message,
  userName: { ja: 'ユーザー名を入力してください。', en: 'Enter your user name.' },
  password: { ja: 'パスワードを入力してください。', en: 'Enter your password.' },
  code: { ja: 'ワンタイムコードを入力してください。', en: 'Enter the one-time code.' },
};

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

export function registerSignInRoutes(app: HttpApp, context: ZoneContext, db: IdentityDb): void {
  const cookieBase = { httpOnly: true, sameSite: 'strict', secure: context.config.secureCookies } as const;

  /** The pre-session token: kept while the browser has one, so two open tabs both work. */
  function formToken(request: FastifyRequest, reply: FastifyReply): string {
    const existing = request.cookies?.[SIGN_IN_CSRF_COOKIE];
    if (existing && /^[\w-]{43}$/.test(existing)) return existing;
    const token = randomToken();
    reply.setCookie(SIGN_IN_CSRF_COOKIE, token, { ...cookieBase, path: '/staff/sign-in' });
    return token;
  }

  function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    options: { next?: string | undefined; errors?: SignInError[]; values?: Record<string, string> },
  ) {
    const markup = signInPage({
      lang: pickLang(request),
      zone: context.zone,
      municipalities: context.served.list(),
      csrfToken: formToken(request, reply),
      next: options.next,
      errors: options.errors ?? [],
      values: options.values ?? {},
    });
    return reply.status(status).type('text/html; charset=utf-8').send(markup.toString());
  }

  app.get('/staff/sign-in', { schema: { querystring: LangQuery } }, async (request, reply) =>
    renderForm(request, reply, 200, { next: safeNext(request.query.next) }),
  );

  app.post(
    '/staff/sign-in',
    { schema: { body: SignInBody, querystring: LangQuery, response: { 200: staffPrincipalSchema } } },
    async (request, reply) => {
      const body = request.body;
      const form = isForm(request);
      // Forms need the double-submit token: another site can post a form here. A JSON
      // body cannot come from a cross-site form (HTML forms send only urlencoded,
      // multipart or text/plain, which is refused by the schema), and fetch() with
      // application/json needs a CORS preflight we never grant (Fetch standard §3.2.3).
      const next = safeNext(body.next);
      const values = { municipalityCode: body.municipalityCode, userName: body.userName };
      if (form && !sameToken(body._csrf, request.cookies?.[SIGN_IN_CSRF_COOKIE])) {
        // A fresh token replaces the one that did not match.
        delete request.cookies[SIGN_IN_CSRF_COOKIE];
        return renderForm(request, reply, 403, { next, values, errors: [messages['csrf-invalid']!] });
      }
      const missing = (['municipalityCode', 'userName', 'password', 'code'] as const).filter(
        (name) => body[name].trim() === '',
      );
      if (missing.length > 0) {
        if (form) {
          const errors = missing.map((name) => ({ field: name, message: required[name] }));
          return renderForm(request, reply, 400, { next, values, errors });
        }
        throw new MachiError('validation-failed', `Required: ${missing.join(', ')}.`, { fields: missing });
      }
      try {
        const municipality = context.served.require(body.municipalityCode.trim());
        // A new sign-in replaces whatever session this browser had (session fixation).
        await endStaffSession(request, request.cookies?.[SESSION_COOKIE]);
        const { principal, session } = await signIn(
          { db, audit: context.audit, now: context.clock.now() },
          {
            municipalityCode: municipality.code,
            userName: body.userName,
            password: body.password,
            code: body.code,
          },
        );
        reply.setCookie(SESSION_COOKIE, session.cookieValue, {
          ...cookieBase,
          path: '/',
          maxAge: SESSION_ABSOLUTE_MS / 1000,
        });
        if (form) {
          reply.clearCookie(SIGN_IN_CSRF_COOKIE, { path: '/staff/sign-in' });
          return reply.redirect(next ?? '/', 303);
        }
        return { staff: principal, csrfToken: principal.csrfToken };
      } catch (error) {
        if (!form || !isMachiError(error)) throw error;
        const known =
          messages[error.code] ??
          (error.status === 400 || error.status === 404 ? messages.municipality : undefined);
        if (!known) throw error;
        return renderForm(request, reply, error.status === 404 ? 400 : error.status, {
          next,
          values,
          errors: [known],
        });
      }
    },
  );

  /**
   * Works with or without a live session: an expired session just clears the
   * cookie. A live one must bring its CSRF token, so another site cannot sign
   * staff out.
   */
  // No body schema: a JSON client may send no body at all, only the x-csrf-token header.
  app.post('/staff/sign-out', async (request, reply) => {
    const cookieValue = request.cookies?.[SESSION_COOKIE];
    const staff = await loadSession(context.database, cookieValue, context.clock.now());
    if (staff) {
      if (!sameToken(csrfFrom(request), staff.csrfToken)) {
        throw new MachiError('csrf-invalid');
      }
      await endStaffSession(request, cookieValue);
      await context.audit.record({
        municipalityCode: staff.municipalityCode,
        actor: `staff:${staff.staffId}`,
        action: 'staff.sign-out',
        outcome: 'success',
        details: { sessionId: staff.sessionId },
      });
    }
    reply.clearCookie(SESSION_COOKIE, { ...cookieBase, path: '/' });
    if (isForm(request) || (request.headers.accept ?? '').includes('text/html')) {
      return reply.redirect('/staff/sign-in', 303);
    }
    return reply.status(204).send();
  });
}
