import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openPglite } from '../src/store/db.js';
import { EmbeddedVacuum } from '../src/store/embedded-vacuum.js';

const plan = async (db: Db, sql: string) =>
  (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');

/** PGlite has no autovacuum launcher: the embedded database's tables are analysed and vacuumed by Gatehouse. */
describe('embedded autovacuum', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite();
    await db.query('CREATE TABLE vacuum_probe (id text PRIMARY KEY, project text NOT NULL, n int NOT NULL)');
    await db.query('CREATE INDEX vacuum_probe_by_project ON vacuum_probe (project, id)');
  });
  afterAll(() => db.close());

  // Statistics reach the shared view at most once a second unless a flush is forced (PostgreSQL 15+).
  const flushStats = async () => {
    await db.query('SELECT pg_stat_force_next_flush()');
    await db.query('SELECT 1');
  };
  const page = "SELECT * FROM vacuum_probe WHERE project = 'p1' ORDER BY id DESC LIMIT 101";
  const stats = async () =>
    (
      await db.query<{ vacuumed: boolean; analysed: boolean; dead: string }>(
        `SELECT last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analysed, n_dead_tup::text AS dead
           FROM pg_stat_user_tables WHERE relname = 'vacuum_probe'`,
      )
    ).rows[0];

  it('PGlite itself never analyses: the planner sorts where the index would do', async () => {
    await db.query(
      "INSERT INTO vacuum_probe SELECT 'id' || lpad(g::text, 6, '0'), 'p' || (g % 2), g FROM generate_series(1, 6000) g",
    );
    await db.query("DELETE FROM vacuum_probe WHERE n % 3 = 0 AND project = 'p0'");
    await flushStats();
    expect(await stats()).toMatchObject({ vacuumed: false, analysed: false });
    expect(await plan(db, page)).toMatch(/Sort/);
  });

  it('a pass vacuums and analyses the tables past autovacuum thresholds; the plan then reads the index', async () => {
    const vacuum = new EmbeddedVacuum(db, (err) => {
      throw err;
    });
    const done = await vacuum.tick();
    await flushStats();
    expect(done).toContainEqual({ table: 'public.vacuum_probe', vacuumed: true });
    expect(await stats()).toEqual({ vacuumed: true, analysed: true, dead: '0' });
    expect(await plan(db, page)).toMatch(/Index Scan Backward/);
    expect(await plan(db, page)).not.toMatch(/Sort/);
    // Nothing past a threshold any more: the next pass leaves the table alone.
    await flushStats();
    expect((await vacuum.tick()).map((m) => m.table)).not.toContain('public.vacuum_probe');
    // A few changes more analyse it again without vacuuming (analyse threshold 50 + 10%, vacuum 50 + 20%).
    await db.query(
      'UPDATE vacuum_probe SET n = n + 1 WHERE id IN (SELECT id FROM vacuum_probe ORDER BY id LIMIT 600)',
    );
    await flushStats();
    expect(await vacuum.tick()).toContainEqual({ table: 'public.vacuum_probe', vacuumed: false });
  });
});
