import type { FastifyRequest } from 'fastify';

/** Pages are Japanese first; English is one switch away (`?lang=en`, remembered in a cookie). */
export type Lang = 'ja' | 'en';

export interface Text {
  readonly ja: string;
  readonly en: string;
}

export function pickLang(request: FastifyRequest): Lang {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  if (query === 'en' || query === 'ja') return query;
  const cookie = request.cookies?.lang;
  return cookie === 'en' ? 'en' : 'ja';
}

export function t(lang: Lang, text: Text): string {
  return text[lang];
}

/** Fills a text's `{name}` placeholders; one without a value is left as it is. */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}
