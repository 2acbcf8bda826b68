import type { FastifyRequest } from 'fastify';
import { findMunicipality, type HttpApp, type LgCode, type ZoneContext } from '../../core/index.ts';
import { requireResident } from '../../modules/jpki/index.ts';
import {
  enqueueMail,
  mailAddressOf,
  registerMailRoutes,
  sendPendingMail,
  smtpTransport,
} from '../../modules/mail/index.ts';
import type { ZoneGateway } from '../gateway/index.ts';

const SEND_INTERVAL_MS = 10_000;

export interface MailNotifier {
  /**
   * Inside the transaction that put a notice in a resident's inbox: a mail saying so, if the
   * resident confirmed an address and this deployment sends mail. Never the notice itself.
   */
  noticeArrived(
    // biome-ignore lint/suspicious/noExplicitAny: the handler's transaction.
    trx: any,
    where: { municipalityCode: LgCode; resident: string; receiptNumber: string },
    afterCommit: (task: () => void) => void,
  ): Promise<void>;
}

/** The portal's mail: residents' addresses, and the outbox sent over SMTP every few seconds. */
export function wireMail(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): MailNotifier {
  const { smtpUrl, from } = context.config.mail;
  const portalUrl = context.config.zones.internet.url.replace(/\/$/, '');
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'machi.localhost';
  const transport = smtpUrl ? smtpTransport(smtpUrl) : undefined;
  const sendSoon = transport
    ? gateway.every('send mail', SEND_INTERVAL_MS, () =>
        sendPendingMail(context.database, transport, { from, domain, now: context.clock.now() }),
      )
    : () => {};
  registerMailRoutes(app, context, {
    resident: async (request: FastifyRequest) => {
      const resident = await requireResident(context, request);
      return { id: `resident:${resident.subjectId}`, municipalityCode: resident.municipalityCode };
    },
    portalUrl,
    onQueued: sendSoon,
  });
  return {
    async noticeArrived(trx, where, afterCommit) {
      if (!transport) return;
      const address = await mailAddressOf(trx, {
        id: where.resident,
        municipalityCode: where.municipalityCode,
      });
      if (!address?.confirmed) return;
      const municipality = findMunicipality(where.municipalityCode);
      await enqueueMail(
        trx,
        {
          municipalityCode: where.municipalityCode,
          recipient: address.address,
          subject: `【${municipality.name}】電子申請のお知らせ`,
          body: [
            `受付番号 ${where.receiptNumber} の申請について、お知らせが届きました。`,
            'マイナンバーカードでサインインして、お知らせをご確認ください。',
            '',
            `${portalUrl}/inbox`,
            '',
            'このメールは送信専用です。',
          ].join('\r\n'),
        },
        context.clock.now(),
      );
      // Woken after the commit: a sender started now would not see the mail yet.
      afterCommit(sendSoon);
    },
  };
}
