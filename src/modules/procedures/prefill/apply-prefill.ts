import type { Procedure } from '../catalogue/load-catalogue.ts';
import { type FormData, type FormNode, isPlain, nodeAt } from '../portal/form-schema.ts';
import type { PrefillAnswer, PrefillMember, PrefillPerson } from './prefill-store.ts';

/** ISO/IEC 5218 as the forms write it; 9 (not applicable) leaves the choice to the resident. */
const SEX_WORDS: Record<string, string> = { '1': 'male', '2': 'female' };

/** The registry's sex code as the item takes it: one of its enum values, or nothing. */
function sexFor(node: FormNode | undefined, code: '1' | '2' | '9'): string | undefined {
  const allowed = node?.enum;
  if (!allowed) return undefined;
  if (allowed.includes(code)) return code;
  const word = SEX_WORDS[code];
  return word !== undefined && allowed.includes(word) ? word : undefined;
}

/** 1000001 → 100-0001, as the forms' hint shows it (their pattern takes either). */
const postalCodeText = (digits: string) => `${digits.slice(0, 3)}-${digits.slice(3)}`;

function personValue(source: string, person: PrefillPerson, node: FormNode | undefined): string | undefined {
  switch (source) {
    case 'name':
      return person.name;
    case 'nameKana':
      return person.nameKana;
    case 'birthDate':
      return person.birthDate;
    case 'sex':
      return sexFor(node, person.sex);
    case 'postalCode':
      return person.postalCode === null ? undefined : postalCodeText(person.postalCode);
    case 'address':
      return person.address;
    default:
      return undefined;
  }
}

/** A member as a row of the form's household table: the items whose names match, no others. */
function memberRow(member: PrefillMember, item: FormNode | undefined): Record<string, unknown> {
  const properties = item?.properties ?? {};
  const row: Record<string, unknown> = {};
  for (const key of ['name', 'nameKana', 'birthDate', 'relationship'] as const) {
    if (key in properties) row[key] = member[key];
  }
  if ('sex' in properties) {
    const sex = sexFor(properties.sex, member.sex);
    if (sex !== undefined) row.sex = sex;
  }
  return row;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isPlain(value) && Object.keys(value).length === 0)
  );
}

/** Sets `value` at a pointer of plain objects (made as needed), unless something is there already. */
function setIfEmpty(data: FormData, pointer: string, value: unknown): void {
  const segments = pointer.split('/').slice(1);
  let node: Record<string, unknown> = data;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (next === undefined || next === null) node[segment] = {};
    else if (!isPlain(next)) return;
    node = node[segment] as Record<string, unknown>;
  }
  const last = segments.at(-1)!;
  if (isEmpty(node[last])) node[last] = value;
}

/**
 * ワンスオンリー: a form's data filled from the registry's answer, following the procedure's
 * `prefill` pointers — the resident's own facts where a pointer names one, the 世帯 as rows of
 * the household table (name, kana, birth date, sex, 続柄 where the rows have items of those
 * names; as many as the table takes). Only empty items are filled: what the resident typed
 * stays. `data` is not changed; a new object is returned. An answer that found no one (or a
 * missing fact) leaves the items empty, to be typed. Note that a member's 続柄 is to the head of
 * household, as the 住民票 has it, not to the applicant.
 */
export function applyPrefill(procedure: Procedure, prefill: PrefillAnswer, data: FormData = {}): FormData {
  const filled = structuredClone(data);
  const schema = procedure.definition.schema as FormNode;
  for (const [pointer, source] of Object.entries(procedure.definition.prefill)) {
    const node = nodeAt(schema, pointer);
    if (source === 'householdMembers') {
      if (!prefill.found || prefill.householdMembers.length === 0 || node?.type !== 'array') continue;
      const rows = prefill.householdMembers
        .slice(0, node.maxItems ?? prefill.householdMembers.length)
        .map((member) => memberRow(member, node.items));
      setIfEmpty(filled, pointer, rows);
      continue;
    }
    if (!prefill.person) continue;
    const value = personValue(source, prefill.person, node);
    if (value !== undefined) setIfEmpty(filled, pointer, value);
  }
  return filled;
}
