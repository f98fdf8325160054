import { readdirSync, readFileSync } from 'node:fs';
import { parseToolkit } from '../toolkits/parse.js';
import type { Toolkit } from '../toolkits/schema.js';
import { type TaskMapping, taskMappingSchema, UNIFIED_OPERATIONS, type UnifiedOperation } from './schema.js';

const DIR = new URL('../../unified/tasks/', import.meta.url);

/** The toolkit id of the unified tools and the pseudo-provider they name (no connection is of it). */
export const UNIFIED_TOOLKIT_ID = 'unified';
export const UNIFIED_PROVIDER = 'unified';

interface OperationsFile {
  common: Record<string, Record<string, unknown>>;
  operations: Record<
    UnifiedOperation,
    { name: string; description: string; risk: 'read' | 'write'; input: Record<string, unknown> }
  >;
}

let cache: { mappings: ReadonlyMap<string, TaskMapping>; toolkit: Toolkit } | undefined;

/** Each ticketing provider's mapping, keyed by provider id. A broken file is a bug: it throws. */
export function builtInTaskMappings(): ReadonlyMap<string, TaskMapping> {
  return loaded().mappings;
}

/**
 * The unified tools as a toolkit, so the catalog, discovery, MCP and Cedar see them like any tool.
 * They never reach an upstream themselves: the broker's `resolveUnified` step replaces each call by
 * its provider tool's call before any request is built. `http` (every tool has one) is the unified
 * call's canonical form, all arguments in a JSON body under `/unified/<operation>`: never sent.
 */
export function unifiedTasksToolkit(): Toolkit {
  return loaded().toolkit;
}

/** `unified.tasks.create` → `tasks.create`; undefined for any other slug. */
export function unifiedOperationOf(slug: string): UnifiedOperation | undefined {
  const op = slug.startsWith(`${UNIFIED_TOOLKIT_ID}.`) ? slug.slice(UNIFIED_TOOLKIT_ID.length + 1) : '';
  return (UNIFIED_OPERATIONS as readonly string[]).includes(op) ? (op as UnifiedOperation) : undefined;
}

function loaded(): NonNullable<typeof cache> {
  if (cache) return cache;
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'operations.json');
  const mappings = new Map<string, TaskMapping>();
  for (const file of files.sort()) {
    const parsed = taskMappingSchema.safeParse(JSON.parse(readFileSync(new URL(file, DIR), 'utf8')));
    if (!parsed.success) throw new Error(`Invalid unified mapping ${file}: ${parsed.error.message}`);
    mappings.set(parsed.data.provider, parsed.data);
  }
  const ops = JSON.parse(readFileSync(new URL('operations.json', DIR), 'utf8')) as OperationsFile;
  // Named by toolkit (jira, not atlassian): what a user calls the tool.
  const providers = [...mappings.values()].map((m) => m.toolkit);
  const toolkit = parseToolkit({
    id: UNIFIED_TOOLKIT_ID,
    displayName: 'Unified tasks',
    description: `One task API over every ticketing connection (${providers.join(', ')}).`,
    provider: UNIFIED_PROVIDER,
    tools: UNIFIED_OPERATIONS.map((op) => {
      const o = ops.operations[op];
      const input = o.input as { properties: Record<string, unknown>; required?: string[] };
      const names = [...Object.keys(input.properties), 'provider'];
      return {
        slug: `${UNIFIED_TOOLKIT_ID}.${op}`,
        name: o.name,
        description: `${o.description} Works with ${providers.join(', ')}; pass provider when the user has several.`,
        input: {
          ...input,
          properties: { ...input.properties, provider: { ...ops.common.provider, enum: providers } },
          additionalProperties: false,
        },
        scopes: [],
        risk: o.risk,
        idempotent: o.risk === 'read',
        http: {
          method: 'POST',
          path: `/unified/${op}`,
          body: { fields: Object.fromEntries(names.map((n) => [n, n])) },
        },
      };
    }),
  });
  if (!parsed(toolkit)) throw new Error(`Invalid unified toolkit: ${toolkit.error.message}`);
  cache = { mappings, toolkit: toolkit.value };
  return cache;
}

const parsed = <T, E>(r: { ok: true; value: T } | { ok: false; error: E }): r is { ok: true; value: T } =>
  r.ok;
