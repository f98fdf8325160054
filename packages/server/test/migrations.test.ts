import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openPostgres } from '../src/store/db.js';
import { latestVersion, loadMigrations, migrate, schemaIsCurrent } from '../src/store/migrate.js';
import { createScratchPostgres, describeEachDatabase } from './support/databases.js';

const CLI = new URL('../bin/gatehouse.mjs', import.meta.url).pathname;

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

describeEachDatabase(
  'migrations',
  (t) => {
    it('apply every migration once, then nothing on a second run', async () => {
      expect(loadMigrations().length).toBeGreaterThan(0);
      const first = await migrate(t.db());
      expect(first.applied).toEqual(loadMigrations().map((m) => m.name));
      expect(await schemaIsCurrent(t.db())).toBe(true);
      expect((await migrate(t.db())).applied).toEqual([]);
      const { rows } = await t.db().query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
      expect(rows[0]?.v).toBe(latestVersion());
    });

    it('refuse to run when an applied migration was edited afterwards', async () => {
      await t.db().query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
      await expect(migrate(t.db())).rejects.toThrow(/changed after it was applied/);
      const m = loadMigrations()[0]!;
      await t.db().query('UPDATE schema_migrations SET checksum = $1 WHERE version = 1', [m.checksum]);
    });

    it('two processes migrating the same PostgreSQL database at once both succeed, applying each migration once', async (ctx) => {
      if (t.kind !== 'postgres')
        return ctx.skip('PGlite is single-process; its data dir is guarded by a lock file');
      const scratch = await createScratchPostgres();
      const url = scratch.url;
      const env = {
        GATEHOUSE_DATABASE_URL: url,
        GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-migrate-')),
        GATEHOUSE_MASTER_KEY: `${'A'.repeat(43)}=`,
        GATEHOUSE_LOG_LEVEL: 'silent',
      };
      const [a, b] = await Promise.all([runCli(['migrate'], env), runCli(['migrate'], env)]);
      expect(a.code, a.out).toBe(0);
      expect(b.code, b.out).toBe(0);
      const check = await openPostgres(url);
      const { rows } = await check.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      await check.close();
      await scratch.drop();
      expect(rows[0]?.n).toBe(loadMigrations().length);
    });
  },
  { migrate: false },
);
