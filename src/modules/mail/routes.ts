import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  findMunicipality,
  type HttpApp,
  type LgCode,
  MachiError,
  type ZoneContext,
} from '../../core/index.ts';
import { confirmMailAddress, mailAddressOf, removeMailAddress, setMailAddress } from './addresses.ts';
import { enqueueMail } from './outbox.ts';

export interface MailRoutesOptions {
  /** The signed-in resident (the zone decides how: the card's session). */
  resident(request: FastifyRequest): Promise<{ id: string; municipalityCode: LgCode }>;
  /** The portal's public URL, for links in mails. */
  readonly portalUrl: string;
  /** A mail is waiting: send soon. */
  readonly onQueued: () => void;
}

/**
 * The resident's address for notices (internet zone): set it (a confirmation link is mailed),
 * read it, remove it; the link confirms it. Mails never carry the content of a notice, only
 * that one has arrived: the notice itself is read on the portal after signing in.
 */
export function registerMailRoutes(app: HttpApp, context: ZoneContext, options: MailRoutesOptions): void {
  app.get('/api/v1/me/mail-address', async (request) => {
    const found = await mailAddressOf(context.database.db, await options.resident(request));
    return found ?? { address: null, confirmed: false };
  });

  app.put(
    '/api/v1/me/mail-address',
    {
      schema: {
        body: Type.Object(
          { address: Type.String({ minLength: 3, maxLength: 254 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const resident = await options.resident(request);
      if (!context.config.mail.smtpUrl) throw new MachiError('mail-not-configured');
      const now = context.clock.now();
      const municipality = findMunicipality(resident.municipalityCode);
      const address = await context.database.db.transaction().execute(async (trx) => {
        const set = await setMailAddress(trx, resident, request.body.address, now);
        await enqueueMail(
          trx,
          {
            municipalityCode: resident.municipalityCode,
            recipient: set.address,
            subject: `【${municipality.name}】メールアドレスの確認`,
            body: [
              `${municipality.name}の電子申請のお知らせを受け取るメールアドレスとして登録されました。`,
              '次のリンクを開くと登録が完了します。心当たりがない場合は、このメールを破棄してください。',
              '',
              `${options.portalUrl}/mail/confirm?token=${set.token}`,
            ].join('\r\n'),
          },
          now,
        );
        await context.audit.append(trx, {
          municipalityCode: resident.municipalityCode,
          actor: resident.id,
          action: 'mail.address.set',
          outcome: 'success',
        });
        return set.address;
      });
      options.onQueued();
      return reply.status(202).send({ address, confirmed: false });
    },
  );

  app.delete('/api/v1/me/mail-address', async (request, reply) => {
    await removeMailAddress(context.database.db, await options.resident(request));
    return reply.status(204).send();
  });

  app.get(
    '/mail/confirm',
    { schema: { querystring: Type.Object({ token: Type.String({ pattern: '^[\\w-]{43}$' }) }) } },
    async (request, reply) => {
      const confirmed = await confirmMailAddress(
        context.database.db,
        request.query.token,
        context.clock.now(),
      );
      if (!confirmed)
        throw new MachiError('not-found', 'This link has been used or replaced by a newer one.');
      return reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="ja"><meta charset="utf-8"><title>登録完了</title><p>メールアドレスを登録しました。</p></html>',
        );
    },
  );
}
