/**
 * Field codes in WordprocessingML (ECMA-376 Part 1 §17.16): simple fields (w:fldSimple,
 * §17.16.19) carry the instruction in w:instr; complex fields are runs of w:fldChar begin
 * (§17.16.18), w:instrText (§17.16.23), w:fldChar separate, the result runs, w:fldChar end.
 * Fields that reach outside the document or run something are removed, keeping the result the
 * document last displayed: DDE/DDEAUTO (the classic "DDE attack"), INCLUDETEXT, INCLUDEPICTURE,
 * IMPORT, LINK, DATABASE, … A field whose instruction contains another field is removed too:
 * nesting (e.g. QUOTE fields spelling "DDEAUTO") is how these attacks hide their name.
 */

import { NS } from './namespaces.ts';
import { hostOf } from './opc.ts';
import type { OoxmlRemovedKind, RemovedTally } from './report.ts';
import type { XmlElement } from './xml.ts';
import { attribute, childElements, descendants, is, rewrite, textOf } from './xml-write.ts';

/** Field name → how it is reported. Names per ECMA-376 Part 1 §17.16.5. */
const DANGEROUS: Readonly<Record<string, OoxmlRemovedKind>> = {
  DDE: 'dde',
  DDEAUTO: 'dde',
  INCLUDETEXT: 'dde',
  INCLUDEPICTURE: 'dde',
  INCLUDE: 'dde',
  IMPORT: 'dde',
  LINK: 'dde',
  DATABASE: 'dde',
  RD: 'dde',
  PRINT: 'dde',
  MACROBUTTON: 'macro',
  HYPERLINK: 'external-relationship',
};

interface Verdict {
  readonly kind: OoxmlRemovedKind;
  readonly detail: string;
}

/** What a field instruction does, if it is one we remove. Field names are case-insensitive. */
export function judgeInstruction(instruction: string, nested = false): Verdict | undefined {
  if (nested) return { kind: 'dde', detail: 'nested field' };
  const name = /^\s*([A-Za-z]+)/.exec(instruction)?.[1]?.toUpperCase();
  const kind = name === undefined ? undefined : DANGEROUS[name];
  if (!kind || !name) return undefined;
  if (name === 'HYPERLINK' && /^\s*HYPERLINK\s+\\l\b/i.test(instruction)) return undefined; // in-document
  if (kind === 'external-relationship') {
    const url = /"([^"]+)"/.exec(instruction)?.[1];
    return { kind, detail: url ? hostOf(url) : name };
  }
  return { kind, detail: name };
}

interface OpenField {
  instruction: string;
  nested: boolean;
  separated: boolean;
  /** Runs of the instruction part (begin … separate), removed if the field is. */
  readonly runs: Set<XmlElement>;
}

export function cleanFields(root: XmlElement, removed: RemovedTally): void {
  // Simple fields: unwrap to their result runs.
  rewrite(root, (e) => {
    if (!is(e, NS.w, 'fldSimple')) return [e];
    const verdict = judgeInstruction(attribute(e, 'instr', NS.w) ?? '');
    if (!verdict) return [e];
    removed.add(verdict.kind, verdict.detail);
    return e.children;
  });

  // Complex fields: follow fldChar/instrText through the runs in document order.
  const parents = new Map<XmlElement, XmlElement>();
  for (const e of descendants(root)) for (const c of childElements(e)) parents.set(c, e);
  const runOf = (e: XmlElement) => {
    const parent = parents.get(e);
    return parent && is(parent, NS.w, 'r') ? parent : e;
  };
  const doomed = new Set<XmlElement>();
  const stack: OpenField[] = [];
  const inInstructions = (run: XmlElement) => {
    for (const field of stack) if (!field.separated) field.runs.add(run);
  };
  const close = (field: OpenField) => {
    const verdict = judgeInstruction(field.instruction, field.nested);
    if (!verdict) return false;
    removed.add(verdict.kind, verdict.detail);
    for (const run of field.runs) doomed.add(run);
    return true;
  };
  for (const e of descendants(root)) {
    if (is(e, NS.w, 'instrText') || is(e, NS.w, 'delInstrText')) {
      const top = stack[stack.length - 1];
      if (top && !top.separated) top.instruction += textOf(e);
      inInstructions(runOf(e));
      continue;
    }
    if (!is(e, NS.w, 'fldChar')) continue;
    const type = attribute(e, 'fldCharType', NS.w);
    const run = runOf(e);
    if (type === 'begin') {
      const top = stack[stack.length - 1];
      if (top && !top.separated) top.nested = true;
      inInstructions(run);
      stack.push({ instruction: '', nested: false, separated: false, runs: new Set([run]) });
    } else if (type === 'separate') {
      inInstructions(run);
      const top = stack[stack.length - 1];
      if (top) top.separated = true;
    } else if (type === 'end') {
      const field = stack.pop();
      if (!field) continue;
      // The end mark goes with the field; alone in its run (as Word writes it), the run goes.
      if (field.separated) field.runs.add(e);
      else field.runs.add(run);
      inInstructions(run);
      close(field);
    }
  }
  // Fields never ended: judged on what they have.
  for (const field of stack) close(field);
  if (doomed.size === 0) return;
  const emptied = new Set<XmlElement>();
  for (const e of doomed) if (is(e, NS.w, 'fldChar')) emptied.add(runOf(e));
  rewrite(root, (e) => {
    if (doomed.has(e)) return [];
    // A run left with only its properties after its field mark went is removed.
    if (emptied.has(e) && childElements(e).every((c) => is(c, NS.w, 'rPr'))) return [];
    return [e];
  });
}
