/**
 * The embedded database's own thread: one PGlite instance answering the requests of `pglite-thread.ts`.
 * PGlite runs PostgreSQL in WASM on the thread that calls it; on the server's thread every statement
 * (an audit batch takes 1.2 ms plus 0.24 ms a row) stopped every call that arrived meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';

export interface WorkerOptions {
  role: 'gatehouse-pglite';
  /** undefined: in memory (tests). */
  dataDir: string | undefined;
  startParams: string[];
}

export type Request =
  | { op: 'query'; id: number; sql: string; params: readonly unknown[] | undefined; tx: number | undefined }
  | { op: 'exec'; id: number; sql: string; tx: number }
  | { op: 'begin'; id: number; tx: number }
  | { op: 'end'; id: number; tx: number; commit: boolean }
  | { op: 'listen'; id: number; channel: string }
  | { op: 'unlisten'; id: number; channel: string }
  | { op: 'close'; id: number };

/** What crosses the thread boundary of a PostgreSQL error: its text and SQLSTATE fields, never the query's parameters. */
export interface ErrorFields {
  message: string;
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  routine?: string;
}

export type Reply =
  | { kind: 'ready' }
  | { kind: 'failed'; error: ErrorFields }
  | {
      kind: 'done';
      id: number;
      result?: { rows: Record<string, unknown>[]; affectedRows: number | undefined };
    }
  | { kind: 'error'; id: number; error: ErrorFields }
  | { kind: 'notify'; channel: string; payload: string };

const FIELDS = [
  'code',
  'severity',
  'detail',
  'hint',
  'schema',
  'table',
  'column',
  'constraint',
  'routine',
] as const;

function errorFields(err: unknown): ErrorFields {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: ErrorFields = { message: err.message };
  for (const f of FIELDS) {
    const v = (err as unknown as Record<string, unknown>)[f];
    if (typeof v === 'string') out[f] = v;
  }
  return out;
}

/** A transaction held open for the other thread: its queries arrive one message at a time. */
interface OpenTransaction {
  t: Transaction;
  end(commit: boolean): void;
  settled: Promise<void>;
}

const ROLLBACK = Symbol('rollback');

async function serve(port: NonNullable<typeof parentPort>, options: WorkerOptions): Promise<void> {
  const post = (reply: Reply) => port.postMessage(reply);
  let db: PGlite;
  try {
    db = await PGlite.create(options.dataDir, { startParams: options.startParams });
  } catch (err) {
    post({ kind: 'failed', error: errorFields(err) });
    return;
  }
  const transactions = new Map<number, OpenTransaction>();
  const listening = new Map<string, () => Promise<void>>();

  const begin = (id: number, tx: number): Promise<void> => {
    let end!: (commit: boolean) => void;
    const ended = new Promise<boolean>((resolve) => {
      end = resolve;
    });
    let began = false;
    const settled = db.transaction(async (t) => {
      transactions.set(tx, { t, end, settled });
      began = true;
      post({ kind: 'done', id });
      if (!(await ended)) throw ROLLBACK;
    });
    // BEGIN itself failed: the request that asked for it gets the error.
    settled.catch((err) => {
      if (!began) post({ kind: 'error', id, error: errorFields(err) });
    });
    return Promise.resolve();
  };

  const end = async (tx: number, commit: boolean): Promise<void> => {
    const open = transactions.get(tx);
    if (!open) throw new Error(`no open transaction ${tx}`);
    transactions.delete(tx);
    open.end(commit);
    await open.settled.catch((err) => {
      if (err !== ROLLBACK) throw err;
    });
  };

  const inTransaction = (tx: number): Transaction => {
    const open = transactions.get(tx);
    if (!open) throw new Error(`no open transaction ${tx}`);
    return open.t;
  };

  const handle = async (req: Request): Promise<Reply | undefined> => {
    switch (req.op) {
      case 'query': {
        const q = req.tx === undefined ? db : inTransaction(req.tx);
        const res = await q.query<Record<string, unknown>>(req.sql, req.params as unknown[] | undefined);
        return { kind: 'done', id: req.id, result: { rows: res.rows, affectedRows: res.affectedRows } };
      }
      case 'exec':
        await inTransaction(req.tx).exec(req.sql);
        return { kind: 'done', id: req.id };
      case 'begin':
        await begin(req.id, req.tx);
        return undefined; // answered once BEGIN has run
      case 'end':
        await end(req.tx, req.commit);
        return { kind: 'done', id: req.id };
      case 'listen': {
        // A committed NOTIFY reaches this callback before the writer's statement resolves, so it is
        // posted ahead of the writer's reply and the other thread sees the two in that order.
        // One PGlite listener per channel: the other thread fans a notification out to its subscribers.
        const channel = req.channel;
        const unlisten = await db.listen(channel, (payload) => post({ kind: 'notify', channel, payload }));
        listening.set(channel, unlisten);
        return { kind: 'done', id: req.id };
      }
      case 'unlisten': {
        const unlisten = listening.get(req.channel);
        listening.delete(req.channel);
        await unlisten?.();
        return { kind: 'done', id: req.id };
      }
      case 'close':
        await db.close();
        return { kind: 'done', id: req.id };
    }
  };

  port.on('message', (req: Request) => {
    handle(req).then(
      (reply) => {
        if (reply) post(reply);
      },
      (err: unknown) => post({ kind: 'error', id: req.id, error: errorFields(err) }),
    );
  });
  post({ kind: 'ready' });
}

const options = workerData as WorkerOptions | undefined;
if (parentPort && options?.role === 'gatehouse-pglite') void serve(parentPort, options);
