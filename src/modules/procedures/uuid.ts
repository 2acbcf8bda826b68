/**
 * A UUID as PostgreSQL and randomUUID write it: lower-case hex with its four hyphens. An id
 * checked so reads back as the same text, and never makes PostgreSQL refuse a uuid cast.
 */
export const isCanonicalUuid = (text: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text);
