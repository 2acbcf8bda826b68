/**
 * Checks the file's skeleton without trusting it: the header, the %%EOF markers (one per revision),
 * and the chain of cross-reference sections from `startxref` through each /Prev. A classic xref
 * table's in-use entries must each point at "N G obj" with the right number; where one does not,
 * readers (pdf.js included) silently rebuild the table by scanning, so the file is reported as
 * 'broken-xref': what a reader shows then depends on the reader, a known way to hide content.
 * Cross-reference streams are only checked for being where `startxref` says (their entries are
 * compressed; pdf-lib reads them anyway).
 */

export interface Structure {
  /** "%PDF-" within the first kilobyte, as readers accept. */
  readonly isPdf: boolean;
  readonly eofMarkers: number;
  /** Xref sections reached from startxref via /Prev. */
  readonly xrefSections: number;
  readonly linearized: boolean;
  /** Why the xref cannot be trusted, or undefined when it can. */
  readonly brokenXref?: string;
  /** Revisions appended after the first (0 for an ordinary file). */
  readonly incrementalUpdates: number;
}

const MAX_SECTIONS = 1000;
const MAX_ENTRIES_CHECKED = 100_000;

export function inspectStructure(bytes: Uint8Array): Structure {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const isPdf = text.slice(0, 1024).includes('%PDF-');
  const eofMarkers = text.match(/%%EOF/g)?.length ?? 0;
  const linearized = /^[\s\S]{0,1024}?\d+\s+\d+\s+obj\s*<<[^>]{0,200}\/Linearized/.test(text.slice(0, 2048));
  let xrefSections = 0;
  let brokenXref: string | undefined;
  const start = /startxref\s+(\d+)\s*%%EOF[\s\S]*$/.exec(text.slice(-4096));
  if (!start) brokenXref = 'no startxref at the end of the file';
  let offset = start ? Number(start[1]) : -1;
  const visited = new Set<number>();
  while (!brokenXref && offset >= 0 && xrefSections < MAX_SECTIONS) {
    if (visited.has(offset)) {
      brokenXref = 'the xref chain loops';
      break;
    }
    visited.add(offset);
    const section = readSection(text, offset);
    if (typeof section === 'string') {
      brokenXref = section;
      break;
    }
    xrefSections++;
    offset = section.prev ?? -1;
  }
  const revisions = Math.max(eofMarkers, xrefSections) - (linearized ? 1 : 0);
  return {
    isPdf,
    eofMarkers,
    xrefSections,
    linearized,
    incrementalUpdates: Math.max(0, revisions - 1),
    ...(brokenXref ? { brokenXref } : {}),
  };
}

/** Reads the xref section at `offset`: its /Prev, or a string saying what is wrong. */
function readSection(text: string, offset: number): { prev?: number } | string {
  if (offset >= text.length) return 'startxref points past the end of the file';
  const head = text.slice(offset, offset + 64);
  if (/^\s*xref/.test(head)) return readTable(text, offset + head.indexOf('xref') + 4);
  const obj = /^\s*(\d+)\s+(\d+)\s+obj\s*<</.exec(head);
  if (!obj) return 'startxref does not point at an xref section';
  const dictEnd = text.indexOf('stream', offset);
  const dict = text.slice(offset, dictEnd < 0 ? offset + 4096 : Math.min(dictEnd, offset + 65536));
  if (!/\/Type\s*\/XRef/.test(dict)) return 'startxref points at an object that is not an xref stream';
  return prevOf(dict);
}

function readTable(text: string, from: number): { prev?: number } | string {
  const re = /\s*(\d+)\s+(\d+)\s*\r?\n?|\s*trailer/y;
  const entry = /(\d{10})\s(\d{5})\s([nf])/y;
  re.lastIndex = from;
  let checked = 0;
  for (;;) {
    const sub = re.exec(text);
    if (!sub) return 'the xref table cannot be read';
    if (sub[1] === undefined) break; // "trailer"
    let num = Number(sub[1]);
    let at = re.lastIndex;
    for (let i = 0; i < Number(sub[2]); i++, num++) {
      while (/\s/.test(text[at] ?? '')) at++;
      entry.lastIndex = at;
      const e = entry.exec(text);
      if (!e) return 'the xref table cannot be read';
      at = entry.lastIndex;
      if (e[3] === 'n' && checked++ < MAX_ENTRIES_CHECKED && !objectAt(text, Number(e[1]), num)) {
        return `object ${num} is not where the xref table says`;
      }
    }
    re.lastIndex = at;
  }
  const trailerEnd = text.indexOf('startxref', re.lastIndex);
  return prevOf(text.slice(re.lastIndex, trailerEnd < 0 ? re.lastIndex + 4096 : trailerEnd));
}

function objectAt(text: string, offset: number, num: number): boolean {
  const m = /^\s*(\d+)\s+\d+\s+obj/.exec(text.slice(offset, offset + 40));
  return m !== null && Number(m[1]) === num;
}

function prevOf(dict: string): { prev?: number } {
  const m = /\/Prev\s+(\d+)/.exec(dict);
  return m ? { prev: Number(m[1]) } : {};
}
