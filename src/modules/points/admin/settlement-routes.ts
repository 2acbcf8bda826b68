import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import {
  fill,
  type HttpApp,
  MachiError,
  pickLang,
  type TenantScope,
  t,
  toIsoDate,
} from '../../../core/index.ts';
import { currentStaff, requireRole, staffScope } from '../../identity/index.ts';
import type { SettlementAccount } from '../settlement/settle-merchants.ts';
import { type SettlementData, settlementFiles } from '../settlement/settlement-data.ts';
import type { PointsAdminContext } from './admin-routes.ts';
import { typedFields } from './form-fields.ts';
import { AccountForm, accountOfForm, RunForm, runOfForm, settlementRefusal } from './settlement-form.ts';
import { type SettlementView, settlementBody, settlementWords } from './settlement-pages.ts';
import {
  recordSettlementRequest,
  type SettlementAdminDb,
  saveSettlementAccount,
  settledRunData,
  settlementAccountOf,
  settlementRuns,
} from './settlement-store.ts';
import { sendStaffPointsPage } from './staff-page.ts';

/** How lgwan sends the account and run requests to the internet zone: into its outbox, in the caller's transaction. */
export interface PointsSettlementPublish {
  account(
    // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
    trx: Kysely<any>,
    scope: TenantScope,
    account: SettlementAccount & { revision: number },
  ): Promise<unknown>;
  run(
    // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
    trx: Kysely<any>,
    scope: TenantScope,
    run: { requestId: string; settlementId: string; transferDate: string; requestedBy: string },
  ): Promise<unknown>;
}

const AskedQuery = Type.Object({
  asked: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,40}$', maxLength: 40 })),
});

const RunParams = Type.Object({
  settlementId: Type.String({ pattern: '^[A-Za-z0-9-]{1,40}$', maxLength: 40 }),
});

/**
 * Merchant settlement for points staff in lgwan (role points-admin): the municipality's account
 * (the Zengin header) saved here and sent out; runs asked of the internet zone, which settles
 * (settleMerchants, the same id again paying nothing twice) and answers with the run as data.
 * The Zengin file and the CSV report are made here from that data — no file comes in from the
 * internet zone — and each download is audited (the file names bank accounts).
 */
export function registerPointsSettlementPages(
  app: HttpApp,
  context: PointsAdminContext,
  publish: PointsSettlementPublish,
) {
  const db = context.db as SettlementAdminDb;
  const admin = { preValidation: requireRole('points-admin') };

  async function settlementPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Pick<SettlementView, 'done' | 'error' | 'typed'> = {},
  ) {
    const lang = pickLang(request);
    const scope = staffScope(request);
    const body = settlementBody(lang, {
      csrfToken: currentStaff(request).csrfToken,
      account: await settlementAccountOf(db, scope),
      runs: await settlementRuns(db, scope),
      ...extra,
    });
    return sendStaffPointsPage(request, reply, {
      title: t(lang, settlementWords.title),
      body,
      ...(extra.error ? { status: 422, error: true } : {}),
    });
  }

  app.get('/points/admin/settlement', { ...admin, schema: { querystring: AskedQuery } }, (request, reply) => {
    // After a run was asked for (post, redirect, get: reloading this page asks nothing again).
    const asked = request.query.asked;
    if (!asked) return settlementPage(request, reply);
    return settlementPage(request, reply, {
      done: fill(t(pickLang(request), settlementWords.asked), { id: asked }),
    });
  });

  app.post(
    '/points/admin/settlement/account',
    { ...admin, schema: { body: AccountForm } },
    async (request, reply) => {
      const lang = pickLang(request);
      const scope = staffScope(request);
      const staff = currentStaff(request);
      try {
        const account = accountOfForm(request.body);
        await db.transaction().execute(async (trx) => {
          const saved = await saveSettlementAccount(trx, scope, account, staff.staffId, context.clock.now());
          await publish.account(trx, scope, saved);
          await context.audit.append(trx, {
            municipalityCode: scope.municipalityCode,
            actor: `staff:${staff.staffId}`,
            action: 'points.settlement-account.set',
            target: scope.municipalityCode,
            outcome: 'success',
            // Which account is in the row and the message; the audit keeps the revision.
            details: { revision: saved.revision, bankCode: saved.bankCode },
          });
        });
      } catch (error) {
        const refusal = settlementRefusal(error, 'requesterCode');
        return settlementPage(request, reply, {
          error: { form: 'account', field: refusal.field, message: t(lang, refusal.text) },
          typed: typedFields(request.body),
        });
      }
      return settlementPage(request, reply, { done: t(lang, settlementWords.accountSaved) });
    },
  );

  app.post(
    '/points/admin/settlement/runs',
    { ...admin, schema: { body: RunForm } },
    async (request, reply) => {
      const lang = pickLang(request);
      const scope = staffScope(request);
      const staff = currentStaff(request);
      const now = context.clock.now();
      let settlementId: string;
      try {
        const run = runOfForm(request.body, toIsoDate(now));
        settlementId = run.settlementId;
        const requestId = randomUUID();
        await db.transaction().execute(async (trx) => {
          await recordSettlementRequest(trx, scope, { requestId, ...run }, staff.staffId, now);
          await publish.run(trx, scope, { requestId, ...run, requestedBy: staff.staffId });
          await context.audit.append(trx, {
            municipalityCode: scope.municipalityCode,
            actor: `staff:${staff.staffId}`,
            action: 'points.settlement.request',
            target: run.settlementId,
            outcome: 'success',
            details: { requestId, transferDate: run.transferDate },
          });
        });
      } catch (error) {
        const refusal = settlementRefusal(error, 'settlementId');
        return settlementPage(request, reply, {
          error: { form: 'run', field: refusal.field, message: t(lang, refusal.text) },
          typed: typedFields(request.body),
        });
      }
      return reply.redirect(`/points/admin/settlement?asked=${encodeURIComponent(settlementId)}`, 303);
    },
  );

  /** A settled run's data, with the download audited; not-found while it is not all here. */
  async function downloaded(request: FastifyRequest, settlementId: string, file: string) {
    const scope = staffScope(request);
    const data: SettlementData | undefined = await settledRunData(db, scope, settlementId);
    if (!data) throw new MachiError('not-found', 'No settled run of that id has arrived here.');
    await context.audit.record({
      municipalityCode: scope.municipalityCode,
      actor: `staff:${currentStaff(request).staffId}`,
      action: 'points.settlement.download',
      target: data.settlementId,
      outcome: 'success',
      details: { file },
    });
    return { scope, data, files: settlementFiles(data) };
  }

  app.get(
    '/points/admin/settlement/:settlementId/zengin',
    { ...admin, schema: { params: RunParams } },
    async (request, reply) => {
      const { scope, data, files } = await downloaded(request, request.params.settlementId, 'zengin');
      // Bytes as the bank takes them: JIS X 0201 records of 120 bytes, CR LF (zenginFile).
      return reply
        .type('application/octet-stream')
        .header(
          'content-disposition',
          `attachment; filename="zengin-${scope.municipalityCode}-${data.settlementId}.txt"`,
        )
        .send(files.zengin);
    },
  );

  app.get(
    '/points/admin/settlement/:settlementId/report.csv',
    { ...admin, schema: { params: RunParams } },
    async (request, reply) => {
      const { scope, data, files } = await downloaded(request, request.params.settlementId, 'report');
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="settlement-${scope.municipalityCode}-${data.settlementId}.csv"`,
        )
        .send(files.report);
    },
  );
}
