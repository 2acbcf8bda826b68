import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { ZoneName } from '../../core/index.ts';
import { requireChannel } from './channels.ts';

export interface Route {
  readonly from: ZoneName;
  readonly to: ZoneName;
}

/** One version of one kind of message: the schema its payload must match and the routes it may take. */
export interface MessageType<S extends TSchema = TSchema> {
  readonly type: string;
  readonly version: number;
  readonly payload: S;
  readonly routes: readonly Route[];
  /** Whether the envelope must name a municipality (most messages are one tenant's business). */
  readonly tenant: 'required' | 'none';
  /** Set on a type whose every message carries bytes (a file) beside its payload: at most this many. */
  readonly attachment?: { readonly maxBytes: number };
  check(payload: unknown): payload is Static<S>;
  errors(payload: unknown): { path: string; problem: string }[];
}

export interface MessageTypeDefinition<S extends TSchema> {
  readonly type: string;
  readonly version: number;
  readonly payload: S;
  readonly routes: readonly Route[];
  readonly tenant: 'required' | 'none';
  readonly attachment?: { readonly maxBytes: number };
}

/**
 * Declares a message type. Every route must be a channel that exists, and a type
 * that enters from the internet must have a closed, bounded schema: text crossing
 * inward is validated against it and nothing else gets through (無害化 of text).
 */
export function defineMessageType<S extends TSchema>(definition: MessageTypeDefinition<S>): MessageType<S> {
  for (const route of definition.routes) requireChannel(route.from, route.to);
  // Attachments travel in push calls only: an outbox row holds JSON.
  if (definition.attachment)
    for (const route of definition.routes) requireChannel(route.from, route.to, 'push');
  if (definition.routes.some((route) => route.from === 'internet')) {
    const loose = looseParts(definition.payload as unknown as SchemaNode, 'payload');
    if (loose.length > 0) {
      throw new Error(`${definition.type} v${definition.version} enters from the internet, so ${loose[0]}.`);
    }
  }
  const compiled = Compile(definition.payload);
  return {
    ...definition,
    check: (payload): payload is Static<S> => compiled.Check(payload),
    // Paths and rule names only: error messages never echo the values, which may be personal data.
    errors: (payload) =>
      compiled.Errors(payload).map((error) => ({ path: error.instancePath || '/', problem: error.message })),
  };
}

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  maxItems?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: SchemaNode[];
}

/** Where a schema lets unbounded or undeclared input through. */
function looseParts(node: SchemaNode, at: string): string[] {
  const found: string[] = [];
  if (node.anyOf) for (const branch of node.anyOf) found.push(...looseParts(branch, at));
  if (node.type === 'object') {
    if (node.additionalProperties !== false) found.push(`${at} must set additionalProperties: false`);
    for (const [name, child] of Object.entries(node.properties ?? {}))
      found.push(...looseParts(child, `${at}.${name}`));
  }
  if (node.type === 'array') {
    if (node.maxItems === undefined) found.push(`${at} must set maxItems`);
    if (node.items) found.push(...looseParts(node.items, `${at}[]`));
  }
  if (node.type === 'string' && node.const === undefined && !node.enum && node.maxLength === undefined) {
    found.push(`${at} must set maxLength`);
  }
  if (node.type === undefined && !node.anyOf && node.const === undefined && !node.enum) {
    found.push(`${at} must have a type`);
  }
  return found;
}
