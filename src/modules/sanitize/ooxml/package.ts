/**
 * Reading an OOXML package and deciding what of it to keep. The package is a graph: the
 * package relationships (/_rels/.rels) lead to the main part, whose relationships lead to
 * styles, headers, images… We walk that graph from the root and keep a part only when it is
 * reached through a relationship type we allow FROM that kind of part, AND its content type
 * is one we allow for that relationship (an allow-list, ECMA-376 Part 1 §11 (WordprocessingML)
 * and §12 (SpreadsheetML) list the part types and where each may be referenced from).
 * Everything not reached so is dropped; external relationships are never kept.
 */
import { Refusal } from '../types.ts';
import type { ZipArchive } from '../zip/index.ts';
import { CONTENT_TYPES, MAIN_TYPES, relationshipKind } from './namespaces.ts';
import {
  type ContentTypes,
  contentTypeOf,
  parseContentTypes,
  parseRelationships,
  type Relationship,
  relsPartOf,
  resolveTarget,
} from './opc.ts';
import { parseXml, type XmlElement } from './xml.ts';

export type Role =
  | 'root'
  | 'document'
  | 'story'
  | 'settings'
  | 'fontTable'
  | 'numbering'
  | 'plain'
  | 'theme'
  | 'core'
  | 'app'
  | 'workbook'
  | 'worksheet'
  | 'drawing'
  | 'table'
  | 'image';

interface Rule {
  readonly role: Role;
  readonly types: readonly string[];
}

// Content types compare case-insensitively (RFC 2045 §5.1), so rules hold them in lower case.
const wml = (role: Role, name: string): Rule => ({ role, types: [CONTENT_TYPES.wml(name).toLowerCase()] });
const sml = (role: Role, name: string): Rule => ({ role, types: [CONTENT_TYPES.sml(name).toLowerCase()] });
/** Only PNG and JPEG: EMF/WMF, TIFF, GIF and SVG have long histories of parser exploits. */
const IMAGE: Rule = { role: 'image', types: ['image/png', 'image/jpeg', 'image/jpg'] };
const THEME: Rule = { role: 'theme', types: [CONTENT_TYPES.theme] };

/** Source role → relationship kind → what the target must be. */
const POLICY: Record<Role, Readonly<Record<string, Rule>>> = {
  root: {
    'core-properties': { role: 'core', types: [CONTENT_TYPES.core] },
    'extended-properties': { role: 'app', types: [CONTENT_TYPES.app] },
  },
  document: {
    styles: wml('plain', 'styles'),
    stylesWithEffects: { role: 'plain', types: ['application/vnd.ms-word.styleswitheffects+xml'] },
    numbering: wml('numbering', 'numbering'),
    settings: wml('settings', 'settings'),
    webSettings: wml('plain', 'webSettings'),
    fontTable: wml('fontTable', 'fontTable'),
    theme: THEME,
    header: wml('story', 'header'),
    footer: wml('story', 'footer'),
    footnotes: wml('story', 'footnotes'),
    endnotes: wml('story', 'endnotes'),
    comments: wml('story', 'comments'),
    image: IMAGE,
  },
  story: { image: IMAGE },
  numbering: { image: IMAGE },
  theme: { image: IMAGE },
  settings: {},
  fontTable: {},
  plain: {},
  core: {},
  app: {},
  workbook: {
    worksheet: sml('worksheet', 'worksheet'),
    styles: sml('plain', 'styles'),
    sharedStrings: sml('plain', 'sharedStrings'),
    sheetMetadata: sml('plain', 'sheetMetadata'),
    theme: THEME,
  },
  worksheet: {
    drawing: { role: 'drawing', types: [CONTENT_TYPES.drawing] },
    table: sml('table', 'table'),
    image: IMAGE,
  },
  drawing: { image: IMAGE },
  table: {},
  image: {},
};

export interface PlannedPart {
  /** The ZIP item name as stored in the input. */
  readonly name: string;
  readonly contentType: string;
  readonly role: Role;
  /** Internal relationships kept, targets rewritten to the kept part's name. */
  readonly relationships: { id: string; type: string; part: string }[];
}

export interface ExternalRelationship {
  readonly source: string;
  readonly relationship: Relationship;
}

export interface PackagePlan {
  readonly kind: 'docx' | 'docm' | 'xlsx' | 'xlsm';
  readonly family: 'word' | 'sheet';
  readonly main: string;
  readonly parts: Map<string, PlannedPart>;
  readonly external: ExternalRelationship[];
  readonly types: ContentTypes;
}

/** Inflates and strictly parses one XML part; a missing part is undefined. */
export function readXml(zip: ZipArchive, name: string): XmlElement | undefined {
  const entry = zip.get(name);
  if (!entry || entry.isDirectory) return undefined;
  return parseXml(zip.read(entry), entry.name);
}

export interface MainPart {
  readonly kind: PackagePlan['kind'];
  readonly main: string;
  readonly types: ContentTypes;
  readonly rootRels: Relationship[];
}

/** §10.1.2.2 and §9.3: the content types stream and the package relationships name the main part. */
export function findMainPart(zip: ZipArchive): MainPart | undefined {
  const typesXml = readXml(zip, '[Content_Types].xml');
  const relsXml = readXml(zip, '_rels/.rels');
  if (!typesXml || !relsXml) return undefined;
  const types = parseContentTypes(typesXml);
  const rootRels = parseRelationships(relsXml, '_rels/.rels');
  const office = rootRels.find((r) => !r.external && relationshipKind(r.type) === 'officeDocument');
  const main = office && resolveTarget('', office.target);
  const entry = main === undefined ? undefined : zip.get(main);
  if (!entry) return undefined;
  const kind = MAIN_TYPES.get(contentTypeOf(types, entry.name)?.toLowerCase() ?? '');
  return kind && { kind, main: entry.name, types, rootRels };
}

export function planPackage(zip: ZipArchive): PackagePlan {
  const found = findMainPart(zip);
  if (!found) throw new Refusal('type-not-allowed', 'OOXML: the package has no Word or Excel main part');
  const { kind, main, types, rootRels } = found;
  const family = kind === 'docx' || kind === 'docm' ? 'word' : 'sheet';
  const parts = new Map<string, PlannedPart>();
  const external: ExternalRelationship[] = [];
  const queue: { name: string; role: Role; rels: Relationship[] }[] = [];

  const visit = (source: string, role: Role, rels: readonly Relationship[]) => {
    const kept: PlannedPart['relationships'] = [];
    for (const rel of rels) {
      if (rel.external) {
        external.push({ source, relationship: rel });
        continue;
      }
      const relKind = relationshipKind(rel.type);
      const target = resolveTarget(source, rel.target);
      const entry = target === undefined ? undefined : zip.get(target);
      if (!relKind || !entry || entry.isDirectory) continue;
      const contentType = contentTypeOf(types, entry.name);
      if (!contentType) continue;
      const isMain = role === 'root' && relKind === 'officeDocument' && entry.name === main;
      const rule = isMain
        ? { role: family === 'word' ? 'document' : 'workbook', types: [...MAIN_TYPES.keys()] }
        : POLICY[role][relKind];
      if (!rule?.types.includes(contentType.toLowerCase())) continue;
      kept.push({ id: rel.id, type: rel.type, part: entry.name });
      if (parts.has(entry.name) || queue.some((q) => q.name === entry.name)) continue;
      const relsXml = rule.role === 'image' ? undefined : readXml(zip, relsPartOf(entry.name));
      queue.push({
        name: entry.name,
        role: rule.role as Role,
        rels: relsXml ? parseRelationships(relsXml, relsPartOf(entry.name)) : [],
      });
    }
    return kept;
  };

  const rootKept = visit('', 'root', rootRels);
  parts.set('', { name: '', contentType: '', role: 'root', relationships: rootKept });
  for (let next = queue.shift(); next; next = queue.shift()) {
    // Registered before visiting so that cycles (a part reached again) end.
    const planned: PlannedPart = {
      name: next.name,
      contentType: contentTypeOf(types, next.name)!,
      role: next.role,
      relationships: [],
    };
    parts.set(next.name, planned);
    planned.relationships.push(...visit(next.name, next.role, next.rels));
  }
  if (!parts.has(main)) throw new Refusal('malformed', 'OOXML: the main part could not be kept');
  return { kind, family, main, parts, external, types };
}
