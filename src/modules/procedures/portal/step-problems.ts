import type { FieldError } from '../catalogue/form-validator.ts';
import type { Procedure } from '../catalogue/load-catalogue.ts';
import type { FormData } from './form-schema.ts';
import { topKey } from './form-schema.ts';

/** One problem per item: the first the check names (a pattern before a length, say). */
function firstPerPath(errors: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => !seen.has(error.path) && seen.add(error.path));
}

/**
 * What is wrong with one step: the catalogue's own check of the whole filing (its Japanese
 * messages), kept to the step's items, after the values the page could not read as typed
 * (a number with letters in it). Items of other steps wait for their own pages.
 */
export function stepProblems(
  procedure: Procedure,
  data: FormData,
  fields: readonly string[],
  unread: readonly FieldError[],
): FieldError[] {
  const own = new Set(unread.map((problem) => problem.path));
  const checked = procedure
    .validate(data)
    .filter((error) => fields.includes(topKey(error.path)) && !own.has(error.path));
  return firstPerPath([...unread, ...checked]);
}

/** What is wrong with the whole filing, one problem per item. */
export function filingProblems(procedure: Procedure, data: FormData): FieldError[] {
  return firstPerPath(procedure.validate(data));
}

/** The step (0-based) that asks for a top-level item, or 0. */
export function stepOf(procedure: Procedure, key: string): number {
  const index = procedure.definition.layout.steps.findIndex((step) => step.fields.includes(key));
  return Math.max(0, index);
}
