import type { FastifyReply } from 'fastify';
import type { SafeHtml } from '../core/index.ts';

/** Sends a rendered page; `no-store` comes from the security headers (pages may carry personal data). */
export function sendPage(reply: FastifyReply, markup: SafeHtml, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(markup.toString());
}
