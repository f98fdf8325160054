import { existsSync, readFileSync } from 'node:fs';
import { builtInProviders } from '../providers/registry.js';
import { builtInToolkitHash } from './build-cache.js';
import { parseToolkit } from './parse.js';
import { builtInToolkits, toolkitProviderMismatch } from './registry.js';
import type { Toolkit } from './schema.js';
import { type ToolkitHistory, type ToolkitVersion, toolkitHash, toolsAtVersion } from './versions.js';

export const VERSIONS_FILE = new URL('../../toolkits/versions/versions.json', import.meta.url);
export const HISTORY_DIR = new URL('../../toolkits/versions/history/', import.meta.url);

export interface VersionsFile {
  $comment?: string;
  toolkits: Record<string, ToolkitVersion[]>;
}

/** A shipped toolkit's versions, newest first; `current` is the version the data files hold now. */
export interface ToolkitVersions {
  current: string;
  versions: ToolkitVersion[];
}

let lock: VersionsFile | undefined;
const histories = new Map<string, ToolkitHistory | undefined>();
const resolved = new Map<string, Toolkit | undefined>();

export function readVersionsFile(): VersionsFile {
  lock ??= JSON.parse(readFileSync(VERSIONS_FILE, 'utf8')) as VersionsFile;
  return lock;
}

export function readHistory(id: string): ToolkitHistory | undefined {
  if (!histories.has(id)) {
    const file = new URL(`${id}.json`, HISTORY_DIR);
    histories.set(
      id,
      existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ToolkitHistory) : undefined,
    );
  }
  return histories.get(id);
}

/**
 * The versions of a shipped toolkit. A toolkit edited without `gen-versions` (a developer's working
 * tree) is `0.0.0-dev.<hash>`: never a released version, so no pin can name it.
 */
export function builtInToolkitVersions(id: string): ToolkitVersions | undefined {
  const toolkit = builtInToolkits().get(id);
  if (!toolkit) return undefined;
  const versions = readVersionsFile().toolkits[id] ?? [];
  const hash = builtInToolkitHash(toolkit);
  const latest = versions[0];
  if (latest?.hash === hash) return { current: latest.version, versions };
  const dev = { version: `0.0.0-dev.${hash.slice(0, 8)}`, hash };
  return { current: dev.version, versions: [dev, ...versions] };
}

/**
 * A shipped toolkit as it was at `version` (the current toolkit for the current version), checked
 * like a data file: it must parse, fit its provider and hash to what versions.json recorded.
 * Undefined for a version that is not listed.
 */
export function builtInToolkitAt(id: string, version: string): Toolkit | undefined {
  const key = `${id}@${version}`;
  if (resolved.has(key)) return resolved.get(key);
  const toolkit = builtInToolkits().get(id);
  const versions = builtInToolkitVersions(id);
  let out: Toolkit | undefined;
  if (toolkit && versions) {
    if (versions.current === version) out = toolkit;
    else {
      const listed = readVersionsFile().toolkits[id] ?? [];
      const history = readHistory(id);
      const tools = toolsAtVersion(toolkit, listed, history, version);
      if (tools) {
        // The newest recorded baseUrl change at or below the version wins (null: it had none).
        let baseUrl: string | null | undefined = toolkit.baseUrl;
        for (const step of listed.slice(1, listed.findIndex((v) => v.version === version) + 1)) {
          const recorded = history?.versions[step.version]?.baseUrl;
          if (recorded !== undefined) baseUrl = recorded;
        }
        const { baseUrl: _current, ...rest } = toolkit;
        const at =
          baseUrl === null || baseUrl === undefined ? { ...rest, tools } : { ...rest, baseUrl, tools };
        out = checked(at, listed.find((v) => v.version === version)?.hash);
      }
    }
  }
  resolved.set(key, out);
  return out;
}

function checked(candidate: Toolkit, expectedHash: string | undefined): Toolkit {
  const where = `toolkit history ${candidate.id}`;
  const parsed = parseToolkit(candidate);
  if (!parsed.ok) throw new Error(`${where}: ${parsed.error.message}`);
  const provider = builtInProviders().get(parsed.value.provider);
  const problem = provider ? toolkitProviderMismatch(parsed.value, provider) : 'unknown provider';
  if (problem) throw new Error(`${where}: ${problem}`);
  const hash = toolkitHash(parsed.value);
  if (hash !== expectedHash)
    throw new Error(`${where}: tools hash to ${hash}, versions.json says ${expectedHash}`);
  return parsed.value;
}
