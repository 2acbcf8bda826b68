/**
 * Serializes a parsed tree back to UTF-8 XML, and small tree helpers. Writing from the tree
 * (never copying input bytes) is what guarantees that nothing outside the parsed structure —
 * a DTD, trailing junk, comments, odd encodings — survives into the output.
 */
import type { XmlAttribute, XmlElement, XmlNode } from './xml.ts';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';

function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );
}

/** Attribute values: quotes and whitespace escaped so that they survive normalisation (XML §3.3.3). */
function escapeAttribute(value: string): string {
  return value.replace(/[&<"\t\n\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '"' ? '&quot;' : `&#${c.charCodeAt(0)};`,
  );
}

function write(element: XmlElement): string {
  let out = `<${element.name}`;
  for (const a of element.attributes) out += ` ${a.name}="${escapeAttribute(a.value)}"`;
  if (element.children.length === 0) return `${out}/>`;
  out += '>';
  for (const child of element.children) out += child.kind === 'text' ? escapeText(child.text) : write(child);
  return `${out}</${element.name}>`;
}

export function serializeXml(root: XmlElement): Uint8Array {
  return new TextEncoder().encode(DECLARATION + write(root));
}

export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => c.kind === 'element');
}

/** Matches an element or attribute by local name and one of a set of namespace URIs. */
export function is(
  node: { local: string; ns: string },
  namespaces: ReadonlySet<string>,
  local: string,
): boolean {
  return node.local === local && namespaces.has(node.ns);
}

export function attribute(
  element: XmlElement,
  local: string,
  namespaces?: ReadonlySet<string>,
): string | undefined {
  return element.attributes.find(
    (a) => a.local === local && (namespaces ? namespaces.has(a.ns) : a.ns === ''),
  )?.value;
}

export function removeAttributes(element: XmlElement, drop: (a: XmlAttribute) => boolean): void {
  element.attributes = element.attributes.filter((a) => !drop(a));
}

/** Every element of the tree, depth first, parents before children (document order). */
export function descendants(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const element = stack.pop()!;
    out.push(element);
    for (let i = element.children.length - 1; i >= 0; i--) {
      const child = element.children[i]!;
      if (child.kind === 'element') stack.push(child);
    }
  }
  return out;
}

/** All the text of an element, in order (e.g. a field's result or a cell's inline string). */
export function textOf(node: XmlNode): string {
  if (node.kind === 'text') return node.text;
  return node.children.map(textOf).join('');
}

/**
 * Rewrites the tree bottom-up: `visit` returns the nodes that replace an element ([] removes
 * it, element.children unwraps it, [element] keeps it). Recursive: the parser bounds the depth
 * (MAX_DEPTH in xml.ts), far below the stack's limit.
 */
export function rewrite(
  root: XmlElement,
  visit: (element: XmlElement, parent: XmlElement) => XmlNode[],
): void {
  let out: XmlNode[] | undefined;
  const children = root.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    let result: XmlNode[] | undefined;
    if (child.kind === 'element') {
      rewrite(child, visit);
      const replaced = visit(child, root);
      if (replaced.length !== 1 || replaced[0] !== child) result = replaced;
    }
    if (result && !out) out = children.slice(0, i);
    if (out) out.push(...(result ?? [child]));
  }
  if (out) root.children = out;
}
