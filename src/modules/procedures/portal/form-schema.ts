import type { Lang } from '../../../core/index.ts';

/** The parts of a catalogue form's JSON Schema the portal's pages read and write. */
export interface FormNode {
  readonly type?: string;
  readonly title?: string;
  readonly titleEn?: string;
  readonly description?: string;
  readonly descriptionEn?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly properties?: Readonly<Record<string, FormNode>>;
  readonly required?: readonly string[];
  readonly items?: FormNode;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly patternHint?: string;
  readonly patternHintEn?: string;
}

export type FormData = Record<string, unknown>;

/** Rows of an array shown at most (a form's own maxItems is usually lower). */
export const MAX_ROWS = 30;

export const isPlain = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An item's name in the page's language (the key when the schema gives none). */
export function titleOf(lang: Lang, node: FormNode | undefined, key: string): string {
  return (lang === 'en' ? (node?.titleEn ?? node?.title) : node?.title) ?? key;
}

/** The schema's hint for an item: its description, else how its value should look. */
export function hintOf(lang: Lang, node: FormNode): string | undefined {
  const description = lang === 'en' ? (node.descriptionEn ?? node.description) : node.description;
  if (description) return description;
  const pattern = lang === 'en' ? (node.patternHintEn ?? node.patternHint) : node.patternHint;
  if (pattern) return lang === 'en' ? `Enter ${pattern}.` : `${pattern}で入力してください。`;
  return undefined;
}

/** The kind of input an item is asked with. */
export type InputKind =
  | 'group'
  | 'rows'
  | 'checkboxes'
  | 'checkbox'
  | 'radios'
  | 'select'
  | 'date'
  | 'number'
  | 'textarea'
  | 'text';

export function inputKind(node: FormNode): InputKind {
  if (node.type === 'object') return 'group';
  if (node.type === 'array') return node.items?.enum ? 'checkboxes' : 'rows';
  if (node.type === 'boolean') return 'checkbox';
  if (node.enum) return node.enum.length <= 6 ? 'radios' : 'select';
  if (node.type === 'integer' || node.type === 'number') return 'number';
  if (node.format === 'date') return 'date';
  if ((node.maxLength ?? 0) > 200) return 'textarea';
  return 'text';
}

/** A JSON Pointer's next segment (RFC 6901): the catalogue's keys are letters and digits. */
export const child = (path: string, key: string | number) =>
  `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;

/** The top-level item a pointer falls in (`/claimant/name` → `claimant`). */
export const topKey = (path: string) => path.split('/')[1] ?? '';

/** An element id for a pointer: `/children/0/name` → `f-children-0-name`. */
export const fieldId = (path: string) => `f${path.replaceAll('/', '-')}`;

/** The value at a pointer, or undefined. */
export function valueAt(data: unknown, path: string): unknown {
  let node = data;
  for (const segment of path.split('/').slice(1)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isPlain(node)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** The schema node a data pointer points at (array indices step into `items`). */
export function nodeAt(root: FormNode, path: string): FormNode | undefined {
  let node: FormNode | undefined = root;
  for (const segment of path.split('/').slice(1)) {
    if (!node) return undefined;
    node = node.type === 'array' ? node.items : node.properties?.[segment];
  }
  return node;
}

/** How many rows an array item shows: what it holds, at least one (and its minItems), within maxItems. */
export function rowCount(node: FormNode, value: unknown, hint?: number): number {
  const held = Array.isArray(value) ? value.length : 0;
  const least = Math.max(1, node.minItems ?? 0);
  const most = Math.min(node.maxItems ?? MAX_ROWS, MAX_ROWS);
  return Math.min(Math.max(held, hint ?? 0, least), most);
}
