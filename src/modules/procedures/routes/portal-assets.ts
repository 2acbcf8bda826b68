import { readFileSync } from 'node:fs';
import { type HttpApp, serveScript } from '../../../core/index.ts';

/**
 * The portal's scripts for the procedure pages, read once, each with a strong ETag (RFC 9110
 * §8.8.3) and `no-cache`, so a deployment is seen at once: prefill.js (the card's basic four
 * into empty items) and registry-wait.js (waits for the registry's answer, then shows the step
 * again). Pages run no inline script (CSP script-src 'self').
 */
const SCRIPTS = ['prefill.js', 'registry-wait.js'] as const;

export function registerPortalAssets(app: HttpApp): void {
  for (const file of SCRIPTS) {
    serveScript(
      app,
      `/assets/procedures/${file}`,
      readFileSync(new URL(`../portal/${file}`, import.meta.url), 'utf8'),
    );
  }
}
