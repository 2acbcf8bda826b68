import type { FieldError } from '../catalogue/form-validator.ts';
import { child, type FormData, type FormNode, inputKind, isPlain, MAX_ROWS, titleOf } from './form-schema.ts';
import { fill, portal } from './texts.ts';

/** A posted form (application/x-www-form-urlencoded): repeated names come as arrays. */
export type FormBody = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The hidden field that says how many rows an array showed: `rows:/children`. */
export const rowsField = (path: string) => `rows:${path}`;

const first = (value: string | readonly string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const all = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** Full-width letters, digits and dashes to ASCII, for items whose pattern wants ASCII (電話番号, 郵便番号). */
function asciiWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u2010-\u2015\u2212\u30FC\uFF70]/g, '-');
}

/** 2026/4/1, ２０２６－０４－０１ → 2026-04-01; anything else as typed (the form's check says so). */
function isoDate(text: string): string {
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(asciiWidth(text));
  if (!match) return text;
  return `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
}

/** Whether a value says anything: empty strings, unticked boxes and empty groups do not. */
function meaningful(value: unknown): boolean {
  if (value === undefined || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlain(value)) return Object.values(value).some(meaningful);
  return true;
}

interface Collect {
  readonly body: FormBody;
  readonly problems: FieldError[];
}

function leaf(c: Collect, node: FormNode, path: string): unknown {
  const kind = inputKind(node);
  if (kind === 'checkbox') return c.body[path] !== undefined;
  const raw = first(c.body[path])?.trim() ?? '';
  if (raw === '') return undefined;
  if (kind === 'number') {
    const digits = asciiWidth(raw).replaceAll(',', '');
    const pattern = node.type === 'integer' ? /^-?\d{1,15}$/ : /^-?\d{1,15}(\.\d{1,6})?$/;
    if (pattern.test(digits)) return Number(digits);
    // Kept as typed, so the page shows it again with the message.
    const field = titleOf('ja', node, path);
    c.problems.push({
      path,
      field,
      message: {
        ja: fill(portal.notANumber.ja, { field }),
        en: fill(portal.notANumber.en, { field: titleOf('en', node, path) }),
      },
    });
    return raw;
  }
  if (kind === 'date') return isoDate(raw);
  if (node.pattern && /^[\x20-\x7e]*$/.test(node.pattern)) return asciiWidth(raw);
  return raw;
}

function collect(c: Collect, node: FormNode, path: string, required: boolean): unknown {
  const kind = inputKind(node);
  if (kind === 'group') {
    const out: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(node.properties ?? {})) {
      const value = collect(c, property, child(path, key), node.required?.includes(key) ?? false);
      if (value !== undefined) out[key] = value;
    }
    // A group left empty is left out, unless it must be there (then its own items say what is missing).
    return meaningful(out) || required ? out : undefined;
  }
  if (kind === 'checkboxes') {
    const allowed = (node.items?.enum ?? []).map(String);
    const chosen = new Set(all(c.body[path]));
    const values = allowed.filter((value) => chosen.has(value));
    return values.length > 0 || required ? values : undefined;
  }
  if (kind === 'rows') {
    const count = Math.min(Number(first(c.body[rowsField(path)]) ?? 0) || 0, MAX_ROWS);
    const rows: unknown[] = [];
    for (let index = 0; index < count; index++) {
      const row = collect(c, node.items ?? {}, child(path, index), false);
      if (meaningful(row)) rows.push(row);
    }
    return rows.length > 0 || required ? rows : undefined;
  }
  return leaf(c, node, path);
}

/**
 * A step's items as posted: typed as the schema says (numbers, booleans, ISO dates), empty
 * ones left out, empty rows dropped. Values that cannot be typed are kept as typed, with a
 * problem each, so the page shows them again.
 */
export function collectStep(
  schema: FormNode,
  fields: readonly string[],
  body: FormBody,
): { values: FormData; problems: FieldError[] } {
  const c: Collect = { body, problems: [] };
  const values: FormData = {};
  for (const key of fields) {
    const node = schema.properties?.[key];
    if (!node) continue;
    const value = collect(c, node, child('', key), schema.required?.includes(key) ?? false);
    if (value !== undefined) values[key] = value;
  }
  return { values, problems: c.problems };
}

/** The draft's data with a step's items replaced by what was posted (items left empty removed). */
export function withStep(data: FormData, fields: readonly string[], values: FormData): FormData {
  const out: FormData = { ...data };
  for (const key of fields) {
    if (key in values) out[key] = values[key];
    else delete out[key];
  }
  return out;
}

/**
 * The posted form with one row of an array taken out: later rows move up, so the next
 * collection reads them where they now are (`/children/2/name` becomes `/children/1/name`).
 */
export function withoutRow(body: FormBody, arrayPath: string, index: number): FormBody {
  const out: Record<string, string | readonly string[] | undefined> = {};
  const prefix = `${arrayPath}/`;
  for (const [name, value] of Object.entries(body)) {
    if (!name.startsWith(prefix)) {
      out[name] = value;
      continue;
    }
    const [at = '', ...rest] = name.slice(prefix.length).split('/');
    const row = Number(at);
    if (!/^\d+$/.test(at) || row === index) continue;
    const moved = row > index ? row - 1 : row;
    out[[`${prefix}${moved}`, ...rest].join('/')] = value;
  }
  const count = Number(first(body[rowsField(arrayPath)]) ?? 0) || 0;
  out[rowsField(arrayPath)] = String(Math.max(0, count - 1));
  return out;
}

/** The schema's order for a filing's data (jsonb keeps keys in its own order), recursively. */
export function inSchemaOrder(node: FormNode | undefined, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => inSchemaOrder(node?.items, item));
  if (!isPlain(value)) return value;
  const properties = node?.properties ?? {};
  const keys = [
    ...Object.keys(properties).filter((key) => key in value),
    ...Object.keys(value).filter((key) => !(key in properties)),
  ];
  return Object.fromEntries(keys.map((key) => [key, inSchemaOrder(properties[key], value[key])]));
}
