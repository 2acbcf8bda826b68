import { type ErrorCode, errorCodes, MachiError } from '../core/index.ts';

/**
 * A JSON call to a Machi zone for the CLI. A problem+json answer becomes the same
 * MachiError the server raised (its type and detail), so the CLI prints what the API said.
 */
export async function callZone<T>(
  url: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ body: T; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new MachiError(
      'gateway-unreachable',
      `Nothing answers at ${new URL(url).origin}; is Machi running?`,
    );
  }
  const text = await response.text();
  if (response.status >= 400) {
    let problem: { type?: string; detail?: string } = {};
    try {
      problem = JSON.parse(text);
    } catch {}
    const code = (problem.type ?? '').replace('/problems/', '');
    const known = Object.hasOwn(errorCodes, code) ? (code as ErrorCode) : 'internal';
    throw new MachiError(known, problem.detail ?? `HTTP ${response.status}`);
  }
  return { body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}
