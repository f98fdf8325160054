import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { type PreparedPgdata, preparePgdata } from './pgdata.js';
import { openPgliteThread } from './pglite-thread.js';

export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row> {
  rows: R[];
  rowCount: number;
}

/** What repository code needs: parameterised queries. Both a pool and a transaction provide it. */
export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * Runs `fn` once what was written through this queryable is committed: after COMMIT for a
   * transaction (never after a rollback), at once for the pool (each statement commits itself).
   */
  afterCommit?(fn: () => void): void;
}

/** `fn` after the writes made through `q` commit (at once when `q` is not a transaction). */
export function onCommitted(q: Queryable, fn: () => void): void {
  if (q.afterCommit) q.afterCommit(fn);
  else fn();
}

/** A LISTEN subscription: `connected` is false while notifications may be missed (reconnecting). */
export interface Listener {
  readonly connected: boolean;
  close(): Promise<void>;
}

export interface ListenHandlers {
  message(payload: string): void;
  /** The channel went down or came back; notifications sent while it was down are lost. */
  state(connected: boolean): void;
}

export interface Transaction extends Queryable {
  /** Runs a script of several statements (migrations) inside the transaction. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `fn` as one atomic change: a transaction that every query made through this Db (and its
   * `relaxed()`) inside `fn`'s async context joins, so services that write through `this.db` need no
   * transaction parameter. A `transaction` opened inside becomes a savepoint; `afterCommit` hooks wait
   * for the outer commit. Used where a change and its admin audit row must commit together
   * (audit/README.md, crash windows). Keep provider calls outside: the transaction holds its locks (and,
   * on PGlite, the only connection) until `fn` returns. Caches of rows a change writes drop their
   * entries after the commit and keep nothing read inside a change (`committed-cache.ts`).
   */
  atomically<T>(fn: () => Promise<T>): Promise<T>;
  /** True inside `atomically` (this Db's): writes here commit or roll back with the change. */
  readonly inChange: boolean;
  /** `fn` once the current atomic change commits (never after a rollback); at once outside one. */
  afterCommit(fn: () => void): void;
  /**
   * For writes whose last few hundred milliseconds may be lost if the database server itself
   * crashes (synchronous_commit=off): they stay atomic and ordered, they just don't wait for the
   * WAL flush. Used for audit rows on the hot path unless GATEHOUSE_AUDIT_SYNC_COMMIT is set.
   */
  relaxed(): Queryable;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** LISTEN on `channel` (PostgreSQL: a dedicated connection, re-established when it drops). */
  listen(channel: string, handlers: ListenHandlers): Promise<Listener>;
  close(): Promise<void>;
}

interface Change {
  owner: Db;
  tx: Transaction;
  open: boolean;
  savepoints: number;
}

// The atomic change (if any) of the current async context. Work the change started that outlives it (a
// timer, a queue drain) sees it closed, or sees none once no change is open: either way it goes to the pool.
const changes = new AsyncLocalStorage<Change>();
// Changes open right now. On Node 20 a live AsyncLocalStorage runs a hook on every promise the process
// creates (~3% of an execute call's CPU, measured); with no change open it has nothing to carry (a
// closed change is no change), so it is disabled until the next one opens and `run` enables it again.
let openChanges = 0;

/**
 * Runs `fn` outside any atomic change: for shared work that one caller happens to start (a queue
 * drain carrying other callers' rows) and that must not commit or roll back with that caller's change.
 */
export const outsideChanges = <T>(fn: () => T): T => changes.exit(fn);

const joined = (owner: Db): Change | undefined => {
  const c = changes.getStore();
  return c?.owner === owner && c.open ? c : undefined;
};

/** A transaction opened inside an atomic change: a savepoint, so its failure undoes only its own writes. */
async function savepoint<T>(c: Change, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const name = `gatehouse_sp_${++c.savepoints}`;
  await c.tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(c.tx);
    await c.tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await c.tx.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => {});
    throw err;
  }
}

/** A database before atomic changes are added (`withChanges`). */
export type BaseDb = Omit<Db, 'atomically' | 'inChange' | 'afterCommit'>;

/** Adds atomic changes to a database: queries, relaxed queries and transactions join the current one. */
function withChanges(base: BaseDb): Db {
  const baseRelaxed = base.relaxed();
  const relaxed: Queryable = {
    query: <R extends Row>(sql: string, params?: readonly unknown[]) => {
      const c = joined(self);
      return c ? c.tx.query<R>(sql, params) : baseRelaxed.query<R>(sql, params);
    },
  };
  const self: Db = {
    kind: base.kind,
    query: <R extends Row>(sql: string, params?: readonly unknown[]) => {
      const c = joined(self);
      return c ? c.tx.query<R>(sql, params) : base.query<R>(sql, params);
    },
    relaxed: () => relaxed,
    transaction: <T>(fn: (tx: Transaction) => Promise<T>) => {
      const c = joined(self);
      return c ? savepoint(c, fn) : base.transaction(fn);
    },
    atomically: <T>(fn: () => Promise<T>) => {
      const c = joined(self);
      if (c) return savepoint(c, fn);
      return base.transaction(async (tx) => {
        const change: Change = { owner: self, tx, open: true, savepoints: 0 };
        openChanges++;
        try {
          return await changes.run(change, fn);
        } finally {
          change.open = false;
          if (--openChanges === 0) changes.disable();
        }
      });
    },
    get inChange() {
      return joined(self) !== undefined;
    },
    afterCommit: (fn) => {
      const c = joined(self);
      if (c?.tx.afterCommit) c.tx.afterCommit(fn);
      else fn();
    },
    listen: (channel, handlers) => base.listen(channel, handlers),
    close: () => base.close(),
  };
  return self;
}

export const runCommitHooks = (fns: Array<() => void>) => {
  for (const fn of fns) {
    try {
      fn();
    } catch {
      // A commit hook (cache invalidation) must not turn a committed write into an error.
    }
  }
};

export async function openPostgres(connectionString: string, options: { max?: number } = {}): Promise<Db> {
  // Loaded here: the embedded default never needs the PostgreSQL client.
  const { default: pgm } = await import('pg');
  const pool = new pgm.Pool({ connectionString, max: options.max ?? 10, idleTimeoutMillis: 30_000 });
  // A broken idle client must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const query = async <R extends Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const res = await pool.query<R>(sql, params as unknown[] | undefined);
    return { rows: res.rows, rowCount: res.rowCount ?? 0 };
  };
  let relaxedPool: pg.Pool | undefined;
  const relaxed: Queryable = {
    async query<R extends Row>(sql: string, params?: readonly unknown[]) {
      if (!relaxedPool) {
        relaxedPool = new pgm.Pool({
          connectionString,
          max: 4,
          idleTimeoutMillis: 30_000,
          options: '-c synchronous_commit=off',
        });
        relaxedPool.on('error', () => {});
      }
      const res = await relaxedPool.query<R>(sql, params as unknown[] | undefined);
      return { rows: res.rows, rowCount: res.rowCount ?? 0 };
    },
  };
  return withChanges({
    kind: 'postgres',
    query,
    relaxed: () => relaxed,
    async transaction(fn) {
      const client = await pool.connect();
      const committed: Array<() => void> = [];
      try {
        await client.query('BEGIN');
        const tx: Transaction = {
          async query<R extends Row>(sql: string, params?: readonly unknown[]) {
            const res = await client.query<R>(sql, params as unknown[] | undefined);
            return { rows: res.rows, rowCount: res.rowCount ?? 0 };
          },
          async exec(sql) {
            await client.query(sql);
          },
          afterCommit: (hook) => committed.push(hook),
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        runCommitHooks(committed);
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    listen: (channel, handlers) => listenPostgres(pgm, connectionString, channel, handlers),
    close: async () => {
      await Promise.all([pool.end(), relaxedPool?.end()]);
    },
  });
}

export const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A dedicated connection (LISTEN holds its session) that reconnects with backoff when it drops.
 * While it is down `connected` is false: callers that rely on notifications must not trust
 * what they cached, since notifications sent meanwhile are lost.
 */
async function listenPostgres(
  pgm: typeof pg,
  connectionString: string,
  channel: string,
  handlers: ListenHandlers,
): Promise<Listener> {
  if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${channel}`);
  let client: pg.Client | undefined;
  let connected = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let backoff = 250;
  const setState = (up: boolean) => {
    if (connected === up) return;
    connected = up;
    handlers.state(up);
  };
  const connect = async (): Promise<void> => {
    const c = new pgm.Client({ connectionString });
    const lost = () => {
      if (client !== c) return;
      client = undefined;
      setState(false);
      c.end().catch(() => {});
      if (!closed) {
        retry = setTimeout(() => void connect(), backoff);
        retry.unref();
        backoff = Math.min(backoff * 2, 5_000);
      }
    };
    client = c;
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (n) => {
      if (n.channel === channel) handlers.message(n.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (closed) {
        await c.end().catch(() => {});
        return;
      }
      backoff = 250;
      setState(true);
    } catch {
      lost();
    }
  };
  await connect();
  return {
    get connected() {
      return connected;
    },
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      connected = false;
      await c?.end().catch(() => {});
    },
  };
}

/**
 * PGlite's PostgreSQL settings. shared_buffers defaults to 128 MB, all of it resident once touched;
 * an embedded single-user database is served well by 16 MB (the buffer cache only fronts files the
 * OS caches anyway).
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=16MB',
];

/**
 * PostgreSQL's 9 MB of WASM compiled once by V8's baseline compiler (Liftoff), each function when
 * first called, without the optimising tier: measured here, that starts PGlite about twice as fast
 * and holds ~50 MB less, with per-query latency unchanged within noise (the JS round trip dominates
 * a query). Set before the first PGlite instance compiles its module; affects only WASM.
 */
let wasmFlagsSet = false;
function wasmBaselineOnly(): void {
  if (wasmFlagsSet) return;
  wasmFlagsSet = true;
  setFlagsFromString('--wasm-lazy-compilation');
  setFlagsFromString('--liftoff-only');
}

/**
 * Embedded PostgreSQL (WASM), on a thread of its own (`pglite-thread.ts`). `dataDir` undefined keeps
 * everything in memory (tests). PGlite has one connection: transactions run one after another, other
 * queries wait for them.
 */
export async function openPglite(
  dataDir?: string,
  prepared?: PreparedPgdata,
  onFailure?: (err: Error) => void,
): Promise<Db> {
  wasmBaselineOnly(); // V8's flags are the process's: the worker's isolate compiles with them too
  const startParams = [...PGLITE_START_PARAMS];
  if (dataDir === undefined)
    return withChanges(await openPgliteThread({ dataDir, startParams }, () => {}, onFailure));
  // Locked, and a new directory made from a template or a child's initdb (never by initdb in this
  // process); started earlier by the CLI when it could (see preparePgdata).
  const dir = prepared?.dataDir === dataDir ? prepared : preparePgdata(dataDir);
  try {
    await dir.ready;
    return withChanges(
      await openPgliteThread({ dataDir: join(dataDir, 'pgdata'), startParams }, dir.release, onFailure),
    );
  } catch (err) {
    dir.release();
    throw err;
  }
}

/** PGlite in this thread: for short-lived tools (the template build), where nothing else waits on it. */
export function wrapPglite(db: PGlite, onClose: () => void = () => {}): Db {
  const query = async <R extends Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const res = await db.query<R>(sql, params as unknown[] | undefined);
    return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
  };
  const self: BaseDb = {
    kind: 'pglite',
    query,
    relaxed: () => self,
    async transaction(fn) {
      const committed: Array<() => void> = [];
      const result = await db.transaction(async (t) =>
        fn({
          async query<R extends Row>(sql: string, params?: readonly unknown[]) {
            const res = await t.query<R>(sql, params as unknown[] | undefined);
            return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
          },
          async exec(sql) {
            await t.exec(sql);
          },
          afterCommit: (hook) => committed.push(hook),
        }),
      );
      runCommitHooks(committed);
      return result;
    },
    // One process, one connection: PGlite delivers a committed NOTIFY before the writer's query resolves.
    async listen(channel, handlers) {
      if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${channel}`);
      const unsubscribe = await db.listen(channel, (payload) => handlers.message(payload));
      return { connected: true, close: () => unsubscribe() };
    },
    close: async () => {
      await db.close();
      onClose();
    },
  };
  return withChanges(self);
}

/** `onEmbeddedFailure`: PGlite's thread stopped while open (PostgreSQL's lost connections are retried by the pool). */
export async function openDatabase(
  options: { databaseUrl: string | undefined; dataDir: string },
  prepared?: PreparedPgdata,
  onEmbeddedFailure?: (err: Error) => void,
): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openPglite(options.dataDir, prepared, onEmbeddedFailure);
}
