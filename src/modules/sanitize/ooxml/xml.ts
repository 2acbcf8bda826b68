/**
 * A small, strict XML 1.0 parser for OOXML parts (W3C XML 1.0 5th ed., Namespaces in XML 1.0).
 * It is strict where strictness protects us:
 *  - any markup declaration (<!DOCTYPE, <!ENTITY, …) refuses the part: no DTD means no external
 *    entities (XXE) and no entity expansion ("billion laughs"); only the five predefined
 *    entities and numeric character references are decoded (XML §4.6, §4.1);
 *  - the document must be well-formed: one root, tags balanced, attributes unique, prefixes
 *    declared; nothing but whitespace, comments and PIs outside the root;
 *  - depth and node count are bounded.
 * Comments and processing instructions are dropped. Namespaces are resolved so that callers
 * match on (namespace URI, local name), never on a prefix a hostile file may choose.
 */
import { Refusal } from '../types.ts';

export interface XmlAttribute {
  /** The qualified name as written, e.g. "r:id"; kept for serialization. */
  readonly name: string;
  readonly local: string;
  /** '' for unprefixed attributes and for namespace declarations. */
  readonly ns: string;
  value: string;
}

export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  readonly local: string;
  readonly ns: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
}

export interface XmlText {
  readonly kind: 'text';
  text: string;
}

export type XmlNode = XmlElement | XmlText;

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const MAX_DEPTH = 1024;
const MAX_NODES = 4_000_000;
const NAME =
  /[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]*(?::[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]*)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: XML §2.2 excludes these characters
const NOT_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes bytes as XML may be encoded in OPC: UTF-8 or UTF-16 (ECMA-376 Part 2 §8.1.4). */
function decode(bytes: Uint8Array, fail: (m: string) => Refusal): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      return new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return new TextDecoder('utf-16be', { fatal: true }).decode(bytes);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes); // strips a UTF-8 BOM
  } catch {
    throw fail('is not valid UTF-8 or UTF-16');
  }
}

function isValidChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

export function parseXml(input: Uint8Array | string, partName: string): XmlElement {
  const fail = (message: string) => new Refusal('malformed', `XML part ${partName} ${message}`);
  const raw = typeof input === 'string' ? input : decode(input, fail);
  // XML §2.11: line ends are normalised to LF before parsing.
  const s = raw.replace(/\r\n?/g, '\n');
  if (NOT_CHAR.test(s)) throw fail('contains characters XML does not allow');

  /** XML §4.6 and §4.1: the five predefined entities and character references, nothing else. */
  const decodeReferences = (text: string, inAttribute: boolean): string => {
    const normalised = inAttribute ? text.replace(/[\t\n]/g, ' ') : text; // XML §3.3.3
    if (!normalised.includes('&')) return normalised;
    return normalised.replace(/&([^;&<]{0,10});|&/g, (match, ref: string | undefined) => {
      if (ref === undefined) throw fail("has a bare '&'");
      if (ref in PREDEFINED) return PREDEFINED[ref]!;
      const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
      if (!numeric) throw fail(`uses the undeclared entity ${match}`);
      const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
      if (!isValidChar(code)) throw fail(`references the invalid character ${match}`);
      return String.fromCodePoint(code);
    });
  };

  let i = 0;
  let nodes = 0;
  let root: XmlElement | undefined;
  const stack: { element: XmlElement; scope: Map<string, string> }[] = [];
  const baseScope = new Map([['xml', XML_NS]]);

  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(s);
    if (!m) throw fail(`has an invalid name at offset ${i}`);
    i += m[0].length;
    return m[0];
  };
  const skipSpace = (): boolean => {
    const start = i;
    while (s[i] === ' ' || s[i] === '\n' || s[i] === '\t') i++;
    return i > start;
  };
  const expectEnd = (token: string, what: string): number => {
    const end = s.indexOf(token, i);
    if (end < 0) throw fail(`has an unterminated ${what}`);
    return end;
  };
  const addText = (text: string) => {
    const top = stack[stack.length - 1];
    if (!top) {
      if (text.trim() !== '') throw fail('has text outside the root element');
      return;
    }
    const last = top.element.children[top.element.children.length - 1];
    if (last?.kind === 'text') last.text += text;
    else {
      if (++nodes > MAX_NODES) throw new Refusal('too-large', `XML part ${partName} has too many nodes`);
      top.element.children.push({ kind: 'text', text });
    }
  };

  while (i < s.length) {
    if (s[i] !== '<') {
      const end = s.indexOf('<', i);
      const chunk = s.slice(i, end < 0 ? s.length : end);
      if (chunk.includes(']]>')) throw fail("has ']]>' in text");
      addText(decodeReferences(chunk, false));
      i = end < 0 ? s.length : end;
      continue;
    }
    if (s.startsWith('<?', i)) {
      const end = expectEnd('?>', 'processing instruction');
      const target = /^<\?([^\s?]+)/.exec(s.slice(i, end + 2))?.[1] ?? '';
      if (target.toLowerCase() === 'xml') {
        if (i !== 0) throw fail('has an XML declaration that is not at the start');
        const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(s.slice(i, end))?.[1]?.toLowerCase();
        if (encoding !== undefined && !['utf-8', 'utf8', 'utf-16', 'unicode'].includes(encoding)) {
          throw fail(`declares the unsupported encoding ${encoding}`);
        }
      }
      i = end + 2;
      continue;
    }
    if (s.startsWith('<!--', i)) {
      i = s.indexOf('-->', i + 4);
      if (i < 0) throw fail('has an unterminated comment');
      i += 3;
      continue;
    }
    if (s.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) throw fail('has CDATA outside the root element');
      const end = s.indexOf(']]>', i + 9);
      if (end < 0) throw fail('has an unterminated CDATA section');
      addText(s.slice(i + 9, end));
      i = end + 3;
      continue;
    }
    if (s.startsWith('<!', i)) {
      // <!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST: the DTD is where XXE and entity bombs live.
      throw fail('declares a DTD (<!DOCTYPE or another markup declaration), which is refused');
    }
    if (s.startsWith('</', i)) {
      i += 2;
      const name = readName();
      skipSpace();
      if (s[i] !== '>') throw fail(`has a malformed end tag </${name}`);
      i++;
      const top = stack.pop();
      if (!top || top.element.name !== name) throw fail(`has a mismatched end tag </${name}>`);
      continue;
    }
    // A start tag.
    i++;
    if (root && stack.length === 0) throw fail('has more than one root element');
    if (stack.length >= MAX_DEPTH) throw fail(`nests elements deeper than ${MAX_DEPTH}`);
    if (++nodes > MAX_NODES) throw new Refusal('too-large', `XML part ${partName} has too many nodes`);
    const name = readName();
    const written: { name: string; value: string }[] = [];
    for (;;) {
      const spaced = skipSpace();
      if (s[i] === '>' || s.startsWith('/>', i)) break;
      if (!spaced) throw fail(`needs a space between attributes in <${name}>`);
      const attribute = readName();
      skipSpace();
      if (s[i] !== '=') throw fail(`has attribute ${attribute} without a value`);
      i++;
      skipSpace();
      const quote = s[i];
      if (quote !== '"' && quote !== "'") throw fail(`has an unquoted attribute ${attribute}`);
      i++;
      const end = expectEnd(quote, 'attribute value');
      const value = s.slice(i, end);
      if (value.includes('<')) throw fail(`has '<' in attribute ${attribute}`);
      if (written.some((a) => a.name === attribute))
        throw fail(`repeats attribute ${attribute} in <${name}>`);
      written.push({ name: attribute, value: decodeReferences(value, true) });
      i = end + 1;
    }
    const selfClosing = s[i] === '/';
    i += selfClosing ? 2 : 1;

    // Namespaces in XML §5 and §6: declarations first, then resolve element and attributes.
    const parentScope = stack[stack.length - 1]?.scope ?? baseScope;
    let scope = parentScope;
    for (const a of written) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        if (scope === parentScope) scope = new Map(parentScope);
        const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
        if (prefix !== '' && a.value === '') throw fail(`undeclares the prefix ${prefix}`);
        if (prefix === 'xml' || prefix === 'xmlns') throw fail(`redeclares the reserved prefix ${prefix}`);
        scope.set(prefix, a.value);
      }
    }
    const namespaceOf = (qname: string, colon: number, isElement: boolean): string => {
      if (colon < 0) return isElement ? (scope.get('') ?? '') : '';
      const ns = scope.get(qname.slice(0, colon));
      if (ns === undefined) throw fail(`uses the undeclared prefix in ${qname}`);
      return ns;
    };
    const attributes = written.map((a): XmlAttribute => {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:'))
        return { name: a.name, local: a.name, ns: '', value: a.value };
      const colon = a.name.indexOf(':');
      const ns = namespaceOf(a.name, colon, false);
      return { name: a.name, local: colon < 0 ? a.name : a.name.slice(colon + 1), ns, value: a.value };
    });
    const colon = name.indexOf(':');
    const element: XmlElement = {
      kind: 'element',
      name,
      local: colon < 0 ? name : name.slice(colon + 1),
      ns: namespaceOf(name, colon, true),
      attributes,
      children: [],
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.element.children.push(element);
    else root = element;
    if (!selfClosing) stack.push({ element, scope });
  }
  if (stack.length > 0) throw fail(`ends inside <${stack[stack.length - 1]!.element.name}>`);
  if (!root) throw fail('has no root element');
  return root;
}
