/**
 * Checks a sanitizer output as a consumer would, for tests: it must open with two independent
 * ZIP readers (ours and fflate's), every XML part must parse strictly (so no DTD), and the
 * package must be consistent: every part has a content type, every relationship is internal
 * and points at a part that exists, and every r:* reference in a part names one of its
 * relationships. Returns the parts for further assertions.
 */
import { strFromU8, unzipSync } from 'fflate';
import { expect } from 'vitest';
import { DEFAULT_LIMITS } from '../types.ts';
import { openZip } from '../zip/index.ts';
import { NS } from './namespaces.ts';
import { contentTypeOf, parseContentTypes, parseRelationships, relsPartOf, resolveTarget } from './opc.ts';
import { parseXml } from './xml.ts';
import { descendants } from './xml-write.ts';

export interface Inspected {
  readonly names: string[];
  text(name: string): string;
  /** All XML text of all parts, joined, for "nothing like this anywhere" assertions. */
  readonly allXml: string;
}

export function inspectPackage(output: Uint8Array): Inspected {
  const ours = openZip(output, DEFAULT_LIMITS);
  const files = unzipSync(output);
  const names = Object.keys(files);
  expect(ours.entries.map((e) => e.name).sort()).toEqual([...names].sort());
  expect(names[0]).toBe('[Content_Types].xml');

  const text = (name: string) => strFromU8(files[name]!);
  const types = parseContentTypes(parseXml(files['[Content_Types].xml']!, '[Content_Types].xml'));
  for (const name of names) {
    expect(name).not.toMatch(/vbaProject|vbaData|activeX|embeddings|externalLink|macrosheet/i);
    if (name !== '[Content_Types].xml') expect(contentTypeOf(types, name), name).toBeDefined();
    expect(contentTypeOf(types, name) ?? '').not.toMatch(/macroEnabled|vbaProject|activeX|oleObject/i);
    if (!/\.(xml|rels)$/.test(name)) continue;
    expect(text(name)).not.toMatch(/<!DOCTYPE|<!ENTITY/);
    const root = parseXml(files[name]!, name);
    if (name.endsWith('.rels')) continue;
    const relsName = relsPartOf(name);
    const rels = files[relsName] ? parseRelationships(parseXml(files[relsName]!, relsName), relsName) : [];
    const ids = new Set(rels.map((r) => r.id));
    for (const e of descendants(root)) {
      for (const a of e.attributes) {
        if (NS.r.has(a.ns)) expect(ids.has(a.value), `${name}: ${e.name} ${a.name}="${a.value}"`).toBe(true);
      }
    }
  }
  for (const name of names.filter((n) => n.endsWith('.rels'))) {
    expect(text(name)).not.toMatch(/TargetMode/);
    const source = name === '_rels/.rels' ? '' : name.replace(/_rels\/([^/]+)\.rels$/, '$1');
    for (const rel of parseRelationships(parseXml(files[name]!, name), name)) {
      expect(rel.external).toBe(false);
      const target = resolveTarget(source, rel.target);
      expect(target !== undefined && names.includes(target), `${name} → ${rel.target}`).toBe(true);
    }
  }
  const allXml = names
    .filter((n) => /\.(xml|rels)$/.test(n))
    .map(text)
    .join('\n');
  return { names, text, allXml };
}
