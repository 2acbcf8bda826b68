import { html, type Lang, type SafeHtml, t } from '../../../core/index.ts';
import { enumLabel } from './enum-labels.ts';
import {
  child,
  type FormData,
  type FormNode,
  fieldId,
  hintOf,
  inputKind,
  rowCount,
  titleOf,
  topKey,
  valueAt,
} from './form-schema.ts';
import { rowsField } from './form-values.ts';
import { fill, portal } from './texts.ts';

/** Registry facts the browser card's signing certificate carries (基本4情報): filled in by prefill.js. */
const CARD_FACTS = new Set(['name', 'birthDate', 'sex', 'address']);
const AUTOCOMPLETE: Record<string, string> = {
  name: 'name',
  postalCode: 'postal-code',
  address: 'street-address',
  birthDate: 'bday',
};

export interface FieldsContext {
  readonly lang: Lang;
  readonly data: FormData;
  /** Messages by pointer, in the page's language. */
  readonly errors: ReadonlyMap<string, string>;
  /** Rows an array shows after 「追加する」 or 「削除する」 (by pointer). */
  readonly rowHints: ReadonlyMap<string, number>;
  /** The procedure's prefill: pointer → registry fact. */
  readonly prefill: Readonly<Record<string, string>>;
  /** Top-level items the office asked to correct (補正). */
  readonly toCorrect: ReadonlySet<string>;
  /** Filled while rendering: the element an error at a pointer links to. */
  readonly targets: Map<string, string>;
  /** The first input of a row just added gets the focus. */
  readonly focusRow?: string | undefined;
}

interface Item {
  readonly node: FormNode;
  readonly path: string;
  readonly key: string;
  readonly required: boolean;
}

const requiredMark = (lang: Lang) => html` <span class="required-mark">${t(lang, portal.required)}</span>`;

function described(id: string, hint: string | undefined, error: string | undefined): SafeHtml {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${error ? html` aria-invalid="true"` : ''}`;
}

function hintAndError(c: FieldsContext, id: string, hint: string | undefined, error: string | undefined) {
  return html`${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}${
    error
      ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">${c.lang === 'ja' ? 'エラー：' : 'Error: '}</span>${error}</p>`
      : ''
  }`;
}

function prefillAttributes(c: FieldsContext, path: string): SafeHtml {
  const source = c.prefill[path];
  const autocomplete = source ? AUTOCOMPLETE[source] : undefined;
  return html`${source && CARD_FACTS.has(source) ? html` data-prefill="${source}"` : ''}${
    autocomplete ? html` autocomplete="${autocomplete}"` : ''
  }`;
}

function textInput(c: FieldsContext, item: Item, id: string, error: string | undefined, hint?: string) {
  const { node, path } = item;
  const kind = inputKind(node);
  const raw = valueAt(c.data, path);
  const value = raw === undefined || raw === null ? '' : String(raw);
  const common = html`id="${id}" name="${path}"${described(id, hint, error)}${prefillAttributes(c, path)}${
    c.focusRow && (path === c.focusRow || path.startsWith(`${c.focusRow}/`)) ? html` autofocus` : ''
  }`;
  if (kind === 'textarea')
    return html`<textarea ${common} maxlength="${node.maxLength ?? 4000}" rows="5">${value}</textarea>`;
  if (kind === 'date') return html`<input type="date" ${common} value="${value}">`;
  if (kind === 'number')
    return html`<input type="text" inputmode="numeric" ${common} value="${value}" class="input--short">`;
  const type = node.format === 'email' ? 'email' : /phone|Phone|tel/.test(item.key) ? 'tel' : 'text';
  return html`<input type="${type}" ${common} value="${value}"${
    node.maxLength ? html` maxlength="${node.maxLength}"` : ''
  }>`;
}

function leafField(c: FieldsContext, item: Item): SafeHtml {
  const { node, path } = item;
  const id = fieldId(path);
  c.targets.set(path, id);
  const error = c.errors.get(path);
  const kind = inputKind(node);
  const title = titleOf(c.lang, node, item.key);
  const hint =
    hintOf(c.lang, node) ??
    (kind === 'date'
      ? t(c.lang, portal.dateHint)
      : kind === 'number'
        ? t(c.lang, portal.numberHint)
        : undefined);
  const mustTick = node.const === true;
  if (kind === 'checkbox') {
    const checked = valueAt(c.data, path) === true;
    return html`<div class="field choice${error ? ' field--error' : ''}">
${hintAndError(c, id, hintOf(c.lang, node), error)}<label for="${id}"><input type="checkbox" id="${id}" name="${path}" value="true"${checked ? html` checked` : ''}${described(id, hintOf(c.lang, node), error)}>${title}${mustTick ? requiredMark(c.lang) : ''}</label>
</div>`;
  }
  if (kind === 'radios' || kind === 'select') return choiceField(c, item, id, title, error);
  return html`<div class="field${error ? ' field--error' : ''}">
<label for="${id}">${title}${item.required ? requiredMark(c.lang) : ''}</label>
${hintAndError(c, id, hint, error)}${textInput(c, item, id, error, hint)}
</div>`;
}

function choiceField(c: FieldsContext, item: Item, id: string, title: string, error: string | undefined) {
  const { node, path } = item;
  const chosen = valueAt(c.data, path);
  const options = (node.enum ?? []).map((value) => ({
    value: String(value),
    label: enumLabel(c.lang, node.title, value),
  }));
  const hint = hintOf(c.lang, node);
  if (inputKind(node) === 'select') {
    return html`<div class="field${error ? ' field--error' : ''}">
<label for="${id}">${title}${item.required ? requiredMark(c.lang) : ''}</label>
${hintAndError(c, id, hint, error)}<select id="${id}" name="${path}"${described(id, hint, error)}${prefillAttributes(c, path)}>
<option value="">${t(c.lang, portal.chooseOne)}</option>
${options.map((o) => html`<option value="${o.value}"${String(chosen) === o.value ? html` selected` : ''}>${o.label}</option>`)}
</select>
</div>`;
  }
  c.targets.set(path, `${id}-0`);
  return html`<fieldset class="field${error ? ' field--error' : ''}" id="${id}"${described(id, hint, error)}>
<legend>${title}${item.required ? requiredMark(c.lang) : ''}</legend>
${hintAndError(c, id, hint, error)}${options.map(
  (o, index) =>
    html`<div class="choice"><label for="${id}-${index}"><input type="radio" id="${id}-${index}" name="${path}" value="${o.value}"${
      String(chosen) === o.value ? html` checked` : ''
    }${prefillAttributes(c, path)}>${o.label}</label></div>`,
)}
</fieldset>`;
}

function checkboxesField(c: FieldsContext, item: Item): SafeHtml {
  const { node, path } = item;
  const id = fieldId(path);
  c.targets.set(path, `${id}-0`);
  const error = c.errors.get(path);
  const hint = hintOf(c.lang, node);
  const chosen = new Set((valueAt(c.data, path) as unknown[] | undefined)?.map(String) ?? []);
  const itemTitle = node.items?.title ?? node.title;
  return html`<fieldset class="field${error ? ' field--error' : ''}" id="${id}"${described(id, hint, error)}>
<legend>${titleOf(c.lang, node, item.key)}${item.required ? requiredMark(c.lang) : ''}</legend>
${hintAndError(c, id, hint, error)}${(node.items?.enum ?? []).map(
  (value, index) =>
    html`<div class="choice"><label for="${id}-${index}"><input type="checkbox" id="${id}-${index}" name="${path}" value="${String(value)}"${
      chosen.has(String(value)) ? html` checked` : ''
    }>${enumLabel(c.lang, itemTitle, value)}</label></div>`,
)}
</fieldset>`;
}

function rowsField_(c: FieldsContext, item: Item): SafeHtml {
  const { node, path } = item;
  const id = fieldId(path);
  c.targets.set(path, id);
  const error = c.errors.get(path);
  const hint = hintOf(c.lang, node);
  const rowNode = node.items ?? {};
  const count = rowCount(node, valueAt(c.data, path), c.rowHints.get(path));
  const unit = titleOf(c.lang, rowNode.title ? rowNode : node, item.key);
  const max = Math.min(node.maxItems ?? 30, 30);
  const rows = Array.from({ length: count }, (_, index) => {
    const at = child(path, index);
    const heading = fill(t(c.lang, portal.rowTitle), { item: unit, n: index + 1 });
    const inner =
      rowNode.type === 'object'
        ? groupItems(c, rowNode, at)
        : field(c, {
            node: { ...rowNode, title: heading, titleEn: heading },
            path: at,
            key: '',
            required: false,
          });
    return html`<fieldset class="form-row" id="${fieldId(at)}">
<legend>${heading}</legend>
${inner}
${
  count > 1 || valueAt(c.data, at) !== undefined
    ? html`<button type="submit" name="action" value="remove:${at}" class="button--secondary button--small">${fill(t(c.lang, portal.removeRow), { item: unit })}<span class="visually-hidden">（${index + 1}）</span></button>`
    : ''
}
</fieldset>`;
  });
  return html`<fieldset class="field form-group${error ? ' field--error' : ''}" id="${id}" tabindex="-1"${described(id, hint, error)}>
<legend>${titleOf(c.lang, node, item.key)}${item.required ? requiredMark(c.lang) : ''}</legend>
${hintAndError(c, id, hint, error)}${rows}
<input type="hidden" name="${rowsField(path)}" value="${count}">
${
  count < max
    ? html`<button type="submit" name="action" value="add:${path}" class="button--secondary">${fill(t(c.lang, portal.addRow), { item: unit })}</button>`
    : ''
}
</fieldset>`;
}

function groupItems(c: FieldsContext, node: FormNode, path: string): SafeHtml {
  return html`${Object.entries(node.properties ?? {}).map(([key, property]) =>
    field(c, {
      node: property,
      path: child(path, key),
      key,
      required: node.required?.includes(key) ?? false,
    }),
  )}`;
}

function field(c: FieldsContext, item: Item): SafeHtml {
  const kind = inputKind(item.node);
  if (kind === 'rows') return rowsField_(c, item);
  if (kind === 'checkboxes') return checkboxesField(c, item);
  if (kind !== 'group') return leafField(c, item);
  const id = fieldId(item.path);
  c.targets.set(item.path, id);
  const error = c.errors.get(item.path);
  const hint = hintOf(c.lang, item.node);
  return html`<fieldset class="field form-group${error ? ' field--error' : ''}" id="${id}" tabindex="-1"${described(id, hint, error)}>
<legend>${titleOf(c.lang, item.node, item.key)}${item.required ? requiredMark(c.lang) : ''}</legend>
${hintAndError(c, id, hint, error)}${groupItems(c, item.node, item.path)}
</fieldset>`;
}

/**
 * The inputs of one step: a group per object (fieldset and legend), rows with 「追加する」 and
 * 「削除する」 buttons per array, radios or a select per choice, a checkbox per yes/no; each with
 * its label, required mark, hint and error tied by aria-describedby. Items the office asked to
 * correct are marked in words, not by colour alone.
 */
export function stepFields(c: FieldsContext, schema: FormNode, fields: readonly string[]): SafeHtml {
  return html`${fields.map((key) => {
    const node = schema.properties?.[key];
    if (!node) return '';
    const inner = field(c, {
      node,
      path: child('', key),
      key,
      required: schema.required?.includes(key) ?? false,
    });
    if (!c.toCorrect.has(key)) return inner;
    return html`<div class="to-correct"><p class="badge badge--soon">${t(c.lang, portal.toCorrect)}</p>${inner}</div>`;
  })}`;
}

/** The element an error links to: its input, else the nearest enclosing group's, else the form. */
export function errorTarget(targets: ReadonlyMap<string, string>, path: string): string {
  for (let at = path; at !== ''; at = at.slice(0, at.lastIndexOf('/'))) {
    const id = targets.get(at);
    if (id) return id;
  }
  return targets.get(`/${topKey(path)}`) ?? 'step-form';
}
