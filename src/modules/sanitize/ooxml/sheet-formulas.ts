/**
 * Formulas in SpreadsheetML worksheets (ECMA-376 Part 1 §18.3.1.40 f, §18.17 formulas).
 * Removed, keeping the cell's cached value (§18.3.1.96 v), are formulas that reach outside:
 *  - DDE: `app|topic!item`, e.g. =cmd|' /C calc'!A0. Outside string literals the pipe occurs
 *    in no other formula construct (§18.17.2 grammar), so any pipe marks DDE;
 *  - RTD (a COM server), CALL / REGISTER / EXEC (XLM code), _xll. add-in functions;
 *  - WEBSERVICE and HYPERLINK (network), and references into external workbooks `[n]Sheet!A1`,
 *    whose externalLink parts are never kept.
 */
import { NS } from './namespaces.ts';
import type { OoxmlRemovedKind, RemovedTally } from './report.ts';
import { XML_NS, type XmlElement } from './xml.ts';
import { attribute, childElements, descendants, is, rewrite, textOf } from './xml-write.ts';

export interface FormulaVerdict {
  readonly kind: OoxmlRemovedKind;
  readonly detail: string;
}

const FUNCTIONS: Readonly<Record<string, OoxmlRemovedKind>> = {
  RTD: 'dde',
  CALL: 'macro',
  REGISTER: 'macro',
  'REGISTER.ID': 'macro',
  EXEC: 'macro',
  WEBSERVICE: 'external-relationship',
  HYPERLINK: 'external-relationship',
};

export function judgeFormula(formula: string): FormulaVerdict | undefined {
  // String literals ("…", with "" as an escaped quote) cannot call anything.
  const code = formula.replace(/"(?:[^"]|"")*"/g, '""');
  if (code.includes('|')) return { kind: 'dde', detail: 'DDE formula' };
  if (/(?:^|[^A-Za-z0-9_.])_xll\./i.test(code)) return { kind: 'macro', detail: 'add-in function' };
  const call =
    /(?:^|[^A-Za-z0-9_.])(?:_xlfn\.)?(RTD|CALL|REGISTER\.ID|REGISTER|EXEC|WEBSERVICE|HYPERLINK)\s*\(/i.exec(
      code,
    );
  if (call) {
    const name = call[1]!.toUpperCase();
    return { kind: FUNCTIONS[name]!, detail: name };
  }
  if (/\[\d+\]/.test(code)) return { kind: 'external-relationship', detail: 'external workbook' };
  return undefined;
}

function element(like: XmlElement, local: string, children: XmlElement['children']): XmlElement {
  const colon = like.name.indexOf(':');
  const name = colon < 0 ? local : `${like.name.slice(0, colon + 1)}${local}`;
  return { kind: 'element', name, local, ns: like.ns, attributes: [], children };
}

/** A formula cell without its formula: t="str" (formula string) becomes an inline string. */
function dropFormula(cell: XmlElement, formula: XmlElement): void {
  cell.children = cell.children.filter((c) => c !== formula);
  cell.attributes = cell.attributes.filter((a) => !(a.local === 'cm' && a.ns === ''));
  const type = cell.attributes.find((a) => a.local === 't' && a.ns === '');
  if (type?.value !== 'str') return;
  const value = childElements(cell).find((c) => is(c, NS.s, 'v'));
  type.value = 'inlineStr';
  const t = element(cell, 't', [{ kind: 'text', text: value ? textOf(value) : '' }]);
  t.attributes.push({ name: 'xml:space', local: 'space', ns: XML_NS, value: 'preserve' });
  cell.children = cell.children.filter((c) => c !== value);
  cell.children.push(element(cell, 'is', [t]));
}

/** Rule-like elements holding formulas: the whole rule goes with a bad formula. */
const RULES = new Set(['cfRule', 'dataValidation']);

export function cleanSheetFormulas(root: XmlElement, removed: RemovedTally): void {
  const parents = new Map<XmlElement, XmlElement>();
  const bad = new Map<XmlElement, FormulaVerdict>();
  const badShared = new Map<string, FormulaVerdict>();
  for (const e of descendants(root)) {
    for (const c of childElements(e)) parents.set(c, e);
    if (!['f', 'formula', 'formula1', 'formula2'].includes(e.local)) continue;
    if (!NS.s.has(e.ns) && !e.ns.includes('/excel/')) continue; // x14 data validations use xm:f
    const verdict = judgeFormula(textOf(e));
    if (!verdict) continue;
    bad.set(e, verdict);
    if (e.local === 'f' && attribute(e, 't') === 'shared' && attribute(e, 'si') !== undefined) {
      badShared.set(attribute(e, 'si')!, verdict);
    }
  }
  // A shared formula's dependents (§18.3.1.40, t="shared" with only si) take the master's text.
  for (const e of descendants(root)) {
    const master =
      is(e, NS.s, 'f') && attribute(e, 't') === 'shared' && badShared.get(attribute(e, 'si') ?? '');
    if (master && !bad.has(e)) bad.set(e, master);
  }
  if (bad.size === 0) return;
  const doomed = new Set<XmlElement>();
  for (const [f, verdict] of bad) {
    removed.add(verdict.kind, verdict.detail);
    const parent = parents.get(f);
    if (parent && is(parent, NS.s, 'c') && is(f, NS.s, 'f')) {
      dropFormula(parent, f);
      continue;
    }
    let rule: XmlElement | undefined = f;
    while (rule && !RULES.has(rule.local)) rule = parents.get(rule);
    doomed.add(rule ?? f);
  }
  if (doomed.size > 0) rewrite(root, (e) => (doomed.has(e) ? [] : [e]));
}

/** Worksheets and workbooks: web publishing (§18.3.1.95, §18.2.28) re-publishes to a URL on save. */
export function dropWebPublishing(
  root: XmlElement,
  removed: RemovedTally,
  hostOf: (t: string) => string,
): void {
  rewrite(root, (e) => {
    if (!is(e, NS.s, 'webPublishItems') && !is(e, NS.s, 'webPublishObjects')) return [e];
    for (const item of childElements(e)) {
      removed.add('external-relationship', hostOf(attribute(item, 'destinationFile') ?? ''));
    }
    return [];
  });
}

/** Tables (§18.5.1.2) lose their links to query tables and XML maps, which are never kept. */
export function cleanTable(root: XmlElement): void {
  for (const e of descendants(root)) {
    if (is(e, NS.s, 'table')) {
      e.attributes = e.attributes.filter(
        (a) => a.ns !== '' || (a.local !== 'tableType' && a.local !== 'connectionId'),
      );
    }
    if (is(e, NS.s, 'tableColumn')) {
      e.attributes = e.attributes.filter(
        (a) => a.ns !== '' || (a.local !== 'queryTableFieldId' && a.local !== 'uniqueName'),
      );
    }
  }
  rewrite(root, (e) => (is(e, NS.s, 'xmlColumnPr') ? [] : [e]));
}
