import { createHash } from 'node:crypto';
import type { HttpApp } from './create-http-app.ts';

/** A strong validator (RFC 9110 §8.8.3): the content's hash, so it changes exactly when the content does. */
export function strongEtag(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
}

/** True when an If-None-Match header (RFC 9110 §13.1.2) lists this ETag or is `*`. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/**
 * GET `url` answers a page script read once at start, with its ETag and `no-cache`: browsers
 * keep a copy but revalidate it each time, so a deployment is seen at once and an unchanged
 * script costs a 304. Pages run no inline script (CSP script-src 'self'); this is how they get one.
 */
export function serveScript(app: HttpApp, url: string, text: string): void {
  const etag = strongEtag(text);
  app.get(url, async (request, reply) => {
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.status(304).send();
    return reply.type('text/javascript; charset=utf-8').send(text);
  });
}
