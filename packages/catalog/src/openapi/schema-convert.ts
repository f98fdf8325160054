import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isRecord } from '../toolkits/dotted-path.js';
import { resolvePointer } from './refs.js';

export type SpecContext = { spec: unknown; version: '3.0' | '3.1' };
type Schema = Record<string, unknown> | boolean;

/**
 * OpenAPI Schema Objects as lean JSON Schema 2020-12 tool input: local `$ref`s inlined (a `$ref`
 * back into its own expansion becomes `{}`, "anything", so recursive types end), 3.0 `nullable` and
 * boolean `exclusiveMinimum/Maximum` translated, read-only properties dropped (they are never
 * sent), and everything that is not validation or description left out (examples, `x-` extensions,
 * `xml`, `discriminator`, titles) so tool definitions stay small.
 */
export function convertSchema(node: unknown, ctx: SpecContext, stack: readonly string[] = []): Schema {
  if (typeof node === 'boolean') return node;
  if (!isRecord(node)) return {};
  if (stack.length > 64) return {};
  if (typeof node['$ref'] === 'string') {
    const ref = node['$ref'];
    if (stack.includes(ref)) return {};
    const target = convertSchema(resolvePointer(ctx.spec, ref), ctx, [...stack, ref]);
    // 3.1 allows keywords next to $ref (a local description); in 3.0 they are ignored.
    const { $ref: _, ...siblings } = node;
    if (ctx.version === '3.0' || Object.keys(siblings).length === 0 || typeof target === 'boolean')
      return target;
    return { ...target, ...(convertSchema(siblings, ctx, stack) as Record<string, unknown>) };
  }

  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (KEEP.has(key)) {
      if (key === 'format' && !(typeof value === 'string' && Object.hasOwn(fullFormats, value))) continue;
      out[key] = value;
    } else if (SCHEMA.has(key)) {
      out[key] = convertSchema(value, ctx, stack);
    } else if (SCHEMA_LIST.has(key) && Array.isArray(value)) {
      out[key] = value.map((v) => convertSchema(v, ctx, stack));
    } else if (SCHEMA_MAP.has(key) && isRecord(value)) {
      out[key] = mapValues(value, (v) => convertSchema(v, ctx, stack));
    } else if (key === 'items') {
      // 3.0 and draft-04 style tuples: an array of schemas is 2020-12 prefixItems.
      if (Array.isArray(value)) out['prefixItems'] = value.map((v) => convertSchema(v, ctx, stack));
      else out['items'] = convertSchema(value, ctx, stack);
    } else if (key === 'properties' && isRecord(value)) {
      const kept = Object.entries(value).filter(([, v]) => !isReadOnly(v, ctx));
      out['properties'] = Object.fromEntries(kept.map(([k, v]) => [k, convertSchema(v, ctx, stack)]));
    }
  }
  if (isRecord(out['properties']) && Array.isArray(out['required'])) {
    const properties = out['properties'];
    const required = out['required'].filter((r) => typeof r === 'string' && Object.hasOwn(properties, r));
    if (required.length > 0) out['required'] = required;
    else delete out['required'];
  }
  if (ctx.version === '3.0') {
    translateExclusive(out, 'exclusiveMinimum', 'minimum');
    translateExclusive(out, 'exclusiveMaximum', 'maximum');
    if (node['nullable'] === true) return nullable(out);
  }
  return out;
}

/** 3.0 `nullable: true` in 2020-12 terms (OpenAPI 3.1 §4.8.24 migration notes). */
function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  const { type } = schema;
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(null))
    schema['enum'] = [...schema['enum'], null];
  if (typeof type === 'string') {
    schema['type'] = [type, 'null'];
  } else if (Array.isArray(type)) {
    if (!type.includes('null')) schema['type'] = [...type, 'null'];
  } else {
    for (const key of ['oneOf', 'anyOf'] as const) {
      const list = schema[key];
      if (Array.isArray(list)) {
        schema[key] = [...list, { type: 'null' }];
        return schema;
      }
    }
    // Untyped with other constraints (allOf, const): allow null beside whatever it says.
    if (schema['allOf'] !== undefined || schema['const'] !== undefined) {
      const { description, ...rest } = schema;
      return { ...(description === undefined ? {} : { description }), anyOf: [rest, { type: 'null' }] };
    }
  }
  return schema;
}

function translateExclusive(schema: Record<string, unknown>, key: string, bound: string): void {
  if (schema[key] === true && typeof schema[bound] === 'number') {
    schema[key] = schema[bound];
    delete schema[bound];
  } else if (typeof schema[key] === 'boolean') {
    delete schema[key];
  }
}

function isReadOnly(node: unknown, ctx: SpecContext): boolean {
  const resolved =
    isRecord(node) && typeof node['$ref'] === 'string' ? resolvePointer(ctx.spec, node['$ref']) : node;
  return isRecord(resolved) && resolved['readOnly'] === true;
}

function mapValues(value: Record<string, unknown>, fn: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)]));
}

// Validation and description keywords kept verbatim.
const KEEP = new Set([
  'type',
  'enum',
  'const',
  'format',
  'description',
  'default',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
]);
const SCHEMA = new Set([
  'additionalProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedProperties',
  'unevaluatedItems',
]);
const SCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_MAP = new Set(['patternProperties', 'dependentSchemas']);
