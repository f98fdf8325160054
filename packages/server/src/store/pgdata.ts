import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { acquireDirLock } from './dir-lock.js';
import { loadMigrations } from './migrate.js';

/**
 * A new embedded data directory, made without running initdb in this process.
 *
 * PGlite's own first start runs initdb in a second WASM instance inside the caller (~430 MB) and then
 * copies the result through memory; V8 keeps most of that RSS for the life of the process. Instead:
 * copy a data directory initialised and migrated at build time (`dist/pgdata-template`, made by the same
 * PGlite version; see build-template.ts), or, when there is none, run initdb once in a short-lived child process whose memory
 * goes back to the OS when it exits. Either way the directory appears under its final name only
 * when complete (built beside it, then renamed), so a crash mid-way never leaves half a cluster.
 */

const PGLITE_ENTRY = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
/** Where the build puts the template: `dist/` when running built, the sibling `dist/` from `src/`. */
const TEMPLATE_CANDIDATES = [
  new URL('../pgdata-template/', import.meta.url),
  new URL('../../dist/pgdata-template/', import.meta.url),
].map((u) => fileURLToPath(u));
export const MANIFEST = 'gatehouse-template.json';
/**
 * 1 MB WAL segments instead of 16 MB: a new directory is 24 MB to copy instead of 40 (the copy is
 * most of a first start's disk work), and an embedded database's WAL stays small. Part of the
 * template's identity: a template made with other initdb parameters is rebuilt.
 */
export const INITDB_PARAMS: readonly string[] = ['--wal-segsize=1'];

export interface Manifest {
  pglite: string;
  initdb: readonly string[];
  /** Migrations already applied in the template: usable while they are a prefix of the current ones. */
  migrations: Array<{ version: number; checksum: string }>;
  /** `npm pack` drops empty directories; PostgreSQL needs them (pg_tblspc, pg_wal/archive_status...). */
  emptyDirs: string[];
}

export type PgdataSource = 'existing' | 'template' | 'initdb';

/** PGlite's version; the server pins it exactly, so the packaged template always matches. */
export function pgliteVersion(): string {
  const pkg = join(dirname(PGLITE_ENTRY), '..', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/**
 * Makes `dir` a PGlite data directory unless it already is one; says how. `templates`: where to look
 * for a template (tests point elsewhere).
 */
export async function ensurePgdata(dir: string, templates = TEMPLATE_CANDIDATES): Promise<PgdataSource> {
  if (existsSync(join(dir, 'PG_VERSION'))) return 'existing';
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  // A directory without PG_VERSION is an earlier attempt cut short: PGlite would refuse to initdb into it.
  rmSync(dir, { recursive: true, force: true });
  const template = usableTemplate(templates);
  let source: PgdataSource;
  if (template) {
    await copyTreeOffThread(template.dir, partial);
    for (const d of template.manifest.emptyDirs) mkdirSync(join(partial, d), { recursive: true });
    rmSync(join(partial, MANIFEST), { force: true });
    source = 'template';
  } else {
    await initdbInChild(partial);
    source = 'initdb';
  }
  renameSync(partial, dir);
  return source;
}

/**
 * An embedded data directory being made ready ahead of opening it: locked, and its template copy
 * under way. `cli/main.ts` starts it before the server's modules load, so the copy (~1,200 files,
 * 0.3-1.9 s on a busy machine) overlaps their loading; `openPglite` then takes it over.
 */
export interface PreparedPgdata {
  readonly dataDir: string;
  /** Settles once `<dataDir>/pgdata` is a data directory; rejects when the lock is held or the copy failed. */
  readonly ready: Promise<PgdataSource>;
  /** Releases the data dir's lock (the opened database calls it on close). */
  release(): void;
}

/**
 * Locks `dataDir` (PGlite is single-process: a second process opening the same files would corrupt
 * them) and starts making `pgdata` in it. Never throws: a failure is `ready`'s rejection, reported
 * where the database is opened, as before.
 */
export function preparePgdata(dataDir: string, templates = TEMPLATE_CANDIDATES): PreparedPgdata {
  let release = () => {};
  let ready: Promise<PgdataSource>;
  try {
    // Private, as when the development master key's write made it first (this now runs before that).
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    release = acquireDirLock(join(dataDir, 'pgdata.lock'));
    ready = ensurePgdata(join(dataDir, 'pgdata'), templates);
  } catch (err) {
    ready = Promise.reject(err);
  }
  // Awaited by openPglite; a start that fails before opening the database must not crash on it.
  ready.catch(() => {});
  return { dataDir, ready, release };
}

/**
 * `cpSync` on a worker thread: the main thread stays free to load modules and toolkits meanwhile,
 * and the copy's system calls get a thread of their own. Plain JavaScript with Node's built-ins
 * only, so it runs the same from dist/ and from the TypeScript sources.
 */
function copyTreeOffThread(from: string, to: string): Promise<void> {
  const code = `const { cpSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
cpSync(workerData.from, workerData.to, { recursive: true });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { from, to } });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`copying the PGlite template stopped with code ${code}`)),
    );
  });
}

function usableTemplate(candidates: readonly string[]): { dir: string; manifest: Manifest } | undefined {
  const version = pgliteVersion();
  for (const dir of candidates) {
    const file = join(dir, MANIFEST);
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    // A cluster from another PostgreSQL build may not start (or, worse, start subtly wrong); one
    // migrated with other migration files would fail the checksum check on start.
    if (
      manifest.pglite === version &&
      sameInitdb(manifest) &&
      migrationsFit(manifest) &&
      existsSync(join(dir, 'PG_VERSION'))
    )
      return { dir, manifest };
  }
  return undefined;
}

export function sameInitdb(manifest: Manifest): boolean {
  return JSON.stringify(manifest.initdb) === JSON.stringify(INITDB_PARAMS);
}

export function migrationsFit(manifest: Manifest): boolean {
  const current = loadMigrations();
  return (
    Array.isArray(manifest.migrations) &&
    manifest.migrations.every(
      (m, i) => current[i]?.version === m.version && current[i]?.checksum === m.checksum,
    )
  );
}

/** Runs PGlite's initdb for `dir` in a child Node process and waits for it to exit. */
export function initdbInChild(dir: string): Promise<void> {
  mkdirSync(dirname(dir), { recursive: true });
  const code = `const { PGlite } = await import(${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))});
const db = await PGlite.create(process.argv[1], { initDbStartParams: ${JSON.stringify(INITDB_PARAMS)} });
await db.close();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code, dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4_000);
    });
    child.once('error', reject);
    child.once('exit', (status) =>
      status === 0 ? resolve() : reject(new Error(`initdb exited with ${status}: ${err.trim()}`)),
    );
  });
}

export function emptyDirs(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.length === 0) return [dir];
  return entries.filter((e) => e.isDirectory()).flatMap((e) => emptyDirs(join(dir, e.name)));
}
