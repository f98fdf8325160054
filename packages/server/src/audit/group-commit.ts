import { outsideChanges, type Queryable } from '../store/db.js';

/** One audit row as `audit_append` (migration 0020) takes it: columns by name, plus its canonical text. */
export interface AppendRow {
  id: string;
  project_id: string;
  kind: string;
  execution_id: string;
  user_id: string | null;
  agent_id: string | null;
  tool_slug: string | null;
  provider_id: string | null;
  connected_account_id: string | null;
  outcome: string;
  error_code: string | null;
  upstream_status: number | null;
  latency_ms: number;
  attempts: number;
  trace_id: string | null;
  detail: unknown;
  occurred_at: string;
  /** The delegation chain (an `act` claim) of a call made with an exchanged token; null otherwise. */
  delegation: unknown;
  canonical: string;
}

/**
 * One `audit_append` statement: chains the rows onto their projects' heads under the heads' row locks,
 * held until `q` commits. Through a transaction, the rows (and the heads) commit or roll back with it.
 */
export async function appendRows(q: Queryable, rows: AppendRow[]): Promise<void> {
  await q.query('SELECT audit_append($1::jsonb)', [JSON.stringify(rows)]);
}

interface Waiter {
  row: AppendRow;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Statistics for tests and the benchmark: how many rows went out in how many statements. */
export interface GroupCommitStats {
  rows: number;
  batches: number;
}

/**
 * Group commit: every caller waits until its row is committed, but callers that arrive while a batch
 * is being written share the next statement instead of each paying a round trip. The first row of an
 * idle queue goes out at once (no timer: a lone call costs what it cost before); while that statement
 * runs, arrivals queue; when it returns, they all go out together in one `audit_append`.
 *
 * A batch that fails is retried row by row, so one row the database refuses (an impossible value)
 * fails only its own call. `audit_append` skips ids already stored, so a retry never duplicates a row.
 */
export class GroupCommit {
  #queue: Waiter[] = [];
  #draining = false;
  readonly stats: GroupCommitStats = { rows: 0, batches: 0 };

  constructor(
    private readonly q: Queryable,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves once the row is committed (and so survives a crash of this process). */
  append(row: AppendRow): Promise<void> {
    return this.appendAll([row])[0]!;
  }

  /** Queues the rows in order, so they share one statement; one promise per row, as `append`. */
  appendAll(rows: readonly AppendRow[]): Promise<void>[] {
    const committed = rows.map(
      (row) => new Promise<void>((resolve, reject) => this.#queue.push({ row, resolve, reject })),
    );
    // The drain carries every caller's rows: it never joins the atomic change of the one that started it.
    if (!this.#draining && rows.length > 0) outsideChanges(() => void this.#drain());
    return committed;
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.maxBatch);
        try {
          await this.#write(batch.map((w) => w.row));
          for (const w of batch) w.resolve();
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          else for (const w of batch) await this.#write([w.row]).then(w.resolve, w.reject);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  async #write(rows: AppendRow[]): Promise<void> {
    await appendRows(this.q, rows);
    this.stats.rows += rows.length;
    this.stats.batches++;
  }
}
