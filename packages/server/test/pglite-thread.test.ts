import type { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server.js';
import { type Db, openPglite, PGLITE_START_PARAMS, wrapPglite } from '../src/store/db.js';
import { createLogger } from '../src/telemetry/logger.js';
import { LogCapture, testConfig } from './support/gatehouse.js';

/**
 * The embedded database runs on a thread of its own. What the server's code relies on must survive
 * the thread boundary (types, errors, transactions, notifications), and a long statement must leave
 * the server's thread free to answer calls.
 */
describe('embedded database on its own thread', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite();
    await db.query(
      'CREATE TABLE thread_probe (id text PRIMARY KEY, blob bytea, at timestamptz, n int8, doc jsonb)',
    );
  });
  afterAll(() => db.close());

  /** How many turns the server's event loop takes while `work` runs. */
  async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
    let turns = 0;
    let running = true;
    const spin = () => {
      if (!running) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    await work();
    running = false;
    return turns;
  }
  const heavy = 'SELECT count(*)::int AS n FROM generate_series(1, 1500000) g WHERE g % 7 = 3';

  it('a long statement leaves the server thread free (in this thread it stops it)', async () => {
    const inThread = wrapPglite(await PGlite.create({ startParams: [...PGLITE_START_PARAMS] }));
    try {
      const blocked = await turnsDuring(() => inThread.query(heavy));
      const free = await turnsDuring(() => db.query(heavy));
      // In this thread the statement runs to its end inside WASM: the loop turns only between
      // PGlite's own awaits. On its thread the loop keeps turning all the while.
      expect(blocked).toBeLessThan(20);
      expect(free).toBeGreaterThan(200);
    } finally {
      await inThread.close();
    }
  });

  it('values keep their types across the thread: bytea, timestamptz, int8, jsonb', async () => {
    const blob = new Uint8Array([0, 1, 254, 255]);
    const at = new Date('2026-12-04T10:11:12.345Z');
    await db.query('INSERT INTO thread_probe VALUES ($1, $2, $3, $4, $5)', [
      'types',
      blob,
      at,
      '9007199254740993',
      { a: [1, 'x'] },
    ]);
    const { rows } = await db.query('SELECT blob, at, n, doc FROM thread_probe WHERE id = $1', ['types']);
    const row = rows[0] ?? {};
    expect(row.blob).toBeInstanceOf(Uint8Array);
    expect(Array.from(row.blob as Uint8Array)).toEqual([0, 1, 254, 255]);
    expect(row.at).toEqual(at);
    expect(row.n).toBe(9007199254740993n);
    expect(row.doc).toEqual({ a: [1, 'x'] });
    const updated = await db.query('UPDATE thread_probe SET n = 1 WHERE id = $1', ['types']);
    expect(updated.rowCount).toBe(1);
  });

  it('an error keeps its SQLSTATE and constraint, and carries no query parameters', async () => {
    await db.query('INSERT INTO thread_probe (id) VALUES ($1)', ['dup']);
    const err = await db.query('INSERT INTO thread_probe (id) VALUES ($1)', ['dup']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 'thread_probe_pkey' });
    expect(Object.keys(err as object)).not.toContain('params');
    await expect(db.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });
  });

  it('a parameter that cannot cross the thread is refused, and the database still answers', async () => {
    await expect(db.query('SELECT $1::text AS v', [() => 'no'])).rejects.toThrow();
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('a transaction commits when its function resolves and rolls back when it throws', async () => {
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO thread_probe (id) VALUES ($1)', ['kept']);
    });
    const boom = new Error('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO thread_probe (id) VALUES ($1)', ['undone']);
        throw boom;
      }),
    ).rejects.toBe(boom);
    // A failed statement aborts the transaction: its COMMIT is refused, nothing is written.
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO thread_probe (id) VALUES ($1)', ['aborted']);
        await tx.query('INSERT INTO thread_probe (id) VALUES ($1)', ['kept']).catch(() => {});
      }),
    ).rejects.toThrow();
    const { rows } = await db.query<{ id: string }>(
      "SELECT id FROM thread_probe WHERE id IN ('kept', 'undone', 'aborted') ORDER BY id",
    );
    expect(rows.map((r) => r.id)).toEqual(['kept']);
  });

  it('a committed NOTIFY reaches every listener of its channel before the writer resumes', async () => {
    const seen: string[] = [];
    const first = await db.listen('thread_probe', {
      message: (p) => seen.push(`first:${p}`),
      state: () => {},
    });
    const second = await db.listen('thread_probe', {
      message: (p) => seen.push(`second:${p}`),
      state: () => {},
    });
    await db.transaction(async (tx) => {
      await tx.query("SELECT pg_notify('thread_probe', 'one')");
    });
    expect(seen).toEqual(['first:one', 'second:one']);
    await first.close();
    await db.query("SELECT pg_notify('thread_probe', 'two')");
    expect(seen).toEqual(['first:one', 'second:one', 'second:two']);
    await second.close();
    await db.query("SELECT pg_notify('thread_probe', 'three')");
    expect(seen).toHaveLength(3);
  });

  it('once closed, it answers with an error instead of waiting, and its listeners say they are down', async () => {
    const other = await openPglite();
    const states: boolean[] = [];
    const listener = await other.listen('thread_probe', {
      message: () => {},
      state: (up) => states.push(up),
    });
    expect(listener.connected).toBe(true);
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toThrow(/embedded database/);
    expect(listener.connected).toBe(false);
    expect(states).toEqual([false]);
  });

  it('a thread that dies while open is reported once, and every query is then refused', async () => {
    // A WASM abort ends the worker from inside; from the server's side that is the thread exiting
    // unasked, which terminating it from outside reproduces.
    let thread: Worker | undefined;
    const seen = (w: Worker) => {
      thread = w;
    };
    process.on('worker', seen);
    const failures: Error[] = [];
    const other = await openPglite(undefined, undefined, (err) => failures.push(err)).finally(() =>
      process.off('worker', seen),
    );
    expect(thread).toBeDefined();
    await thread!.terminate();
    await expect(other.query('SELECT 1')).rejects.toThrow(/embedded database stopped/);
    expect(failures.map((e) => e.message)).toEqual([
      expect.stringMatching(/^the embedded database stopped: its thread exited with code 1$/),
    ]);
    await other.close(); // a close after the failure is not a second failure
    expect(failures).toHaveLength(1);
    // A database closed as asked reports nothing.
    const closed = await openPglite(undefined, undefined, (err) => failures.push(err));
    await closed.close();
    expect(failures).toHaveLength(1);
  });
});

describe('a Gatehouse whose embedded database thread dies', () => {
  it('logs it once and stops reporting ready', async () => {
    const config = testConfig({ GATEHOUSE_PUBLIC_URL: 'http://127.0.0.1:1' });
    const logs = new LogCapture();
    const threads: Worker[] = [];
    const seen = (w: Worker) => threads.push(w);
    process.on('worker', seen);
    const started = await startServer(config, {
      log: createLogger({ level: config.logLevel, destination: logs }),
    }).finally(() => process.off('worker', seen));
    if (!started.ok) throw new Error(started.error);
    try {
      expect((await fetch(`${started.server.url}/readyz`)).status).toBe(200);
      // The database's thread and any helper thread that already finished (the data directory's copy).
      await Promise.all(threads.map((w) => w.terminate()));
      const ready = await fetch(`${started.server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('not_ready');
      const stopped = logs.records().filter((r) => /embedded database stopped/.test(String(r.msg)));
      expect(stopped).toHaveLength(1);
      expect(stopped[0]).toMatchObject({
        level: 'error',
        err: { message: expect.stringMatching(/exited with code 1/) },
      });
    } finally {
      await started.server.close();
    }
  });
});
