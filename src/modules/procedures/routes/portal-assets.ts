import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HttpApp } from '../../../core/index.ts';

/**
 * The portal's scripts for the procedure pages, read once, each with a strong ETag (RFC 9110
 * §8.8.3) and `no-cache`, so a deployment is seen at once: prefill.js (the card's basic four
 * into empty items) and registry-wait.js (waits for the registry's answer, then shows the step
 * again). Pages run no inline script (CSP script-src 'self').
 */
const SCRIPTS = ['prefill.js', 'registry-wait.js'] as const;

export function registerPortalAssets(app: HttpApp): void {
  for (const file of SCRIPTS) {
    const text = readFileSync(new URL(`../portal/${file}`, import.meta.url), 'utf8');
    const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
    app.get(`/assets/procedures/${file}`, async (request, reply) => {
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply
        .type('text/javascript; charset=utf-8')
        .header('etag', etag)
        .header('cache-control', 'no-cache')
        .send(text);
    });
  }
}
