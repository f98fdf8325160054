import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTemplate } from '../src/store/build-template.js';
import { openPglite, PGLITE_START_PARAMS, wrapPglite } from '../src/store/db.js';
import { DirLockedError } from '../src/store/dir-lock.js';
import { loadMigrations, migrate, schemaIsCurrent } from '../src/store/migrate.js';
import { ensurePgdata, MANIFEST, preparePgdata } from '../src/store/pgdata.js';

/**
 * A new embedded data directory is copied from the build's template (initialised and migrated by
 * the same PGlite) or made by initdb in a child process; never by initdb inside the server.
 */
describe('embedded data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-pgdata-'));
  const out = join(root, 'dist');
  const template = join(out, 'pgdata-template');
  beforeAll(async () => {
    mkdirSync(out);
    expect(await buildTemplate(out)).toBe('built');
  }, 180_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the template is migrated to the latest version and rebuilt only when PGlite or the migrations change', async () => {
    const manifest = JSON.parse(readFileSync(join(template, MANIFEST), 'utf8')) as {
      migrations: Array<{ version: number }>;
      emptyDirs: string[];
    };
    expect(manifest.migrations.map((m) => m.version)).toEqual(loadMigrations().map((m) => m.version));
    // npm pack drops empty directories: the manifest names the ones PostgreSQL needs back.
    expect(manifest.emptyDirs).toEqual(expect.arrayContaining(['pg_tblspc', 'pg_wal/archive_status']));
    expect(await buildTemplate(out)).toBe('kept');
  });

  it('a fresh directory is copied from the template, already migrated, and opens as it is afterwards', async () => {
    const dir = join(root, 'fresh', 'pgdata');
    // What npm pack leaves of the template: no empty directories.
    const packed = join(root, 'packed-template');
    copyWithoutEmptyDirs(template, packed);
    expect(await ensurePgdata(dir, [join(root, 'nowhere'), packed])).toBe('template');
    expect(existsSync(join(dir, MANIFEST))).toBe(false);
    expect(existsSync(join(dir, 'pg_tblspc'))).toBe(true);
    const db = wrapPglite(await PGlite.create(dir, { startParams: [...PGLITE_START_PARAMS] }));
    try {
      expect(await schemaIsCurrent(db)).toBe(true);
      // initdb's parameters travel with the template (1 MB WAL segments: less to copy).
      expect((await db.query('SHOW wal_segment_size')).rows).toEqual([{ wal_segment_size: '1MB' }]);
      expect((await migrate(db)).applied).toEqual([]);
      await db.query('CREATE TABLE scratch (n int)');
    } finally {
      await db.close();
    }
    expect(await ensurePgdata(dir, [packed])).toBe('existing');
    const again = wrapPglite(await PGlite.create(dir));
    try {
      expect((await again.query('SELECT count(*)::int AS n FROM scratch')).rows).toEqual([{ n: 0 }]);
    } finally {
      await again.close();
    }
  });

  it('a template from another PGlite version is not used: initdb runs in a child process instead', async () => {
    const other = join(root, 'other-template');
    copyWithoutEmptyDirs(template, other);
    const file = join(other, MANIFEST);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pglite: '0.0.1' }));
    // A directory left without PG_VERSION by an interrupted first start is replaced, not trusted.
    const dir = join(root, 'initdb', 'pgdata');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'half-written'), '');
    expect(await ensurePgdata(dir, [other])).toBe('initdb');
    expect(existsSync(join(dir, 'half-written'))).toBe(false);
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    const db = wrapPglite(await PGlite.create(dir));
    try {
      expect((await migrate(db)).applied.length).toBe(loadMigrations().length);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('the CLI locks and copies the data dir ahead of opening it; openPglite takes that over', async () => {
    const dataDir = join(root, 'prepared');
    const prepared = preparePgdata(dataDir, [template]);
    // Held from the start: a second process would be refused while the copy runs.
    expect(readFileSync(join(dataDir, 'pgdata.lock'), 'utf8')).toBe(String(process.pid));
    // It now makes the data dir (before the master key is written there): private to its owner.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(await prepared.ready).toBe('template');
    const db = await openPglite(dataDir, prepared);
    try {
      expect(await schemaIsCurrent(db)).toBe(true);
    } finally {
      await db.close();
    }
    // Closing releases the lock the preparation took.
    expect(existsSync(join(dataDir, 'pgdata.lock'))).toBe(false);
  });

  it('a data dir another live process holds is refused where it is opened, and left untouched', async () => {
    const dataDir = join(root, 'held');
    mkdirSync(dataDir);
    // Our parent is alive and is not us: the lock is another process's.
    writeFileSync(join(dataDir, 'pgdata.lock'), String(process.ppid));
    const prepared = preparePgdata(dataDir, [template]);
    await expect(prepared.ready).rejects.toBeInstanceOf(DirLockedError);
    await expect(openPglite(dataDir, prepared)).rejects.toThrow(`in use by process ${process.ppid}`);
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(false);
    expect(readFileSync(join(dataDir, 'pgdata.lock'), 'utf8')).toBe(String(process.ppid));
  });

  it('the server opens its embedded database with 16 MB of shared buffers', async () => {
    const db = await openPglite(join(root, 'server-data'));
    try {
      expect((await db.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await db.close();
    }
  });
});

/** Copies a directory tree file by file, as `npm pack` would keep it (empty directories dropped). */
function copyWithoutEmptyDirs(from: string, to: string): void {
  for (const e of readdirSync(from, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const rel = join(e.parentPath, e.name).slice(from.length + 1);
    mkdirSync(join(to, rel, '..'), { recursive: true });
    copyFileSync(join(e.parentPath, e.name), join(to, rel));
  }
}
