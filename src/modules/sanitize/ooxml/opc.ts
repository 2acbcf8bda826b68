/**
 * Open Packaging Conventions (ECMA-376 Part 2): the content types stream (§10.1.2.2), the
 * relationships parts (§9.3), part names (§9.1.1) and their mapping to ZIP items (§10.2.4).
 * Parsing is strict (a malformed stream refuses the package); writing is from our own data.
 */
import { Refusal } from '../types.ts';
import { CT_NS, NS, RELS_CONTENT_TYPE, RELS_NS } from './namespaces.ts';
import type { XmlElement } from './xml.ts';
import { attribute, childElements, is } from './xml-write.ts';

export interface ContentTypes {
  /** Lower-case extension → content type as written. */
  readonly defaults: Map<string, string>;
  /** Lower-case part name without leading slash → content type as written. */
  readonly overrides: Map<string, string>;
}

export function parseContentTypes(root: XmlElement): ContentTypes {
  if (!is(root, NS.ct, 'Types'))
    throw new Refusal('malformed', 'OOXML: [Content_Types].xml is not a Types element');
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  for (const child of childElements(root)) {
    const type = attribute(child, 'ContentType')?.trim();
    if (!type) continue;
    if (is(child, NS.ct, 'Default')) {
      const ext = attribute(child, 'Extension');
      if (ext) defaults.set(ext.toLowerCase(), type);
    } else if (is(child, NS.ct, 'Override')) {
      const part = attribute(child, 'PartName');
      if (part?.startsWith('/')) overrides.set(decodePartName(part.slice(1)).toLowerCase(), type);
    }
  }
  return { defaults, overrides };
}

/** §10.1.2.2.3–4: an Override wins over a Default for the part's extension. */
export function contentTypeOf(types: ContentTypes, part: string): string | undefined {
  const override = types.overrides.get(part.toLowerCase());
  if (override) return override;
  const dot = part.lastIndexOf('.');
  const slash = part.lastIndexOf('/');
  return dot > slash ? types.defaults.get(part.slice(dot + 1).toLowerCase()) : undefined;
}

export interface Relationship {
  readonly id: string;
  readonly type: string;
  readonly target: string;
  readonly external: boolean;
}

export function parseRelationships(root: XmlElement, partName: string): Relationship[] {
  const fail = (m: string) => new Refusal('malformed', `OOXML: ${partName} ${m}`);
  if (!is(root, NS.rels, 'Relationships')) throw fail('is not a Relationships element');
  const seen = new Set<string>();
  const out: Relationship[] = [];
  for (const child of childElements(root)) {
    if (!is(child, NS.rels, 'Relationship')) continue;
    const id = attribute(child, 'Id');
    const type = attribute(child, 'Type');
    const target = attribute(child, 'Target');
    const mode = attribute(child, 'TargetMode') ?? 'Internal';
    if (!id || !type || target === undefined) throw fail('has a relationship without Id, Type or Target');
    // §9.3.2.2: Id is an xsd:ID, unique within the part.
    if (seen.has(id)) throw fail(`repeats the relationship Id ${id}`);
    seen.add(id);
    if (mode !== 'Internal' && mode !== 'External') throw fail(`has an unknown TargetMode ${mode}`);
    out.push({ id, type, target, external: mode === 'External' });
  }
  return out;
}

/** §9.3.3: the relationships of part /a/b.xml are in /a/_rels/b.xml.rels; the package's in /_rels/.rels. */
export function relsPartOf(part: string): string {
  if (part === '') return '_rels/.rels';
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

function decodePartName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * §9.3.4 / RFC 3986 §5.2: resolves an internal target against its source part and returns the
 * ZIP item name (no leading slash), or undefined if the target is not a part reference (a URI
 * with a scheme, a query or fragment, or a path that climbs above the package root).
 */
export function resolveTarget(source: string, target: string): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) || /[?#\\]/.test(target) || target === '') return undefined;
  const base = target.startsWith('/') ? [] : source.split('/').slice(0, -1);
  const segments = [...base];
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else segments.push(decodePartName(segment));
  }
  return segments.length > 0 ? segments.join('/') : undefined;
}

/** What an external target points at, for the report: a host, never a full URL or path. */
export function hostOf(target: string): string {
  if (target.startsWith('\\\\') || target.startsWith('//')) {
    return target.slice(2).split(/[\\/]/)[0] || 'unc-path';
  }
  try {
    const url = new URL(target);
    return url.hostname || url.protocol.replace(/:$/, '');
  } catch {
    return /^[A-Za-z]:[\\/]/.test(target) ? 'local-file' : 'relative-path';
  }
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';

/** Our own relationships part: only internal relationships are ever written. */
export function writeRelationships(rels: readonly Relationship[]): Uint8Array {
  const items = rels.map(
    (r) =>
      `<Relationship Id="${escapeXml(r.id)}" Type="${escapeXml(r.type)}" Target="${escapeXml(r.target)}"/>`,
  );
  return new TextEncoder().encode(
    `${DECLARATION}<Relationships xmlns="${RELS_NS}">${items.join('')}</Relationships>`,
  );
}

/**
 * Our own content types stream for exactly the parts written: per extension the most common
 * type becomes a Default, every other part an Override (§10.1.2.2).
 */
export function writeContentTypes(parts: readonly { name: string; contentType: string }[]): Uint8Array {
  const byExtension = new Map<string, Map<string, number>>();
  const extensionOf = (name: string) => {
    const file = name.slice(name.lastIndexOf('/') + 1);
    const dot = file.lastIndexOf('.');
    return dot > 0 ? file.slice(dot + 1).toLowerCase() : '';
  };
  for (const p of parts) {
    const ext = extensionOf(p.name);
    if (ext === '' || ext === 'rels') continue;
    const counts = byExtension.get(ext) ?? new Map<string, number>();
    counts.set(p.contentType, (counts.get(p.contentType) ?? 0) + 1);
    byExtension.set(ext, counts);
  }
  const defaults = new Map<string, string>([['rels', RELS_CONTENT_TYPE]]);
  for (const [ext, counts] of [...byExtension].sort(([a], [b]) => a.localeCompare(b))) {
    const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    if (ext !== 'xml' || counts.size === 1) defaults.set(ext, best);
  }
  if (!defaults.has('xml')) defaults.set('xml', 'application/xml');
  const overrides = parts.filter(
    (p) => extensionOf(p.name) !== 'rels' && defaults.get(extensionOf(p.name)) !== p.contentType,
  );
  const xml = [
    `${DECLARATION}<Types xmlns="${CT_NS}">`,
    ...[...defaults].map(
      ([ext, type]) => `<Default Extension="${escapeXml(ext)}" ContentType="${escapeXml(type)}"/>`,
    ),
    ...overrides.map(
      (p) =>
        `<Override PartName="/${escapeXml(encodeURI(p.name))}" ContentType="${escapeXml(p.contentType)}"/>`,
    ),
    '</Types>',
  ];
  return new TextEncoder().encode(xml.join(''));
}
