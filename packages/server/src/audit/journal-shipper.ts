import type { AppendRow, GroupCommit } from './group-commit.js';
import type { AuditJournal } from './journal.js';

/** How many journaled rows may wait for a failed commit's retry before calls wait for theirs again. */
const MAX_UNSHIPPED = 10_000;
/** Journal bytes of shipped rows kept before the file is cut back (replaying them is a no-op). */
const CUT_AFTER_BYTES = 1 << 20;
/**
 * Journaled rows gather this long, or up to this many, before they go out in one statement. Their
 * commit is behind the answer anyway; sent one by one, each would put a database round trip (this
 * process's socket writes, the database's work) in front of the next call on a small machine.
 * `settled()` sends at once, so a reader after an answer never waits for the timer.
 */
const LINGER_MS = 20;
const LINGER_ROWS = 200;

/**
 * Ships journaled audit rows to the database behind the answers (journal.ts): in batches, in the
 * order they were journaled, retrying failed commits with backoff; the journal is cut back to empty
 * once everything written to it is committed.
 */
export class JournalShipper {
  /**
   * Rows recorded in this turn of the event loop, written to the journal together when it ends
   * (`setImmediate`): one `write(2)` for every call answered in the turn instead of one each. At
   * concurrency 1 the wait is the rest of the turn; under load it saves a system call per call.
   */
  #toWrite: { row: AppendRow; journaled: (journaled: boolean) => void }[] = [];
  /** Journaled, not yet handed to group commit. */
  #gathering: AppendRow[] = [];
  #linger: NodeJS.Timeout | undefined;
  /** One per row handed to group commit and not yet settled. */
  readonly #shipping = new Set<Promise<void>>();
  /** Rows whose commit failed, waiting for the retry. */
  #unshipped: AppendRow[] = [];
  #retry: NodeJS.Timeout | undefined;
  #retryMs = 100;

  constructor(
    private readonly journal: AuditJournal,
    private readonly calls: GroupCommit,
    private readonly onError: ((err: unknown, waiting: number) => void) | undefined,
  ) {}

  /**
   * Journals the row and commits it behind the answer: true once the row is durable against a crash
   * of this process. False when the call must wait for its own commit instead: too many rows are
   * waiting for a retry, or the journal cannot be written (a full disk). Rows journaled earlier are
   * then handed to group commit first, so rows commit in the order their calls were answered.
   */
  take(row: AppendRow): Promise<boolean> {
    if (this.#unshipped.length >= MAX_UNSHIPPED) {
      this.send();
      return Promise.resolve(false);
    }
    return new Promise((journaled) => {
      if (this.#toWrite.length === 0) setImmediate(() => this.#writeTurn());
      this.#toWrite.push({ row, journaled });
    });
  }

  #writeTurn(): void {
    const waiting = this.#toWrite;
    if (waiting.length === 0) return;
    this.#toWrite = [];
    const rows = waiting.map((w) => w.row);
    if (!this.#write(rows)) {
      this.send();
      for (const w of waiting) w.journaled(false);
      return;
    }
    this.#gathering.push(...rows);
    if (this.#gathering.length >= LINGER_ROWS) this.send();
    else if (!this.#linger) {
      this.#linger = setTimeout(() => this.send(), LINGER_MS);
      this.#linger.unref(); // close() sends what is left; the timer never holds the process open
    }
    for (const w of waiting) w.journaled(true);
  }

  /** Hands every gathered row to group commit now. */
  send(): void {
    clearTimeout(this.#linger);
    this.#linger = undefined;
    const rows = this.#gathering;
    if (rows.length === 0) return;
    this.#gathering = [];
    this.#ship(rows);
  }

  /** Resolves once every row taken so far is committed (or has failed to, for now). */
  async settled(): Promise<void> {
    this.#writeTurn();
    this.send();
    if (this.#shipping.size > 0) await Promise.allSettled([...this.#shipping]);
  }

  /** Commits what is left, retries once what failed, and closes the journal. */
  async close(): Promise<void> {
    await this.settled();
    clearTimeout(this.#retry);
    if (this.#unshipped.length > 0) this.#resend();
    await this.settled();
    if (this.#unshipped.length === 0) this.journal.shipped();
    this.journal.close();
  }

  #write(rows: AppendRow[]): boolean {
    try {
      this.journal.write(rows);
      return true;
    } catch (err) {
      this.onError?.(err, this.#unshipped.length);
      return false;
    }
  }

  #ship(rows: AppendRow[]): void {
    const committed = this.calls.appendAll(rows);
    rows.forEach((row, i) => {
      const shipping: Promise<void> = committed[i]!.then(
        () => {
          this.#shipping.delete(shipping);
          this.#retryMs = 100;
          this.#cut();
        },
        (err: unknown) => {
          this.#shipping.delete(shipping);
          this.#unshipped.push(row);
          this.onError?.(err, this.#unshipped.length);
          this.#retry ??= setTimeout(() => this.#resend(), this.#retryMs);
          this.#retryMs = Math.min(this.#retryMs * 2, 5_000);
        },
      );
      this.#shipping.add(shipping);
    });
  }

  #resend(): void {
    this.#retry = undefined;
    const rows = this.#unshipped;
    this.#unshipped = [];
    if (rows.length > 0) this.#ship(rows);
  }

  /** Cuts the file back once nothing in it is uncommitted and it has grown enough to be worth it. */
  #cut(): void {
    const idle = this.#shipping.size === 0 && this.#unshipped.length === 0 && this.#gathering.length === 0;
    if (idle && this.journal.bytes >= CUT_AFTER_BYTES) this.journal.shipped();
  }
}
