import { MachiError } from '../../../core/index.ts';
import type { Page } from './types.ts';

export const MAX_PAGE_SIZE = 100;

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new MachiError('validation-failed', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`, {
      field: 'limit',
    });
  }
  return limit;
}

/** LIKE treats % and _ as wildcards and \ as escape; a typed prefix must match literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * Cuts a page from rows fetched with `limit + 1`: the extra row, when present,
 * only tells that a next page exists.
 */
export function toPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  offset: number,
  toItem: (row: Row) => Item,
): Page<Item> {
  return {
    items: rows.slice(0, limit).map(toItem),
    nextOffset: rows.length > limit ? offset + limit : null,
  };
}
