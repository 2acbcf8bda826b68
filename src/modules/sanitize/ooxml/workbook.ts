/**
 * The workbook part (ECMA-376 Part 1 §18.2). Sheets whose part was dropped (macro sheets,
 * dialog sheets, chart sheets) leave the sheet list; defined names (§18.2.5) that auto-run XLM
 * macros (Auto_Open …), hold a DDE or external formula, or belong to a dropped sheet go, and
 * the sheet indexes of the others (localSheetId) are renumbered.
 */
import { Refusal } from '../types.ts';
import { NS } from './namespaces.ts';
import type { RemovedTally } from './report.ts';
import { judgeFormula } from './sheet-formulas.ts';
import type { XmlElement } from './xml.ts';
import { childElements, descendants, is, rewrite, textOf } from './xml-write.ts';

const AUTO_RUN = /^(?:_xlnm\.)?auto_(?:open|close|activate|deactivate)/i;

export function cleanWorkbook(root: XmlElement, keptIds: ReadonlySet<string>, removed: RemovedTally): void {
  const sheets = childElements(root).find((e) => is(e, NS.s, 'sheets'));
  const list = sheets ? childElements(sheets).filter((e) => is(e, NS.s, 'sheet')) : [];
  const gone: number[] = [];
  list.forEach((sheet, index) => {
    const id = sheet.attributes.find((a) => a.local === 'id' && NS.r.has(a.ns))?.value;
    if (id === undefined || !keptIds.has(id)) gone.push(index);
  });
  if (list.length - gone.length === 0) {
    throw new Refusal('malformed', 'OOXML: the workbook has no worksheet that can be kept');
  }
  const goneSheets = new Set(gone.map((i) => list[i]!));
  const renumber = (old: number) => old - gone.filter((g) => g < old).length;

  rewrite(root, (e) => {
    if (goneSheets.has(e)) return [];
    if (is(e, NS.s, 'definedName')) {
      const name = e.attributes.find((a) => a.local === 'name' && a.ns === '')?.value ?? '';
      if (AUTO_RUN.test(name)) {
        removed.add('macro', 'Auto_Open name');
        return [];
      }
      const verdict = judgeFormula(textOf(e));
      if (verdict) {
        removed.add(verdict.kind, verdict.detail);
        return [];
      }
      const local = e.attributes.find((a) => a.local === 'localSheetId' && a.ns === '');
      if (local) {
        const index = Number(local.value);
        if (gone.includes(index)) return [];
        local.value = String(renumber(index));
      }
    }
    return [e];
  });
  // §18.2.6: definedNames holds at least one name.
  rewrite(root, (e) => (is(e, NS.s, 'definedNames') && childElements(e).length === 0 ? [] : [e]));
  if (gone.length > 0) {
    // The active and first visible tab may have been a dropped sheet: start at the first.
    for (const e of descendants(root)) {
      if (is(e, NS.s, 'workbookView')) {
        e.attributes = e.attributes.filter(
          (a) => a.ns !== '' || (a.local !== 'activeTab' && a.local !== 'firstSheet'),
        );
      }
    }
  }
}
