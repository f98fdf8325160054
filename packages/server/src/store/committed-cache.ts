import { TtlCache } from '../shared/ttl-cache.js';
import type { Db } from './db.js';
import type { GovernanceChange, GovernanceFeed, GovernanceKind } from './governance-feed.js';

/** A read in flight: a drop of the cache meanwhile makes its result unfit to keep. */
type Ticket = { stale: boolean };

/** Which changes of the governance feed drop which entries. */
export interface Follow<V> {
  feed: GovernanceFeed;
  kinds: readonly GovernanceKind[];
  /** The entries a change makes stale; by default the one keyed by its project. */
  drops?: (change: GovernanceChange) => (key: string, value: V) => boolean;
}

const byProject =
  (change: GovernanceChange) =>
  (key: string): boolean =>
    key === change.projectId;

/**
 * A `TtlCache` of rows that atomic changes (`db.atomically`) write, which keeps only committed values:
 * - `drop` removes an entry now and again once the current change commits (at once outside one): a
 *   reader on another connection between the write and its commit reads the old row and would
 *   otherwise put it back until the TTL runs out;
 * - `read` does not keep a value read inside an atomic change (the change may roll back), nor one
 *   whose entry was dropped while it was being read (it may have been read before the commit).
 * Following the governance feed (`follow`), other replicas' changes drop their entries when the
 * notification arrives, and while the feed's connection is down nothing is served or kept: the TTL is
 * then only the backstop for a notification lost without the connection being seen down. Without it,
 * other replicas see a change within the TTL, as with `TtlCache`.
 */
export class CommittedCache<V> {
  readonly #entries: TtlCache<V>;
  readonly #inflight = new Set<Ticket>();
  readonly #feed: GovernanceFeed | undefined;

  constructor(
    private readonly db: Pick<Db, 'inChange' | 'afterCommit'>,
    ttlMs: number,
    follow?: Follow<V>,
  ) {
    this.#entries = new TtlCache(ttlMs);
    this.#feed = follow?.feed;
    if (follow) {
      const drops = follow.drops ?? byProject;
      follow.feed.watch(follow.kinds, {
        changed: (change) => {
          const match = drops(change);
          this.#dropNow((k, v) => match(k, v));
        },
        reset: () => this.#dropNow(() => true),
      });
    }
  }

  /** Serving from the cache: no feed followed, or its connection is up. */
  get #serving(): boolean {
    return this.#feed === undefined || this.#feed.active;
  }

  get(key: string): V | undefined {
    return this.#serving ? this.#entries.get(key) : undefined;
  }

  /** The cached value, or `load`'s; kept when `load` found one (a miss is never kept). */
  async read<R extends V | undefined>(key: string, load: () => Promise<R>): Promise<R> {
    if (!this.#serving) return load();
    const hit = this.#entries.get(key);
    if (hit !== undefined) return hit as R;
    const ticket: Ticket = { stale: this.db.inChange };
    this.#inflight.add(ticket);
    try {
      const value = await load();
      // Kept only if the feed stayed up: a change may have gone unheard while it was down.
      if (!ticket.stale && value !== undefined && this.#serving) this.#entries.set(key, value);
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
    this.#dropNow(match);
    this.db.afterCommit(() => this.#dropNow(match));
  }

  #dropNow(match: (key: string, value: V) => boolean): void {
    this.#entries.deleteWhere((value, key) => match(key, value));
    // Reads in flight are not told apart by key: rare writes make every one of them stale.
    for (const ticket of this.#inflight) ticket.stale = true;
  }
}
