import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Toolkit } from './schema.js';
import { toolkitHash } from './versions.js';

/**
 * The shipped toolkits as the build parsed and hashed them. Validating the 6 MB of shipped toolkit
 * files (zod, input schemas against the JSON Schema meta-schema) and hashing their contracts took
 * ~1.1 s of a cold start's main thread, and most of its garbage, before the server could be ready.
 * The build (scripts/build-package.mjs) writes `dist/toolkit-cache.json`: per file, keyed by the sha256
 * of its bytes, what `parseToolkit` returned and its `toolkitHash`. A file counts as validated only
 * when its bytes are the ones the build validated (an edited toolkit is parsed and hashed again); the
 * record is remade whenever the compiled code changes. From the TypeScript sources there is no record:
 * every file is parsed and hashed.
 */
export const CACHE_FILE = new URL('../toolkit-cache.json', import.meta.url);

interface Entry {
  toolkit: Toolkit;
  hash: string;
}

let record: Record<string, Entry> | undefined;
const hashes = new WeakMap<Toolkit, string>();

/** The build's parse of a toolkit file with these bytes (sha256), if it made one. */
export function builtToolkit(digest: string): Toolkit | undefined {
  // ASCII only (see writeToolkitCache): read without UTF-8 decoding, ~10x faster for these 4 MB.
  record ??= existsSync(CACHE_FILE)
    ? (JSON.parse(readFileSync(CACHE_FILE, 'latin1')) as Record<string, Entry>)
    : {};
  const entry = record[digest];
  if (!entry) return undefined;
  hashes.set(entry.toolkit, entry.hash);
  return entry.toolkit;
}

/** `toolkitHash`, taken from the build's record for a toolkit that came from it, computed once otherwise. */
export function builtInToolkitHash(toolkit: Toolkit): string {
  let hash = hashes.get(toolkit);
  if (hash === undefined) {
    hash = toolkitHash(toolkit);
    hashes.set(toolkit, hash);
  }
  return hash;
}

/**
 * Build step: parses every shipped toolkit file afresh (a previous record is removed first: the code
 * that parses may have changed) and records each by the digest of its bytes.
 */
export async function writeToolkitCache(file: URL | string = CACHE_FILE): Promise<number> {
  rmSync(file, { force: true });
  record = {};
  // Imported here: registry.ts reads this module's record while loading.
  const { builtInToolkits, sourceDigestOf } = await import('./registry.js');
  const out: Record<string, Entry> = {};
  for (const toolkit of builtInToolkits().values()) {
    const digest = sourceDigestOf(toolkit);
    if (digest !== undefined) out[digest] = { toolkit, hash: toolkitHash(toolkit) };
  }
  // Non-ASCII characters escaped (\uXXXX, the same JSON value): the start reads it as Latin-1.
  const ascii = JSON.stringify(out).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  writeFileSync(file, ascii);
  return Object.keys(out).length;
}
