import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import {
  type AuditLog,
  type Clock,
  fill,
  type HttpApp,
  isMachiError,
  MachiError,
  pickLang,
  type TenantScope,
  t,
} from '../../../core/index.ts';
import { currentStaff, requireRole, staffScope } from '../../identity/index.ts';
import { grantCodeDigest, grantCodesValidUntil, newGrantCodes } from '../earning/grant-codes.ts';
import { capPeriods, type Programme } from '../earning/programmes.ts';
import { adminWords, codeSheetBody, type ProgrammesView, programmesBody } from './admin-pages.ts';
import {
  adminProgrammes,
  codeBatches,
  type PointsAdminDb,
  recordCodeBatch,
  saveProgramme,
} from './admin-store.ts';
import { typedFields } from './form-fields.ts';
import { programmeRefusal } from './programme-refusals.ts';
import { sendStaffPointsPage } from './staff-page.ts';

/** How lgwan sends what staff made to the internet zone: into its outbox, in the caller's transaction. */
export interface PointsAdminPublish {
  // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
  programme(trx: Kysely<any>, scope: TenantScope, programme: Programme): Promise<unknown>;
  codes(
    // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
    trx: Kysely<any>,
    scope: TenantScope,
    batch: { programmeId: string; batchId: string; validUntil: string; digests: string[] },
  ): Promise<unknown>;
}

export interface PointsAdminContext {
  // biome-ignore lint/suspicious/noExplicitAny: the zone's database, of any tables.
  readonly db: Kysely<any>;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

const text = Type.Optional(Type.String({ maxLength: 200 }));
const ProgrammeForm = Type.Object({
  _csrf: text,
  programmeId: text,
  nameJa: text,
  nameEn: text,
  points: text,
  capPoints: text,
  capPeriod: text,
  expiryMonths: text,
  minAge: text,
  active: text,
});
const CodesForm = Type.Object({
  _csrf: text,
  programmeId: text,
  count: text,
  validDays: text,
  batchId: text,
});

/** A whole number typed in a form, empty as null; anything else is NaN (refused by the checks). */
export function typedNumber(value: string | undefined): number | null {
  const trimmed = (value ?? '').trim();
  if (trimmed === '') return null;
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/**
 * Points administration for staff in lgwan (role points-admin): the earning programmes, and
 * batches of participation codes for their events. What staff save is kept here and sent to
 * the internet zone through the outbox in the same transaction, with an audit entry; codes are
 * shown once for printing and only their digests leave this page.
 */
export function registerPointsAdminPages(
  app: HttpApp,
  context: PointsAdminContext,
  publish: PointsAdminPublish,
) {
  const db = context.db as PointsAdminDb;
  const admin = { preValidation: requireRole('points-admin') };

  async function programmesPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Pick<ProgrammesView, 'done' | 'error' | 'typed'> = {},
  ) {
    const lang = pickLang(request);
    const scope = staffScope(request);
    const body = programmesBody(lang, {
      csrfToken: currentStaff(request).csrfToken,
      programmes: await adminProgrammes(db, scope),
      batches: await codeBatches(db, scope),
      ...extra,
    });
    return sendStaffPointsPage(request, reply, {
      title: t(lang, adminWords.title),
      body,
      ...(extra.error ? { status: 422, error: true } : {}),
    });
  }

  /** A refusal said on the page (any MachiError but `internal`); anything else goes on. */
  const refusal = (request: FastifyRequest, error: unknown) => {
    if (!isMachiError(error) || error.code === 'internal') throw error;
    return programmeRefusal(pickLang(request), error.detail);
  };

  app.get('/points/admin/programmes', admin, (request, reply) => programmesPage(request, reply));

  app.post(
    '/points/admin/programmes',
    { ...admin, schema: { body: ProgrammeForm } },
    async (request, reply) => {
      const form = request.body;
      const scope = staffScope(request);
      const staff = currentStaff(request);
      const period = form.capPeriod as Programme['capPeriod'];
      const programme: Programme = {
        programmeId: (form.programmeId ?? '').trim(),
        name: { ja: (form.nameJa ?? '').trim(), en: (form.nameEn ?? '').trim() },
        points: typedNumber(form.points) ?? Number.NaN,
        capPoints: typedNumber(form.capPoints) ?? Number.NaN,
        capPeriod: capPeriods.includes(period) ? period : ('' as Programme['capPeriod']),
        expiryMonths: typedNumber(form.expiryMonths),
        minAge: typedNumber(form.minAge),
        active: form.active === '1',
      };
      try {
        await db.transaction().execute(async (trx) => {
          const now = context.clock.now();
          await saveProgramme(trx, scope, programme, staff.staffId, now);
          await publish.programme(trx, scope, programme);
          await context.audit.append(trx, {
            municipalityCode: scope.municipalityCode,
            actor: `staff:${staff.staffId}`,
            action: 'points.programme.define',
            target: programme.programmeId,
            outcome: 'success',
          });
        });
      } catch (error) {
        const typed = typedFields(form);
        return programmesPage(request, reply, {
          error: { form: 'define', message: refusal(request, error) },
          typed,
        });
      }
      const done = fill(t(pickLang(request), adminWords.saved), {
        name: t(pickLang(request), programme.name),
      });
      return programmesPage(request, reply, { done });
    },
  );

  app.post('/points/admin/codes', { ...admin, schema: { body: CodesForm } }, async (request, reply) => {
    const lang = pickLang(request);
    const form = request.body;
    const scope = staffScope(request);
    const staff = currentStaff(request);
    const now = context.clock.now();
    try {
      const programme = (await adminProgrammes(db, scope)).find(
        (one) => one.programmeId === form.programmeId,
      );
      if (!programme) throw new MachiError('not-found', 'No such programme here.');
      const batchId = (form.batchId ?? '').trim();
      if (!/^[A-Za-z0-9-]{1,60}$/.test(batchId))
        throw new MachiError('validation-failed', 'The batch name is 1–60 letters, digits and -.');
      const validUntil = grantCodesValidUntil(now, typedNumber(form.validDays) ?? Number.NaN);
      const count = typedNumber(form.count) ?? Number.NaN;
      if (count > 1_000) throw new MachiError('validation-failed', 'At most 1,000 codes a batch.');
      const codes = newGrantCodes(count);
      await db.transaction().execute(async (trx) => {
        await recordCodeBatch(
          trx,
          scope,
          { programmeId: programme.programmeId, batchId, count, validUntil },
          staff.staffId,
          now,
        );
        await publish.codes(trx, scope, {
          programmeId: programme.programmeId,
          batchId,
          validUntil: validUntil.toISOString(),
          digests: codes.map(grantCodeDigest),
        });
        await context.audit.append(trx, {
          municipalityCode: scope.municipalityCode,
          actor: `staff:${staff.staffId}`,
          action: 'points.grant-codes.issue',
          target: `${programme.programmeId}/${batchId}`,
          outcome: 'success',
          details: { count },
        });
      });
      return sendStaffPointsPage(request, reply, {
        title: t(lang, adminWords.sheetTitle),
        body: codeSheetBody(lang, { programme, batchId, validUntil, codes }),
      });
    } catch (error) {
      const typed = typedFields(form);
      return programmesPage(request, reply, {
        error: { form: 'codes', message: refusal(request, error) },
        typed,
      });
    }
  });
}
