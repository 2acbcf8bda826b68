import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import {
  fill,
  type HttpApp,
  isMachiError,
  type Lang,
  pickLang,
  type TenantScope,
  t,
} from '../../../core/index.ts';
import { programmeOfGrantCode, redeemGrantCode } from '../earning/grant-codes.ts';
import type { EarningDb } from '../earning/programmes.ts';
import { accountId, balanceOf } from '../ledger/accounts.ts';
import { historyOf } from '../ledger/history.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import type { MerchantsDb } from '../merchants/merchants.ts';
import { historyBody } from '../pages/history-page.ts';
import { homeBody } from '../pages/home-page.ts';
import { words } from '../pages/texts.ts';
import {
  type PageResident,
  pageResident,
  type RegistryBirthDate,
  refusalText,
  sendPointsPage,
} from './page-support.ts';
import { setUpPointsAccount } from './points-account.ts';
import type { PointsResident, PointsRoutesContext } from './resident-routes.ts';

const CsrfBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 100 })) });
const CodeBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
  code: Type.Optional(Type.String({ maxLength: 100 })),
});

/** What the ids in transfers' details are called: shops and programmes, in the page's language. */
async function detailNames(
  db: Kysely<unknown>,
  scope: TenantScope,
  lang: Lang,
): Promise<Map<string, string>> {
  const merchants = await (db as unknown as MerchantsDb)
    .selectFrom('points_merchants')
    .select(['merchant_id', 'name', 'name_latin'])
    .where('municipality_code', '=', scope.municipalityCode)
    .execute();
  const programmes = await (db as unknown as EarningDb)
    .selectFrom('points_programmes')
    .select(['programme_id', 'name_ja', 'name_en'])
    .where('municipality_code', '=', scope.municipalityCode)
    .execute();
  return new Map([
    ...merchants.map((m) => [m.merchant_id, lang === 'ja' ? m.name : m.name_latin] as const),
    ...programmes.map((p) => [p.programme_id, lang === 'ja' ? p.name_ja : p.name_en] as const),
  ]);
}

/** Why a participation code was refused, in the resident's words. */
function codeRefusal(lang: Lang, error: unknown): string {
  const code = isMachiError(error) ? error.code : undefined;
  if (code === 'not-found') return t(lang, words.codeUnknown);
  if (code === 'conflict') return t(lang, words.codeSpent);
  if (code === 'earning-cap-reached') return t(lang, words.codeCapped);
  if (code === 'not-eligible') return t(lang, words.codeNotEligible);
  return refusalText(lang, error);
}

/**
 * The resident's points pages (internet zone): /points (set up the MyKey ID; the balance; a
 * participation code to redeem) and /points/history. Forms post back and answer with a page;
 * a refusal is said on the page beside the field it is about.
 */
export function registerPointsHomePages(
  app: HttpApp,
  context: PointsRoutesContext,
  resident: PointsResident,
  birthDateOf: RegistryBirthDate,
) {
  const ledger = context.db as Kysely<PointsLedgerTables>;

  async function home(
    request: FastifyRequest,
    reply: FastifyReply,
    who: PageResident,
    extra: { done?: string; notice?: string; codeError?: string; status?: number } = {},
  ) {
    const lang = pickLang(request);
    let account = null;
    if (who.myKeyId) {
      const balance = await balanceOf(ledger, who.scope, accountId('resident', who.myKeyId));
      account = {
        myKeyId: who.myKeyId,
        available: balance.available,
        held: balance.posted - balance.available,
      };
    }
    return sendPointsPage(request, reply, {
      title: t(lang, words.homeTitle),
      body: homeBody(lang, {
        csrfToken: who.csrfToken,
        account,
        done: extra.done,
        notice: extra.notice,
        codeError: extra.codeError,
      }),
      path: '/points',
      status: extra.status ?? 200,
      error: extra.codeError !== undefined,
    });
  }

  app.get('/points', async (request, reply) => {
    const who = await pageResident(context, resident, request, reply, '/points');
    return who && home(request, reply, who);
  });

  app.post('/points/mykey', { schema: { body: CsrfBody } }, async (request, reply) => {
    const who = await pageResident(context, resident, request, reply, '/points');
    if (!who) return reply;
    const { myKeyId } = await setUpPointsAccount(context, who.scope, who.subjectId);
    return home(request, reply, { ...who, myKeyId }, { done: t(pickLang(request), words.setUpDone) });
  });

  app.post('/points/codes', { schema: { body: CodeBody } }, async (request, reply) => {
    const who = await pageResident(context, resident, request, reply, '/points');
    if (!who) return reply;
    if (!who.myKeyId) return reply.redirect('/points', 303);
    const lang = pickLang(request);
    const code = request.body.code ?? '';
    try {
      // A programme with an age limit needs the registry's birth date, asked for through lgwan.
      let birthDate: string | null = null;
      if ((await programmeOfGrantCode(ledger, who.scope, code)).minAge) {
        const known = await birthDateOf({ scope: who.scope, subjectId: who.subjectId });
        if (known === 'pending') return home(request, reply, who, { notice: t(lang, words.codeChecking) });
        birthDate = known;
      }
      const { transfer, programme } = await redeemGrantCode(ledger, context, who.scope, {
        code,
        myKeyId: who.myKeyId,
        birthDate,
      });
      const done = fill(t(lang, words.codeDone), {
        programme: t(lang, programme.name),
        n: transfer.amount.toLocaleString('ja-JP'),
      });
      return home(request, reply, who, { done });
    } catch (error) {
      return home(request, reply, who, { codeError: codeRefusal(lang, error), status: 422 });
    }
  });

  app.get('/points/history', async (request, reply) => {
    const who = await pageResident(context, resident, request, reply, '/points/history');
    if (!who) return reply;
    if (!who.myKeyId) return reply.redirect('/points', 303);
    const lang = pickLang(request);
    const entries = await historyOf(ledger, who.scope, accountId('resident', who.myKeyId));
    return sendPointsPage(request, reply, {
      title: t(lang, words.historyTitle),
      body: historyBody(lang, entries, await detailNames(context.db, who.scope, lang)),
      path: '/points/history',
    });
  });
}
