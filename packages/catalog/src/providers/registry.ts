import { readdirSync, readFileSync } from 'node:fs';
import { parseProviderDefinition } from './parse.js';
import type { ProviderDefinition } from './schema.js';

const PROVIDERS_DIR = new URL('../../providers/', import.meta.url);

let cache: ReadonlyMap<string, ProviderDefinition> | undefined;

/**
 * Every shipped provider, validated once on first use. A broken data file is a bug in this package,
 * so it throws (naming the file and the path) instead of returning a Result.
 */
export function builtInProviders(): ReadonlyMap<string, ProviderDefinition> {
  cache ??= loadDirectory(PROVIDERS_DIR);
  return cache;
}

export function getBuiltInProvider(id: string): ProviderDefinition | undefined {
  return builtInProviders().get(id);
}

export function loadDirectory(dir: URL): ReadonlyMap<string, ProviderDefinition> {
  const providers = new Map<string, ProviderDefinition>();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of files) {
    const parsed = parseProviderDefinition(readJson(new URL(file, dir), file));
    if (!parsed.ok) throw new Error(`Invalid provider file ${file}: ${parsed.error.message}`);
    const expectedId = file.slice(0, -'.json'.length);
    if (parsed.value.id !== expectedId) {
      throw new Error(`Invalid provider file ${file}: id: must be "${expectedId}" to match the file name`);
    }
    providers.set(parsed.value.id, parsed.value);
  }
  return providers;
}

function readJson(url: URL, file: string): unknown {
  try {
    return JSON.parse(readFileSync(url, 'utf8'));
  } catch (cause) {
    throw new Error(`Invalid provider file ${file}: not readable JSON`, { cause });
  }
}
