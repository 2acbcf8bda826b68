import type { Procedure } from '../catalogue/load-catalogue.ts';
import { type FormData, isPlain, topKey, valueAt } from './form-schema.ts';

/** The registry facts a procedure's `prefill` may name (prefill/apply-prefill.ts fills them). */
const REGISTRY_SOURCES = new Set([
  'name',
  'nameKana',
  'birthDate',
  'sex',
  'postalCode',
  'address',
  'householdMembers',
]);

const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (isPlain(value) && Object.keys(value).length === 0);

/** The pointers of a procedure's form that the registry can fill. */
function registryPointers(procedure: Procedure): [pointer: string, source: string][] {
  return Object.entries(procedure.definition.prefill).filter(([, source]) => REGISTRY_SOURCES.has(source));
}

/**
 * Whether asking the registry is worth it for this draft: the form names registry facts and
 * at least one of their items is still empty (a resident who typed everything is not asked).
 */
export function registryWanted(procedure: Procedure, data: FormData): boolean {
  return registryPointers(procedure).some(([pointer]) => isEmpty(valueAt(data, pointer)));
}

/**
 * What the answer filled: anything at all, and whether the household table was among it
 * (within the given top-level items only, when `within` is given: a step's).
 */
export function whatWasFilled(
  procedure: Procedure,
  before: FormData,
  after: FormData,
  within?: readonly string[],
): { readonly any: boolean; readonly household: boolean } {
  const filled = registryPointers(procedure).filter(
    ([pointer]) =>
      (!within || within.includes(topKey(pointer))) &&
      isEmpty(valueAt(before, pointer)) &&
      !isEmpty(valueAt(after, pointer)),
  );
  return {
    any: filled.length > 0,
    household: filled.some(([, source]) => source === 'householdMembers'),
  };
}
