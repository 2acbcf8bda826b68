import { html, type Lang, type SafeHtml, t } from '../../../core/index.ts';
import { enumLabel } from '../portal/enum-labels.ts';
import { dayText } from './format.ts';
import { labels } from './texts.ts';

/** The parts of a procedure's JSON Schema the pages read: titles (`title` ja, `titleEn` en) and shapes. */
interface SchemaNode {
  readonly title?: string;
  readonly titleEn?: string;
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An item's name in the clerk's language, or its key when the schema gives none. */
export function itemTitle(lang: Lang, node: SchemaNode | undefined, key: string): string {
  return (lang === 'en' ? (node?.titleEn ?? node?.title) : node?.title) ?? key;
}

/** The form's top-level items, in the schema's order: what a request for correction can name. */
export function topLevelItems(lang: Lang, schema: unknown): { key: string; title: string }[] {
  const properties = (schema as SchemaNode | undefined)?.properties ?? {};
  return Object.entries(properties).map(([key, node]) => ({ key, title: itemTitle(lang, node, key) }));
}

/**
 * JSON Pointers (RFC 6901) of the values that differ between two versions of a filing: leaves
 * that changed, and whole objects or array items that appeared or went away.
 */
export function changedPointers(before: unknown, after: unknown, path = '', out = new Set<string>()) {
  if (isPlain(before) && isPlain(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      changedPointers(before[key], after[key], `${path}/${escapePointer(key)}`, out);
    }
  } else if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      changedPointers(before[i], after[i], `${path}/${i}`, out);
    }
  } else if (JSON.stringify(before) !== JSON.stringify(after)) {
    out.add(path);
  }
  return out;
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The titles of the top-level items a set of changed pointers falls in. */
export function changedItemTitles(lang: Lang, schema: unknown, changed: ReadonlySet<string>): string[] {
  const keys = new Set([...changed].map((pointer) => pointer.split('/')[1] ?? ''));
  return topLevelItems(lang, schema)
    .filter((item) => keys.has(escapePointer(item.key)))
    .map((item) => item.title);
}

interface Render {
  readonly lang: Lang;
  readonly changed: ReadonlySet<string>;
}

const changedBadge = (lang: Lang) => html` <span class="badge badge--soon">${t(lang, labels.changed)}</span>`;

function leaf(r: Render, node: SchemaNode | undefined, value: unknown): SafeHtml | string {
  if (value === undefined || value === null) return t(r.lang, labels.absent);
  if (typeof value === 'boolean') return t(r.lang, value ? labels.yes : labels.no);
  if (typeof value === 'string' && node?.format === 'date') return dayText(r.lang, value);
  // A choice reads as the words the resident chose from, not its stored value.
  if (node?.enum) return enumLabel(r.lang, node.title, value);
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** One value: a nested list for an object, a numbered list for an array, else the value (marked if changed). */
function valueHtml(
  r: Render,
  node: SchemaNode | undefined,
  value: unknown,
  pointer: string,
  inherited: boolean,
): SafeHtml {
  const changed = inherited || r.changed.has(pointer);
  if (isPlain(value)) return entries(r, node, value, pointer, changed);
  if (Array.isArray(value)) {
    if (value.length === 0) return html`${t(r.lang, labels.absent)}`;
    return html`<ol class="form-data__list">${value.map((item, i) => {
      const at = `${pointer}/${i}`;
      const badge = r.changed.has(at) && !changed ? changedBadge(r.lang) : '';
      return html`<li>${badge}${valueHtml(r, node?.items, item, at, changed)}</li>`;
    })}</ol>`;
  }
  const text = leaf(r, node, value);
  return changed ? html`<mark>${text}</mark>` : html`${text}`;
}

function entries(
  r: Render,
  node: SchemaNode | undefined,
  value: Plain,
  pointer: string,
  inherited: boolean,
): SafeHtml {
  const properties = node?.properties ?? {};
  // The schema's order first (the official form's), then anything it does not name.
  const keys = [
    ...Object.keys(properties).filter(
      (key) => key in value || r.changed.has(`${pointer}/${escapePointer(key)}`),
    ),
    ...Object.keys(value).filter((key) => !(key in properties)),
  ];
  return html`<dl class="form-data">${keys.map((key) => {
    const at = `${pointer}/${escapePointer(key)}`;
    const child = properties[key];
    return html`<dt>${itemTitle(r.lang, child, key)}${r.changed.has(at) && !inherited ? changedBadge(r.lang) : ''}</dt>
<dd>${valueHtml(r, child, value[key], at, inherited)}</dd>`;
  })}</dl>`;
}

/**
 * A version's form data as a definition list titled by the procedure's schema, nested objects
 * as nested lists and arrays as numbered lists; values that differ from the previous version
 * are marked with <mark> and a 「変更あり」 badge (in words, not by colour alone).
 */
export function formDataList(
  lang: Lang,
  schema: unknown,
  data: Record<string, unknown>,
  changed: ReadonlySet<string> = new Set(),
): SafeHtml {
  return entries({ lang, changed }, schema as SchemaNode, data, '', false);
}
