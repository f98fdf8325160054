import type { Queryable } from '../store/db.js';
import type { Logger } from '../telemetry/logger.js';

/** An account's use is recorded at most this often: what the health probe calls idle is measured from it. */
const RESOLUTION_MS = 60_000;
/** Rows per UPDATE statement. */
const CHUNK = 1_000;

type Use = { projectId: string; id: string; at: number };

/**
 * `last_used_at`, kept in memory and written in batches: a database write per call would cost more
 * than the cache in front of the account saves. Each account is noted at most once a minute; a flush
 * writes every pending use in one statement per thousand accounts, never moving a value backwards.
 * A crash loses at most the uses noted since the last flush (`intervalMs`): the column is
 * informational (the console, the health probe's idle test), never a security decision.
 */
export class LastUsed {
  readonly #pending = new Map<string, Use>();
  /** When each account's use was last noted, to keep to the resolution; pruned at each flush. */
  readonly #noted = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<number> | undefined;

  constructor(
    /** Relaxed commit is enough for a timestamp (store/db.ts `relaxed`). */
    private readonly db: Queryable,
    private readonly log: Logger,
    private readonly intervalMs = 10_000,
  ) {}

  note(account: { projectId: string; id: string }, at = Date.now()): void {
    const key = `${account.projectId}\u0000${account.id}`;
    const last = this.#noted.get(key);
    if (last !== undefined && at - last < RESOLUTION_MS) return;
    this.#noted.set(key, at);
    this.#pending.set(key, { projectId: account.projectId, id: account.id, at });
  }

  /** Writes every pending use now; resolves with the number of accounts written. */
  flush(): Promise<number> {
    // One flush at a time; a caller arriving meanwhile waits for it, then writes what is left.
    const run = async (): Promise<number> => {
      if (this.#flushing) await this.#flushing.catch(() => 0);
      return this.#write();
    };
    const flushing = run();
    this.#flushing = flushing;
    return flushing.finally(() => {
      if (this.#flushing === flushing) this.#flushing = undefined;
    });
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.flush().catch((err: Error) =>
        this.log.warn({ err: { message: err.message } }, 'last_used_at flush failed; retrying later'),
      );
    }, this.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and writes what is pending (graceful shutdown). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush().catch(() => 0);
  }

  async #write(): Promise<number> {
    const now = Date.now();
    for (const [key, at] of this.#noted) if (now - at >= RESOLUTION_MS) this.#noted.delete(key);
    if (this.#pending.size === 0) return 0;
    const uses = [...this.#pending.values()];
    this.#pending.clear();
    let written = 0;
    for (let i = 0; i < uses.length; i += CHUNK) {
      const chunk = uses.slice(i, i + CHUNK);
      try {
        await this.db.query(
          `UPDATE connected_accounts c SET last_used_at = u.at
           FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS u(project_id, id, at)
           WHERE c.project_id = u.project_id AND c.id = u.id AND (c.last_used_at IS NULL OR c.last_used_at < u.at)`,
          [chunk.map((u) => u.projectId), chunk.map((u) => u.id), chunk.map((u) => new Date(u.at))],
        );
        written += chunk.length;
      } catch (err) {
        // Put back what was not written (unless a newer use arrived meanwhile) for the next flush.
        for (const u of uses.slice(i)) {
          const key = `${u.projectId}\u0000${u.id}`;
          if (!this.#pending.has(key)) this.#pending.set(key, u);
        }
        throw err;
      }
    }
    return written;
  }
}
