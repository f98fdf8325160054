import { Worker } from 'node:worker_threads';
import type { BaseDb, Listener, ListenHandlers, QueryResult, Row, Transaction } from './db.js';
import { CHANNEL, runCommitHooks } from './db.js';
import type { ErrorFields, Reply, Request, WorkerOptions } from './pglite-worker.js';

type Pending = { resolve(reply: Reply & { kind: 'done' }): void; reject(err: Error): void };
type Ask = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The worker's module: compiled JS next to this file, or the TypeScript source run through tsx (tests, no build). */
function workerEntry(): URL {
  const self = new URL(import.meta.url);
  if (self.pathname.endsWith('.js')) return new URL('./pglite-worker.js', self);
  const source = new URL('./pglite-worker.ts', self).href;
  const code = `const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
register();
await import(${JSON.stringify(source)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** An error from the database thread, with the SQLSTATE fields callers test (`code` '23505', …). */
function databaseError(fields: ErrorFields): Error {
  return Object.assign(new Error(fields.message), fields);
}

/**
 * PGlite on a thread of its own (`pglite-worker.ts`): the server's thread only posts statements and
 * reads rows, so a long statement (the audit batch) no longer stops the calls that arrive meanwhile.
 * Same contract as PGlite in this thread: one connection, transactions one after another, a committed
 * NOTIFY delivered before the writer's statement resolves (the worker posts it first; one port keeps
 * the order). Rows cross by structured clone: Dates, Uint8Arrays (bytea) and bigints keep their types.
 */
export async function openPgliteThread(
  options: Omit<WorkerOptions, 'role'>,
  onClose: () => void,
  /** The thread stopped without being closed (a WASM abort): every query is refused from now on. */
  onFailure: (err: Error) => void = () => {},
): Promise<BaseDb> {
  const worker = new Worker(workerEntry(), { workerData: { role: 'gatehouse-pglite', ...options } });
  const pending = new Map<number, Pending>();
  const channels = new Map<string, { handlers: Set<ListenHandlers>; ready: Promise<unknown> }>();
  let nextId = 0;
  let nextTx = 0;
  let stopped: Error | undefined;

  // Idle, the thread must not keep the process alive (a test that forgets to close); busy, it must.
  const track = (delta: number) => {
    if (delta > 0 && pending.size === 1) worker.ref();
    if (delta < 0 && pending.size === 0) worker.unref();
  };
  const ask = (req: Ask): Promise<Reply & { kind: 'done' }> => {
    if (stopped) return Promise.reject(stopped);
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      try {
        worker.postMessage(Object.assign(req, { id })); // each caller passes a fresh literal
      } catch (err) {
        reject(err as Error); // a parameter structured clone cannot carry
        return;
      }
      pending.set(id, { resolve, reject });
      track(1);
    });
  };
  const settle = (id: number, fn: (p: Pending) => void) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    track(-1);
    fn(p);
  };

  let ready!: { resolve(): void; reject(err: Error): void };
  const started = new Promise<void>((resolve, reject) => {
    ready = { resolve, reject };
  });
  worker.on('message', (reply: Reply) => {
    switch (reply.kind) {
      case 'done':
        return settle(reply.id, (p) => p.resolve(reply));
      case 'error':
        return settle(reply.id, (p) => p.reject(databaseError(reply.error)));
      case 'notify':
        for (const h of channels.get(reply.channel)?.handlers ?? []) h.message(reply.payload);
        return;
      case 'ready':
        return ready.resolve();
      case 'failed':
        return ready.reject(databaseError(reply.error));
    }
  });
  // Once stopped, nothing more will be delivered: listeners are told, so caches stop trusting them.
  const stop = (err: Error) => {
    if (stopped) return;
    stopped = err;
    ready.reject(err);
    for (const id of [...pending.keys()]) settle(id, (p) => p.reject(err));
    for (const { handlers } of channels.values()) for (const h of handlers) h.state(false);
  };
  let opened = false; // a failure to start is the opener's error, not a failure to report
  const fail = (err: Error) => {
    if (stopped) return;
    const failure = new Error(`the embedded database stopped: ${err.message}`);
    stop(failure);
    if (opened) onFailure(failure);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`its thread exited with code ${code}`)));
  try {
    await started;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  opened = true;
  worker.unref();

  const query = async <R extends Row>(sql: string, params?: readonly unknown[], tx?: number) => {
    const { result } = await ask({ op: 'query', sql, params, tx });
    const rows = (result?.rows ?? []) as R[];
    return { rows, rowCount: result?.affectedRows ?? rows.length } satisfies QueryResult<R>;
  };

  const self: BaseDb = {
    kind: 'pglite',
    query: (sql, params) => query(sql, params),
    relaxed: () => self,
    async transaction(fn) {
      const txId = ++nextTx;
      await ask({ op: 'begin', tx: txId });
      const committed: Array<() => void> = [];
      const tx: Transaction = {
        query: (sql, params) => query(sql, params, txId),
        async exec(sql) {
          await ask({ op: 'exec', sql, tx: txId });
        },
        afterCommit: (hook) => committed.push(hook),
      };
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(tx);
      } catch (err) {
        await ask({ op: 'end', tx: txId, commit: false }).catch(() => {});
        throw err;
      }
      await ask({ op: 'end', tx: txId, commit: true });
      runCommitHooks(committed);
      return result;
    },
    async listen(channel, handlers): Promise<Listener> {
      if (!CHANNEL.test(channel)) throw new Error(`invalid channel name ${channel}`);
      let entry = channels.get(channel);
      if (!entry) {
        entry = { handlers: new Set(), ready: ask({ op: 'listen', channel }) };
        channels.set(channel, entry);
      }
      entry.handlers.add(handlers);
      try {
        await entry.ready;
      } catch (err) {
        entry.handlers.delete(handlers);
        if (channels.get(channel) === entry) channels.delete(channel);
        throw err;
      }
      const subscribed = entry;
      return {
        get connected() {
          return stopped === undefined;
        },
        close: async () => {
          if (!subscribed.handlers.delete(handlers) || subscribed.handlers.size > 0) return;
          if (channels.get(channel) === subscribed) channels.delete(channel);
          await ask({ op: 'unlisten', channel }).catch(() => {});
        },
      };
    },
    close: async () => {
      try {
        if (!stopped) await ask({ op: 'close' });
      } finally {
        stop(new Error('the embedded database is closed'));
        await worker.terminate();
        onClose();
      }
    },
  };
  return self;
}
