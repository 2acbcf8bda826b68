const BASE = 'https://machi.invalid';

/**
 * Where to go after signing in: only a path on this site. Refuses absolute
 * URLs, scheme-relative `//host`, backslashes (browsers read `/\host` as
 * `//host`) and control characters, so the sign-in page is no open redirect
 * (OWASP Unvalidated Redirects and Forwards).
 */
export function safeNext(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length === 0 || input.length > 2000) return undefined;
  if (!input.startsWith('/') || input.startsWith('//') || input.includes('\\')) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
  if (/[\u0000-\u001f\u007f]/.test(input)) return undefined;
  const url = new URL(input, BASE);
  if (url.origin !== BASE) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
