import { TtlCache } from '../shared/ttl-cache.js';
import type { Db } from './db.js';

/** A read in flight: a drop of the cache meanwhile makes its result unfit to keep. */
type Ticket = { stale: boolean };

/**
 * A `TtlCache` of rows that atomic changes (`db.atomically`) write, which keeps only committed values:
 * - `drop` removes an entry now and again once the current change commits (at once outside one): a
 *   reader on another connection between the write and its commit reads the old row and would
 *   otherwise put it back until the TTL runs out;
 * - `read` does not keep a value read inside an atomic change (the change may roll back), nor one
 *   whose entry was dropped while it was being read (it may have been read before the commit).
 * Other replicas still see a change within the TTL, as with `TtlCache`.
 */
export class CommittedCache<V> {
  readonly #entries: TtlCache<V>;
  readonly #inflight = new Set<Ticket>();

  constructor(
    private readonly db: Pick<Db, 'inChange' | 'afterCommit'>,
    ttlMs: number,
  ) {
    this.#entries = new TtlCache(ttlMs);
  }

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  /** The cached value, or `load`'s; kept when `load` found one (a miss is never kept). */
  async read<R extends V | undefined>(key: string, load: () => Promise<R>): Promise<R> {
    const hit = this.#entries.get(key);
    if (hit !== undefined) return hit as R;
    const ticket: Ticket = { stale: this.db.inChange };
    this.#inflight.add(ticket);
    try {
      const value = await load();
      if (!ticket.stale && value !== undefined) this.#entries.set(key, value);
      return value;
    } finally {
      this.#inflight.delete(ticket);
    }
  }

  /** Drops `key`: now, and once the change writing it commits. */
  drop(key: string): void {
    this.dropWhere((k) => k === key);
  }

  /** Drops every entry `match` names: now, and once the change writing them commits. */
  dropWhere(match: (key: string, value: V) => boolean): void {
    const now = () => {
      this.#entries.deleteWhere((value, key) => match(key, value));
      // Reads in flight are not told apart by key: rare writes make every one of them stale.
      for (const ticket of this.#inflight) ticket.stale = true;
    };
    now();
    this.db.afterCommit(now);
  }
}
