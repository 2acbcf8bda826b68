import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type HttpApp, matchesEtag, strongEtag } from '../core/index.ts';

export interface Stylesheet {
  readonly css: string;
  /** Strong validator (RFC 9110 §8.8.3): the content's hash, so it changes exactly when the file does. */
  readonly etag: string;
}

let built: Stylesheet | undefined;

/**
 * The Digital Agency design tokens followed by our own rules, read and joined once
 * per process: the tokens define the custom properties machi.css uses.
 */
export function stylesheet(): Stylesheet {
  if (built) return built;
  const require = createRequire(import.meta.url);
  const tokens = readFileSync(require.resolve('@digital-go-jp/design-tokens/dist/tokens.css'), 'utf8');
  const ours = readFileSync(new URL('./styles/machi.css', import.meta.url), 'utf8');
  const css = `/* @digital-go-jp/design-tokens (MIT) */\n${tokens}\n${ours}`;
  const etag = strongEtag(css);
  built = { css, etag };
  return built;
}

/**
 * GET /assets/machi.css. The layout links the plain URL (core cannot know a hash),
 * so browsers keep a copy but revalidate it each time (`no-cache` + ETag): a
 * deployment with new styles is seen at once and an unchanged one costs a 304.
 */
export function registerAssets(app: HttpApp): void {
  app.get('/assets/machi.css', async (request, reply) => {
    const { css, etag } = stylesheet();
    reply.header('etag', etag).header('cache-control', 'public, no-cache');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.status(304).send();
    return reply.type('text/css; charset=utf-8').send(css);
  });
}
