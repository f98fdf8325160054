import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { builtInProviders } from '../providers/registry.js';
import type { ProviderDefinition } from '../providers/schema.js';
import { withCompilationDeferred } from './arguments.js';
import { builtToolkit } from './build-cache.js';
import { parseToolkit } from './parse.js';
import type { ToolDefinition, Toolkit } from './schema.js';

const TOOLKIT_DIRS = [
  new URL('../../toolkits/', import.meta.url),
  new URL('../../toolkits/generated/', import.meta.url),
];

export type BuiltInTool = { toolkit: Toolkit; tool: ToolDefinition };

// The sha256 of the file each loaded toolkit was read from (the build's record is keyed by it).
const sourceDigests = new WeakMap<Toolkit, string>();

/** The digest of the file a toolkit was loaded from by `loadToolkitDirectories` (undefined otherwise). */
export const sourceDigestOf = (toolkit: Toolkit): string | undefined => sourceDigests.get(toolkit);

let cache: { toolkits: ReadonlyMap<string, Toolkit>; tools: ReadonlyMap<string, BuiltInTool> } | undefined;

/**
 * Every shipped toolkit, hand-written and generated, validated once on first use. A broken file is
 * a bug in this package, so it throws (naming the file and the path) instead of returning a Result.
 */
export function builtInToolkits(): ReadonlyMap<string, Toolkit> {
  return loaded().toolkits;
}

export function getBuiltInTool(slug: string): BuiltInTool | undefined {
  return loaded().tools.get(slug);
}

export function builtInTools(): BuiltInTool[] {
  return [...loaded().tools.values()];
}

/** The provider whose toolkits exist only where the sandbox runs (dev `--sandbox`, tests, benchmarks). */
export const SANDBOX_PROVIDER = 'sandbox';

/**
 * The shipped toolkits a server's catalog starts from. The sandbox's toolkits (`acme`) are left out
 * unless the process runs the sandbox provider: a production catalog has no demo tools.
 */
export function loadBuiltInToolkits(options: { sandbox: boolean }): ReadonlyMap<string, Toolkit> {
  const all = loaded().toolkits;
  if (options.sandbox) return all;
  return new Map([...all].filter(([, toolkit]) => toolkit.provider !== SANDBOX_PROVIDER));
}

function loaded(): NonNullable<typeof cache> {
  if (!cache) {
    const toolkits = withCompilationDeferred(() => loadToolkitDirectories(TOOLKIT_DIRS, builtInProviders()));
    const tools = new Map<string, BuiltInTool>();
    for (const toolkit of toolkits.values()) {
      for (const tool of toolkit.tools) tools.set(tool.slug, { toolkit, tool });
    }
    cache = { toolkits, tools };
  }
  return cache;
}

/** Loads `<id>.json` files and checks them against the providers they call. */
export function loadToolkitDirectories(
  dirs: readonly URL[],
  providers: ReadonlyMap<string, ProviderDefinition>,
): ReadonlyMap<string, Toolkit> {
  const toolkits = new Map<string, Toolkit>();
  for (const dir of dirs) {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    for (const file of files) {
      const bytes = readBytes(new URL(file, dir), file);
      const digest = createHash('sha256').update(bytes).digest('hex');
      // Bytes the build already validated: its parse is used (see build-cache.ts), the file is not decoded.
      let toolkit = builtToolkit(digest);
      if (!toolkit) {
        const parsed = parseToolkit(parseJson(bytes.toString('utf8'), file));
        if (!parsed.ok) throw invalid(file, parsed.error.message);
        toolkit = parsed.value;
      }
      const expectedId = file.slice(0, -'.json'.length);
      if (toolkit.id !== expectedId)
        throw invalid(file, `id: must be "${expectedId}" to match the file name`);
      if (toolkits.has(toolkit.id)) throw invalid(file, `id: ${toolkit.id} is defined twice`);
      const provider = providers.get(toolkit.provider);
      if (!provider) throw invalid(file, `provider: ${toolkit.provider} is not a built-in provider`);
      const problem = toolkitProviderMismatch(toolkit, provider);
      if (problem) throw invalid(file, problem);
      sourceDigests.set(toolkit, digest);
      toolkits.set(toolkit.id, toolkit);
    }
  }
  return toolkits;
}

/**
 * Tools must ask for scopes the provider knows, must not set the header the token goes in, and may
 * only call another base URL than the provider's when the provider lists it.
 * Returns the problem (with the path to fix), or undefined when the toolkit fits the provider.
 */
export function toolkitProviderMismatch(toolkit: Toolkit, provider: ProviderDefinition): string | undefined {
  const vocabulary = new Set(provider.oauth2?.scopes.map((s) => s.name) ?? []);
  const authHeader = provider.api.authHeader.name.toLowerCase();
  // The credential goes wherever the tools call: only to hosts the provider definition vouches for.
  if (toolkit.baseUrl !== undefined && !(provider.api.additionalBaseUrls ?? []).includes(toolkit.baseUrl))
    return `baseUrl: ${toolkit.baseUrl} is not one of ${provider.id}'s api.additionalBaseUrls`;
  for (const [i, tool] of toolkit.tools.entries()) {
    const unknown = vocabulary.size > 0 ? tool.scopes.find((s) => !vocabulary.has(s)) : undefined;
    if (unknown !== undefined) return `tools[${i}].scopes: ${unknown} is not a scope of ${provider.id}`;
    const header = Object.keys(tool.http.headers ?? {}).find((h) => h.toLowerCase() === authHeader);
    if (header !== undefined) return `tools[${i}].http.headers.${header}: carries the ${provider.id} token`;
  }
  return undefined;
}

function readBytes(url: URL, file: string): Buffer {
  try {
    return readFileSync(url);
  } catch (cause) {
    throw new Error(`Invalid toolkit file ${file}: not readable JSON`, { cause });
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new Error(`Invalid toolkit file ${file}: not readable JSON`, { cause });
  }
}

function invalid(file: string, message: string): Error {
  return new Error(`Invalid toolkit file ${file}: ${message}`);
}
