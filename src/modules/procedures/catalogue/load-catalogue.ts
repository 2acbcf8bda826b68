import { readdirSync, readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { Compile } from 'typebox/compile';
import { ProcedureDefinition } from './definition.ts';
import { createFormAjv, describeErrors, type FieldError, type SchemaNode } from './form-validator.ts';

const DATA = new URL('./data/', import.meta.url);
const checkDefinition = Compile(ProcedureDefinition);

/** A procedure ready to use: its definition and its form's compiled check. */
export interface Procedure {
  readonly definition: ProcedureDefinition;
  /** The filing's problems, each naming its item; empty when it may be filed. */
  validate(data: unknown): FieldError[];
}

function pointerExists(schema: Record<string, unknown>, pointer: string): boolean {
  let node: unknown = schema;
  for (const key of pointer.split('/').slice(1)) {
    const properties = (node as { properties?: Record<string, unknown>; items?: unknown }).properties;
    node =
      properties?.[key] ??
      (node as { items?: { properties?: Record<string, unknown> } }).items?.properties?.[key];
    if (!node) return false;
  }
  return true;
}

/** Checks what JSON Schema alone cannot: the pages and the prefill name items that exist. */
function checkCoherence(definition: ProcedureDefinition): void {
  const properties = (definition.schema.properties ?? {}) as Record<string, unknown>;
  for (const step of definition.layout.steps) {
    for (const field of step.fields) {
      if (!(field in properties))
        throw new Error(`${definition.id}: layout names "${field}", not in the schema`);
    }
  }
  for (const pointer of Object.keys(definition.prefill)) {
    if (!pointerExists(definition.schema, pointer))
      throw new Error(`${definition.id}: prefill ${pointer} is not in the schema`);
  }
  const ids = definition.attachments.map((a) => a.id);
  if (new Set(ids).size !== ids.length) throw new Error(`${definition.id}: attachment ids repeat`);
}

let loaded: ReadonlyMap<string, Procedure> | undefined;

/**
 * The catalogue: every data file read, checked (its own shape, a strict JSON Schema, coherent
 * pages and prefill) and its form compiled. A broken data file stops the start: better than a
 * form that accepts anything. Done once per process (a few hundred ms): the files ship with
 * the code, and the zones of one process (npm start, tests) share the result.
 */
export function loadCatalogue(): ReadonlyMap<string, Procedure> {
  loaded ??= readCatalogue();
  return loaded;
}

function readCatalogue(): ReadonlyMap<string, Procedure> {
  const ajv = createFormAjv();
  const procedures = new Map<string, Procedure>();
  for (const file of readdirSync(DATA)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const raw: unknown = JSON.parse(readFileSync(new URL(file, DATA), 'utf8'));
    if (!checkDefinition.Check(raw)) {
      const first = [...checkDefinition.Errors(raw)][0];
      throw new Error(
        `catalogue/data/${file}: ${first?.instancePath ?? ''} ${first?.message ?? 'is not a procedure'}`,
      );
    }
    const definition = raw as ProcedureDefinition;
    if (`${definition.id}.json` !== file)
      throw new Error(`catalogue/data/${file}: its id is ${definition.id}`);
    checkCoherence(definition);
    const check: ValidateFunction = ajv.compile(definition.schema);
    procedures.set(definition.id, {
      definition,
      validate(data) {
        return check(data) ? [] : describeErrors(check.errors ?? [], definition.schema as SchemaNode);
      },
    });
  }
  return procedures;
}
