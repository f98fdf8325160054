import { z } from 'zod';
import { namedSchemas } from '../responses.js';

export type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

/**
 * Converts many zod schemas at once with zod's own JSON Schema conversion, so the named ones
 * (`named()` in responses.ts) become `$ref`s to `#/components/schemas/<id>` wherever they appear.
 * With `withNamed` false, named schemas are inlined (request schemas: the components describe
 * what the server sends).
 */
export function toJsonSchemas(
  schemas: ReadonlyMap<string, z.ZodType>,
  io: 'input' | 'output',
  withNamed: boolean,
): { schemas: Map<string, JsonSchema>; named: Map<string, JsonSchema> } {
  const registry = z.registry<{ id: string }>();
  const idOf = new Map<z.ZodType, string>();
  if (withNamed) {
    for (const [id, schema] of namedSchemas) {
      registry.add(schema, { id });
      idOf.set(schema, id);
    }
  }
  const keyId = (key: string) => `op_${key.replace(/[^A-Za-z0-9]/g, '_')}`;
  // A clone per entry: a schema used whole by one route and nested in another (a shared
  // `jsonObject`) must be inlined in the second, not turned into a $ref to the first's entry.
  for (const [key, schema] of schemas)
    if (!idOf.has(schema)) registry.add(schema.clone(), { id: keyId(key) });
  const converted = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `${COMPONENTS}${id}`,
  }).schemas as Record<string, JsonSchema>;
  const clean = (s: JsonSchema): JsonSchema => {
    const { $schema: _s, $id: _i, id: _d, ...rest } = s;
    return rest;
  };
  const out = new Map<string, JsonSchema>();
  for (const [key, schema] of schemas) {
    const named = idOf.get(schema);
    out.set(key, named ? { $ref: `${COMPONENTS}${named}` } : clean(converted[keyId(key)]!));
  }
  const named = new Map<string, JsonSchema>();
  for (const id of idOf.values()) named.set(id, clean(converted[id]!));
  return { schemas: out, named };
}
