/**
 * The OOXML sanitizer (無害化 for DOCX and XLSX). The output is REBUILT, never patched: a new
 * ZIP with a new [Content_Types].xml and new relationship parts, holding only the parts the
 * allow-list reaches (package.ts), each XML part re-serialized from a strict parse after the
 * active content is taken out of it. Macro-enabled input (DOCM/XLSM) comes out as DOCX/XLSX.
 */
import { isRefusal, type Rebuilt, Refusal, type SanitizeLimits } from '../types.ts';
import { openZip, writeZip, type ZipArchive } from '../zip/index.ts';
import { classifyPart, isExternalLinkType, reportExternalLink } from './classify.ts';
import { cleanAppProperties, cleanCoreProperties, cleanSettings } from './metadata.ts';
import { OUTPUT_MAIN_TYPE, OUTPUT_MEDIA_TYPE } from './namespaces.ts';
import { contentTypeOf, hostOf, relsPartOf, writeContentTypes, writeRelationships } from './opc.ts';
import { type PackagePlan, type PlannedPart, planPackage, readXml } from './package.ts';
import { cleanReferences } from './references.ts';
import { RemovedTally } from './report.ts';
import { cleanSheetFormulas, cleanTable, dropWebPublishing } from './sheet-formulas.ts';
import { cleanFields } from './word-fields.ts';
import { cleanWorkbook } from './workbook.ts';
import type { XmlElement } from './xml.ts';
import { serializeXml } from './xml-write.ts';

export type OoxmlImageType = 'png' | 'jpeg';

export interface OoxmlOptions {
  /**
   * Re-encodes an embedded image (e.g. with the image sanitizer) and returns the new bytes, of
   * the same type. A Refusal drops the image. Without it, PNG/JPEG images pass as they are.
   */
  readonly sanitizeImage?: (bytes: Uint8Array, type: OoxmlImageType) => Promise<Uint8Array>;
}

interface OutputPart {
  readonly name: string;
  readonly contentType: string;
  readonly data: Uint8Array;
}

function imageType(bytes: Uint8Array): OoxmlImageType | undefined {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

interface Context {
  readonly zip: ZipArchive;
  readonly plan: PackagePlan;
  readonly removed: RemovedTally;
  readonly actions: string[];
  readonly warnings: string[];
}

/** Images first: one that fails its check is dropped, and with it the relationships to it. */
async function rebuildImages(ctx: Context, options: OoxmlOptions): Promise<OutputPart[]> {
  const out: OutputPart[] = [];
  let reencoded = 0;
  let passed = 0;
  for (const part of ctx.plan.parts.values()) {
    if (part.role !== 'image') continue;
    const bytes = ctx.zip.read(ctx.zip.get(part.name)!);
    const type = imageType(bytes);
    let data: Uint8Array | undefined = type && bytes;
    if (type && options.sanitizeImage) {
      try {
        data = await options.sanitizeImage(bytes, type);
        reencoded++;
      } catch (error) {
        if (!isRefusal(error)) throw error;
        ctx.warnings.push(
          `an image (${part.name}) could not be re-encoded and was removed: ${error.message}`,
        );
        data = undefined;
      }
    } else if (type) passed++;
    const outType = data && imageType(data);
    if (!data || !outType) {
      ctx.plan.parts.delete(part.name); // reported with the other dropped entries
      continue;
    }
    out.push({ name: part.name, contentType: outType === 'png' ? 'image/png' : 'image/jpeg', data });
  }
  for (const part of ctx.plan.parts.values()) {
    const kept = part.relationships.filter((r) => ctx.plan.parts.has(r.part));
    part.relationships.splice(0, part.relationships.length, ...kept);
  }
  if (reencoded > 0) ctx.actions.push(`re-encoded ${reencoded} embedded image(s)`);
  if (passed > 0) {
    ctx.warnings.push(
      `${passed} embedded PNG/JPEG image(s) were checked by signature only and passed as they are`,
    );
  }
  return out;
}

function cleanPart(ctx: Context, part: PlannedPart, root: XmlElement): void {
  const keptIds = new Set(part.relationships.map((r) => r.id));
  const { removed, actions } = ctx;
  switch (part.role) {
    case 'document':
    case 'story':
      cleanFields(root, removed);
      break;
    case 'settings': {
      const dropped = cleanSettings(root, removed);
      if (dropped.length > 0) actions.push(`removed from the Word settings: ${dropped.join(', ')}`);
      break;
    }
    case 'core': {
      const cleared = cleanCoreProperties(root);
      if (cleared.length > 0) actions.push(`cleared personal metadata: ${cleared.join(', ')}`);
      break;
    }
    case 'app': {
      const cleared = cleanAppProperties(root);
      if (cleared.length > 0) actions.push(`removed application properties: ${cleared.join(', ')}`);
      break;
    }
    case 'workbook':
      cleanWorkbook(root, keptIds, removed);
      cleanSheetFormulas(root, removed);
      dropWebPublishing(root, removed, hostOf);
      break;
    case 'worksheet':
      cleanSheetFormulas(root, removed);
      dropWebPublishing(root, removed, hostOf);
      break;
    case 'table':
      cleanTable(root);
      break;
    default:
      break;
  }
  cleanReferences(root, keptIds, removed);
}

/** A relationship target relative to its source part's folder (ECMA-376 Part 2 §9.3.4), as Office writes them. */
function relativeTarget(source: string, part: string): string {
  const from = source.split('/').slice(0, -1);
  const to = part.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.slice(common).map(() => '..');
  return [...up, ...to.slice(common)].map(encodeURIComponent).join('/');
}

export async function sanitizeOoxml(
  input: Uint8Array,
  limits: SanitizeLimits,
  options: OoxmlOptions = {},
): Promise<Rebuilt> {
  if (input.length > limits.maxBytes) {
    throw new Refusal('too-large', `the file has ${input.length} bytes; the limit is ${limits.maxBytes}`);
  }
  const zip = openZip(input, limits);
  const plan = planPackage(zip);
  const ctx: Context = { zip, plan, removed: new RemovedTally(), actions: [], warnings: [] };
  for (const { relationship } of plan.external)
    ctx.removed.add('external-relationship', hostOf(relationship.target));

  const parts: OutputPart[] = await rebuildImages(ctx, options);
  for (const part of plan.parts.values()) {
    if (part.role === 'root' || part.role === 'image') continue;
    const root = readXml(zip, part.name);
    if (!root) throw new Refusal('malformed', `OOXML: part ${part.name} is missing`);
    cleanPart(ctx, part, root);
    const contentType = part.name === plan.main ? OUTPUT_MAIN_TYPE[plan.family] : part.contentType;
    parts.push({ name: part.name, contentType, data: serializeXml(root) });
  }

  // Everything in the input not written is reported once, by what it was.
  const written = new Set(parts.map((p) => p.name.toLowerCase()));
  for (const entry of zip.entries) {
    const lower = entry.name.toLowerCase();
    if (entry.isDirectory || written.has(lower) || lower === '[content_types].xml' || lower.endsWith('.rels'))
      continue;
    const contentType = contentTypeOf(plan.types, entry.name) ?? '';
    if (isExternalLinkType(contentType)) reportExternalLink(zip, entry.name, ctx.removed);
    else ctx.removed.add(classifyPart(entry.name, contentType), entry.name);
  }

  // [Content_Types].xml, the package relationships and the main part first, as Office writes them.
  const ordered = parts.sort((a, b) =>
    a.name === plan.main ? -1 : b.name === plan.main ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const files: { name: string; data: Uint8Array }[] = [
    { name: '[Content_Types].xml', data: writeContentTypes(parts) },
  ];
  const addRelationships = (part: PlannedPart) => {
    const rels = part.relationships.map((r) => ({
      id: r.id,
      type: r.type,
      target: relativeTarget(part.name, r.part),
      external: false,
    }));
    if (rels.length > 0) files.push({ name: relsPartOf(part.name), data: writeRelationships(rels) });
  };
  addRelationships(plan.parts.get('')!);
  for (const part of ordered) {
    files.push(part);
    addRelationships(plan.parts.get(part.name)!);
  }
  const output = writeZip(files);

  const kind = plan.family === 'word' ? 'DOCX' : 'XLSX';
  ctx.actions.unshift(
    `rebuilt the ${kind} package from ${parts.length} allowed parts of ${zip.entries.length} ZIP entries, every XML part re-serialized from a strict parse`,
  );
  if (plan.kind === 'docm' || plan.kind === 'xlsm') {
    ctx.actions.push(`converted the macro-enabled ${plan.kind.toUpperCase()} into a plain ${kind}`);
  }
  return {
    output,
    mediaType: OUTPUT_MEDIA_TYPE[plan.family],
    actions: ctx.actions,
    removed: ctx.removed.list(),
    warnings: ctx.warnings,
  };
}
