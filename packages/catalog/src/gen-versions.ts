// npm run -w @gatehouse/catalog gen-versions: records a new version of every shipped toolkit whose tools
// changed (toolkits/versions/versions.json) and keeps what the previous version had (toolkits/versions/history/<id>.json),
// so projects that pin it keep their tools. Run it after gen-toolkits or after editing a toolkit file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseToolkit } from './toolkits/parse.js';
import { builtInToolkits } from './toolkits/registry.js';
import type { Toolkit } from './toolkits/schema.js';
import { HISTORY_DIR, readHistory, readVersionsFile, VERSIONS_FILE } from './toolkits/versioned.js';
import { deltaBetween, nextVersion, toolkitHash } from './toolkits/versions.js';

const TOOLKITS_DIR = new URL('../toolkits/', import.meta.url);
const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();

/** The file a shipped toolkit lives in (hand-written, or generated). */
function fileOf(id: string): string {
  const hand = new URL(`${id}.json`, TOOLKITS_DIR);
  return fileURLToPath(existsSync(hand) ? hand : new URL(`generated/${id}.json`, TOOLKITS_DIR));
}

/**
 * The toolkit as a committed version of its file had it, found by hash in the file's git history
 * (the test keeps versions.json matching every commit, so the previous version is committed).
 */
function committedToolkit(file: string, hash: string): Toolkit | undefined {
  const path = file.slice(repoRoot.length + 1);
  const commits = execFileSync('git', ['log', '--format=%H', '-n', '200', '--', path], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const commit of commits) {
    let text: string;
    try {
      text = execFileSync('git', ['show', `${commit}:${path}`], {
        cwd: repoRoot,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
    } catch {
      continue;
    }
    const parsed = parseToolkit(JSON.parse(text));
    if (parsed.ok && toolkitHash(parsed.value) === hash) return parsed.value;
  }
  return undefined;
}

const lock = readVersionsFile();
let failed = false;
for (const toolkit of [...builtInToolkits().values()].sort((a, b) => a.id.localeCompare(b.id))) {
  const hash = toolkitHash(toolkit);
  const versions = lock.toolkits[toolkit.id] ?? [];
  const latest = versions[0];
  if (latest?.hash === hash) continue;
  if (!latest) {
    lock.toolkits[toolkit.id] = [{ version: '1.0.0', hash }];
    console.log(`${toolkit.id}: 1.0.0 (new)`);
    continue;
  }
  const previous = committedToolkit(fileOf(toolkit.id), latest.hash);
  if (!previous) {
    console.error(`${toolkit.id}: no committed file has the tools of ${latest.version} (${latest.hash})`);
    failed = true;
    continue;
  }
  const version = nextVersion(latest.version, previous, toolkit);
  const history = readHistory(toolkit.id) ?? { toolkit: toolkit.id, versions: {} };
  const entry = {
    tools: deltaBetween(previous, toolkit),
    ...(previous.baseUrl !== toolkit.baseUrl ? { baseUrl: previous.baseUrl ?? null } : {}),
  };
  history.versions = { [latest.version]: entry, ...history.versions };
  mkdirSync(HISTORY_DIR, { recursive: true });
  writeFileSync(new URL(`${toolkit.id}.json`, HISTORY_DIR), `${JSON.stringify(history, null, 2)}\n`);
  lock.toolkits[toolkit.id] = [{ version, hash }, ...versions];
  console.log(`${toolkit.id}: ${latest.version} -> ${version}`);
}
// One line per version, newest first: the file reads as a changelog of hashes.
const lines = Object.entries(lock.toolkits)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([id, versions]) => {
    const items = versions.map((v) => `      { "version": "${v.version}", "hash": "${v.hash}" }`).join(',\n');
    return `    ${JSON.stringify(id)}: [\n${items}\n    ]`;
  });
writeFileSync(
  VERSIONS_FILE,
  `{\n  "$comment": ${JSON.stringify(lock.$comment ?? '')},\n  "toolkits": {\n${lines.join(',\n')}\n  }\n}\n`,
);
process.exitCode = failed ? 1 : 0;
