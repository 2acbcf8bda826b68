import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  type HttpApp,
  isMachiError,
  type Lang,
  type MachiError,
  page,
  pickLang,
  t,
  type ZoneContext,
} from '../../../core/index.ts';
import { currentStaff, requireRole, staffScope } from '../../identity/index.ts';
import { parseResidentCode } from '../../registry/index.ts';
import { issueFromCardRequest } from '../card-requests/counter-request.ts';
import type { IssuerContext } from '../issuance/issuer-context.ts';
import { cardsOfResident } from '../issuance/list-cards.ts';
import { revokeCard } from '../issuance/revoke-card.ts';
import { counterBody } from '../pages/counter-pages.ts';
import { counterZone } from '../pages/texts.ts';
import { pkiMissing } from '../runtime.ts';

const clerk = 'registry-clerk';
const title = { ja: 'マイナンバーカード窓口', en: 'My Number card counter' };

/** Why a counter action was refused, in the clerk's language (the API says it in English). */
function explain(lang: Lang, error: MachiError): string {
  const ja: Partial<Record<string, string>> = {
    'not-found': 'この市区町村に、該当する住民または有効な申請コードがありません。',
    conflict: '現在の状態では実行できません（転出・死亡した住民、または処理済みの申請です）。',
    'resident-code-invalid': '住民票コードが正しくありません（11桁、最後の1桁は検査数字）。',
    'validation-failed': '入力内容を確認してください。',
  };
  return lang === 'ja' ? (ja[error.code] ?? error.detail) : error.detail;
}

/** The counter's pages (mynumber zone, registry clerks): issue a browser card, list and revoke cards. */
export function registerCounterPages(
  app: HttpApp,
  context: ZoneContext,
  issuer: () => IssuerContext | undefined,
): void {
  const required = (): IssuerContext => {
    const ready = issuer();
    if (!ready) throw pkiMissing();
    return ready;
  };
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { residentCode?: string; notice?: string; error?: string },
    status = 200,
  ) => {
    const lang = pickLang(request);
    const staff = currentStaff(request);
    const municipality = context.served.require(staff.municipalityCode);
    // The resident's cards, when one is named and is this municipality's (an audited read).
    const cards =
      state.residentCode && !state.error
        ? await cardsOfResident(context, staffScope(request), state.residentCode, `staff:${staff.staffId}`)
        : undefined;
    const body = counterBody(lang, { csrfToken: staff.csrfToken, ...state, ...(cards ? { cards } : {}) });
    const markup = page({
      lang,
      title: t(lang, title),
      zoneLabel: t(lang, counterZone),
      body,
      nav: [
        { href: '/', label: lang === 'ja' ? 'ホーム' : 'Home' },
        { href: '/registry', label: lang === 'ja' ? '住民記録' : 'Registry' },
        { href: '/cards', label: lang === 'ja' ? 'マイナンバーカード' : 'My Number cards' },
      ],
      user: {
        displayName: staff.displayName,
        municipalityName: lang === 'en' ? (municipality.nameEn ?? municipality.name) : municipality.name,
        csrfToken: staff.csrfToken,
      },
      path: request.url,
    });
    return reply.status(status).type('text/html; charset=utf-8').send(markup.toString());
  };
  const refused = (request: FastifyRequest, reply: FastifyReply, error: unknown, residentCode?: string) => {
    if (!isMachiError(error) || error.status >= 500) throw error;
    return show(
      request,
      reply,
      { ...(residentCode ? { residentCode } : {}), error: explain(pickLang(request), error) },
      error.status,
    );
  };

  app.get(
    '/cards',
    {
      preValidation: requireRole(clerk),
      schema: {
        querystring: Type.Object({
          residentCode: Type.Optional(Type.String({ maxLength: 20 })),
          lang: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) => {
      const raw = request.query.residentCode?.trim();
      if (!raw) return show(request, reply, {});
      try {
        // Another municipality's resident is not found here (404), like an unknown one.
        return await show(request, reply, { residentCode: parseResidentCode(raw) });
      } catch (error) {
        return refused(request, reply, error);
      }
    },
  );

  app.post(
    '/cards/issue',
    {
      preValidation: requireRole(clerk),
      schema: {
        body: Type.Object({
          _csrf: Type.Optional(Type.String({ maxLength: 100 })),
          residentCode: Type.String({ maxLength: 20 }),
          code: Type.String({ maxLength: 20 }),
        }),
      },
    },
    async (request, reply) => {
      const lang = pickLang(request);
      try {
        const residentCode = parseResidentCode(request.body.residentCode.trim());
        await issueFromCardRequest(required(), staffScope(request), {
          residentCode,
          code: request.body.code,
          actor: `staff:${currentStaff(request).staffId}`,
        });
        const notice = lang === 'ja' ? 'カードを交付しました。' : 'The card has been issued.';
        return await show(request, reply, { residentCode, notice });
      } catch (error) {
        return refused(request, reply, error);
      }
    },
  );

  app.post(
    '/cards/:cardId/revoke',
    {
      preValidation: requireRole(clerk),
      schema: {
        params: Type.Object({ cardId: Type.String({ format: 'uuid', maxLength: 36 }) }),
        body: Type.Object({
          _csrf: Type.Optional(Type.String({ maxLength: 100 })),
          residentCode: Type.String({ maxLength: 20 }),
          reason: Type.Union(['lost', 'requested', 'reissued'].map((reason) => Type.Literal(reason))),
        }),
      },
    },
    async (request, reply) => {
      const lang = pickLang(request);
      const residentCode = request.body.residentCode.trim();
      try {
        const actor = `staff:${currentStaff(request).staffId}`;
        await revokeCard(
          required(),
          staffScope(request),
          request.params.cardId,
          request.body.reason as never,
          actor,
        );
        const notice = lang === 'ja' ? 'カードを失効させました。' : 'The card has been revoked.';
        return await show(request, reply, { residentCode: parseResidentCode(residentCode), notice });
      } catch (error) {
        return refused(request, reply, error);
      }
    },
  );
}
