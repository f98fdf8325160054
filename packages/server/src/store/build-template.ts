import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_START_PARAMS, wrapPglite } from './db.js';
import { loadMigrations, migrate } from './migrate.js';
import {
  emptyDirs,
  INITDB_PARAMS,
  initdbInChild,
  MANIFEST,
  type Manifest,
  migrationsFit,
  pgliteVersion,
  sameInitdb,
} from './pgdata.js';

/**
 * Build step (scripts/build-package.mjs): `outDir/pgdata-template`, a data directory initialised and
 * migrated by this PGlite version, copied by `ensurePgdata` on a first start. Kept when the one there
 * was made by the same PGlite version with the same migrations. It holds schema only: no keys, no
 * rows that differ between installations.
 */
export async function buildTemplate(outDir: string): Promise<'kept' | 'built'> {
  const dir = join(outDir, 'pgdata-template');
  const file = join(dir, MANIFEST);
  const version = pgliteVersion();
  const migrations = loadMigrations().map((m) => ({ version: m.version, checksum: m.checksum }));
  if (existsSync(file)) {
    const prior = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (
      prior.pglite === version &&
      sameInitdb(prior) &&
      migrationsFit(prior) &&
      prior.migrations.length === migrations.length
    )
      return 'kept';
  }
  rmSync(dir, { recursive: true, force: true });
  await initdbInChild(dir);
  const db = wrapPglite(await PGlite.create(dir, { startParams: [...PGLITE_START_PARAMS] }));
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  const manifest: Manifest = {
    pglite: version,
    initdb: INITDB_PARAMS,
    migrations,
    emptyDirs: emptyDirs(dir).map((d) => relative(dir, d)),
  };
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return 'built';
}
