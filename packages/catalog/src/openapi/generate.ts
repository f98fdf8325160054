import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { err, ok, type Result } from '../result.js';
import { type ImportOptions, type InvalidImport, importOpenApi } from './import.js';

export const SOURCES_DIR = new URL('../../toolkits/sources/', import.meta.url);
export const GENERATED_DIR = new URL('../../toolkits/generated/', import.meta.url);

export type GeneratedToolkit = { source: string; file: URL; text: string };

/** Every `toolkits/sources/*.import.json`, in name order. */
export function importConfigFiles(): URL[] {
  return readdirSync(SOURCES_DIR)
    .filter((f) => f.endsWith('.import.json'))
    .sort()
    .map((f) => new URL(f, SOURCES_DIR));
}

/**
 * The generated toolkit file for one import config: the spec named by its `spec` (a package
 * specifier, resolved from this package, or a path relative to the config) run through the
 * importer, serialised the one way the committed files are, so a re-run shows no diff.
 */
export function generateToolkit(
  configFile: URL,
  options: ImportOptions = {},
): Result<GeneratedToolkit, InvalidImport> {
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  if (typeof config.spec !== 'string') {
    return err({
      code: 'invalid_import',
      message: 'config.spec: Required to generate a toolkit',
      issues: [{ path: 'config.spec', message: 'Required to generate a toolkit' }],
    });
  }
  const specFile = config.spec.startsWith('.')
    ? new URL(config.spec, configFile)
    : pathToFileURL(createRequire(import.meta.url).resolve(config.spec));
  const spec = JSON.parse(readFileSync(specFile, 'utf8'));
  const imported = importOpenApi(spec, config, options);
  if (!imported.ok) return imported;
  const toolkit = { $schema: '../../schema/toolkit.schema.json', ...imported.value };
  return ok({
    source: config.spec,
    file: new URL(`${imported.value.id}.json`, GENERATED_DIR),
    text: `${JSON.stringify(toolkit, null, 2)}\n`,
  });
}
