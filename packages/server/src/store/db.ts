import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { acquireDirLock } from './dir-lock.js';

export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row> {
  rows: R[];
  rowCount: number;
}

/** What repository code needs: parameterised queries. Both a pool and a transaction provide it. */
export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface Transaction extends Queryable {
  /** Runs a script of several statements (migrations) inside the transaction. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * For writes whose last few hundred milliseconds may be lost if the database server itself
   * crashes (synchronous_commit=off): they stay atomic and ordered, they just don't wait for the
   * WAL flush. Used for audit rows on the hot path unless GATEHOUSE_AUDIT_SYNC_COMMIT is set.
   */
  relaxed(): Queryable;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openPostgres(connectionString: string, options: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, idleTimeoutMillis: 30_000 });
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
        relaxedPool = new pg.Pool({
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
  return {
    kind: 'postgres',
    query,
    relaxed: () => relaxed,
    async transaction(fn) {
      const client = await pool.connect();
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
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await Promise.all([pool.end(), relaxedPool?.end()]);
    },
  };
}

/**
 * Embedded PostgreSQL (WASM). `dataDir` undefined keeps everything in memory (tests).
 * PGlite has one connection: transactions run one after another, other queries wait for them.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir === undefined) return wrapPglite(await PGlite.create());
  mkdirSync(dataDir, { recursive: true });
  // PGlite is single-process: a second process opening the same files would corrupt them.
  const release = acquireDirLock(join(dataDir, 'pgdata.lock'));
  try {
    return wrapPglite(await PGlite.create(join(dataDir, 'pgdata')), release);
  } catch (err) {
    release();
    throw err;
  }
}

export function wrapPglite(db: PGlite, onClose: () => void = () => {}): Db {
  const query = async <R extends Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const res = await db.query<R>(sql, params as unknown[] | undefined);
    return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
  };
  const self: Db = {
    kind: 'pglite',
    query,
    relaxed: () => self,
    transaction: (fn) =>
      db.transaction(async (t) =>
        fn({
          async query<R extends Row>(sql: string, params?: readonly unknown[]) {
            const res = await t.query<R>(sql, params as unknown[] | undefined);
            return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
          },
          async exec(sql) {
            await t.exec(sql);
          },
        }),
      ),
    close: async () => {
      await db.close();
      onClose();
    },
  };
  return self;
}

export async function openDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<Db> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}
