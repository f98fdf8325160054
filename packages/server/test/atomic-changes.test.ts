import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './support/databases.js';

// Atomic changes (store/db.ts) carry their transaction through the async context, and the context is
// switched off whenever no change is open (it costs every promise on Node 20). These are the cases that
// switching could break: a change opened after all others closed, a change still open when another
// closes, and work a change started that runs after it closed.

describeEachDatabase('atomic changes', (t) => {
  const rows = async () =>
    (await t.db().query<{ note: string }>('SELECT note FROM atomic_change_probe ORDER BY note')).rows.map(
      (r) => r.note,
    );
  const insert = (note: string) => t.db().query('INSERT INTO atomic_change_probe (note) VALUES ($1)', [note]);
  const rollBack = new Error('roll back (test)');

  beforeAll(async () => {
    await t.db().query('CREATE TABLE atomic_change_probe (note text PRIMARY KEY)');
  });
  afterAll(async () => {
    await t.db().query('DROP TABLE IF EXISTS atomic_change_probe');
  });

  it('a change opened after every other one closed still holds its writes (they roll back with it)', async () => {
    for (const round of [1, 2, 3]) {
      await expect(
        t.db().atomically(async () => {
          await insert(`rolled-back-${round}`);
          expect(t.db().inChange).toBe(true);
          throw rollBack;
        }),
      ).rejects.toBe(rollBack);
      expect(t.db().inChange).toBe(false);
    }
    expect(await rows()).toEqual([]);
  });

  it('work a change started that runs after it closed is no longer part of it', async () => {
    let later: Promise<unknown> | undefined;
    await expect(
      t.db().atomically(async () => {
        later = new Promise((resolve) => setTimeout(resolve, 20)).then(() => insert('after-close'));
        throw rollBack;
      }),
    ).rejects.toBe(rollBack);
    await later;
    expect(await rows()).toEqual(['after-close']);
    await t.db().query('DELETE FROM atomic_change_probe');
  });

  // PGlite has one connection, so its changes run one after another and never overlap.
  it.skipIf(t.kind === 'pglite')(
    'a change still open when another closes keeps its writes in its own transaction',
    async () => {
      let closeFirst!: () => void;
      const firstMayClose = new Promise<void>((resolve) => {
        closeFirst = resolve;
      });
      let firstOpen!: () => void;
      const firstIsOpen = new Promise<void>((resolve) => {
        firstOpen = resolve;
      });
      const first = t.db().atomically(async () => {
        await insert('first');
        firstOpen();
        await firstMayClose;
      });
      const second = t.db().atomically(async () => {
        await firstIsOpen;
        await insert('second-before');
        closeFirst();
        await first; // the first change has committed and closed; this one is still open
        await insert('second-after');
        expect(t.db().inChange).toBe(true);
        throw rollBack;
      });
      await expect(second).rejects.toBe(rollBack);
      expect(await rows()).toEqual(['first']);
      await t.db().query('DELETE FROM atomic_change_probe');
    },
  );
});
