import { randomUUID } from 'node:crypto';
import { type Db, type Listener, onCommitted, type Queryable } from '../store/db.js';
import type { AccountStore, ConnectedAccount } from './store.js';

/** What a change names: the account, and the (user, provider) list it belongs to when known. */
export interface AccountChangeKey {
  projectId: string;
  id: string;
  userId?: string;
  providerId?: string;
}

/** The channel migration 0017's trigger notifies on every change a call could observe. */
export const ACCOUNT_CHANNEL = 'gatehouse_accounts';

/**
 * This replica's own account writes, announced to its cache: once when the write is made (so a read
 * already under way cannot fill the cache with the old row) and again when it commits. The trigger's
 * NOTIFY reaches other replicas; this reaches the local cache before the writer's caller returns, so a
 * revoke that returned is never followed by a call with the revoked token on the same replica.
 */
export class AccountChanges {
  readonly #subscribers = new Set<(key: AccountChangeKey) => void>();

  subscribe(fn: (key: AccountChangeKey) => void): () => void {
    this.#subscribers.add(fn);
    return () => this.#subscribers.delete(fn);
  }

  changed(q: Queryable, key: AccountChangeKey): void {
    this.#emit(key);
    onCommitted(q, () => this.#emit(key));
  }

  #emit(key: AccountChangeKey): void {
    for (const fn of this.#subscribers) fn(key);
  }
}

/** The reads of the broker's hot path (resolve the account, proxy target): the store, or its cache. */
export interface AccountReads {
  get(projectId: string, id: string): Promise<ConnectedAccount | undefined>;
  forUserAndProvider(
    projectId: string,
    userId: string,
    providerId: string,
    groupId?: string,
  ): Promise<ConnectedAccount[]>;
}

type Entry = { value: ConnectedAccount | ConnectedAccount[]; expires: number };
/** A read in flight: an invalidation of its key meanwhile makes its result unfit to keep. */
type Ticket = { stale: boolean };

const SEP = '\u0000';
const idKey = (projectId: string, id: string) => `a${SEP}${projectId}${SEP}${id}`;
const listPrefix = (projectId: string) => `l${SEP}${projectId}${SEP}`;
const listKey = (projectId: string, userId: string, providerId: string) =>
  `${listPrefix(projectId)}${userId}${SEP}${providerId}`;

/**
 * Connected accounts as this replica last read them (rows with their version and sealed credentials),
 * keyed by project and account id, and by project, user and provider. Entries go when the account
 * changes: at once for this replica's writes (`AccountChanges`), on the NOTIFY of migration 0017 for
 * every other writer, and after `ttlMs` whatever happens (the backstop for a notification lost to a
 * silently broken connection). While the LISTEN connection is down nothing is served from the cache.
 * Revocation latency and races: accounts/README.md.
 */
export class AccountCache implements AccountReads {
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Set<Ticket>>();
  readonly #barriers = new Map<string, () => void>();
  #listener: Listener | undefined;
  readonly #unsubscribe: () => void;

  private constructor(
    private readonly db: Db,
    private readonly store: AccountStore,
    changes: AccountChanges,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {
    this.#unsubscribe = changes.subscribe((key) => this.invalidate(key));
  }

  static async open(
    db: Db,
    store: AccountStore,
    changes: AccountChanges,
    options: { ttlMs: number; maxEntries?: number },
  ): Promise<AccountCache> {
    const cache = new AccountCache(db, store, changes, options.ttlMs, options.maxEntries ?? 10_000);
    if (options.ttlMs > 0)
      cache.#listener = await db.listen(ACCOUNT_CHANNEL, {
        message: (payload) => cache.#onNotify(payload),
        // Whatever was missed while the channel was down may be cached: start afresh either way.
        state: () => cache.clear(),
      });
    return cache;
  }

  /** Serving from the cache: enabled, and the LISTEN connection up. */
  get active(): boolean {
    return this.ttlMs > 0 && this.#listener?.connected === true;
  }

  get(projectId: string, id: string): Promise<ConnectedAccount | undefined> {
    return this.#read(idKey(projectId, id), () => this.store.get(projectId, id));
  }

  forUserAndProvider(
    projectId: string,
    userId: string,
    providerId: string,
    groupId?: string,
  ): Promise<ConnectedAccount[]> {
    // A list that includes a group's connections is read from the store: a change to a group's
    // account names its creator, not the members whose lists hold it, so no key would drop them.
    if (groupId !== undefined) return this.store.forUserAndProvider(projectId, userId, providerId, groupId);
    return this.#read(listKey(projectId, userId, providerId), () =>
      this.store.forUserAndProvider(projectId, userId, providerId),
    );
  }

  invalidate(key: AccountChangeKey): void {
    this.#drop(idKey(key.projectId, key.id));
    if (key.userId !== undefined && key.providerId !== undefined) {
      this.#drop(listKey(key.projectId, key.userId, key.providerId));
      return;
    }
    // An account named without its owner: every list of the project may hold it.
    const prefix = listPrefix(key.projectId);
    for (const k of [...this.#entries.keys(), ...this.#inflight.keys()])
      if (k.startsWith(prefix)) this.#drop(k);
  }

  clear(): void {
    for (const k of [...this.#entries.keys(), ...this.#inflight.keys()]) this.#drop(k);
  }

  /**
   * Resolves once every change committed before the call has reached this replica's listener:
   * notifications arrive in commit order, so a marker sent now arrives after them.
   */
  async barrier(): Promise<void> {
    if (!this.#listener) return;
    const marker = `barrier:${randomUUID()}`;
    const arrived = new Promise<void>((resolve) => this.#barriers.set(marker, resolve));
    await this.db.query('SELECT pg_notify($1, $2)', [ACCOUNT_CHANNEL, JSON.stringify(marker)]);
    await arrived;
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    await this.#listener?.close();
    this.clear();
  }

  async #read<V extends ConnectedAccount | ConnectedAccount[] | undefined>(
    key: string,
    load: () => Promise<V>,
  ): Promise<V> {
    if (!this.active) return load();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > Date.now()) return hit.value as V;
    // A row read inside an atomic change may be its uncommitted write (rolled back later): not kept.
    const ticket: Ticket = { stale: this.db.inChange };
    let tickets = this.#inflight.get(key);
    if (!tickets) {
      tickets = new Set();
      this.#inflight.set(key, tickets);
    }
    tickets.add(ticket);
    try {
      const value = await load();
      // Misses are not kept: an account created later must be found at once.
      if (!ticket.stale && value !== undefined && this.active) this.#set(key, value);
      return value;
    } finally {
      tickets.delete(ticket);
      if (tickets.size === 0 && this.#inflight.get(key) === tickets) this.#inflight.delete(key);
    }
  }

  #set(key: string, value: ConnectedAccount | ConnectedAccount[]): void {
    if (this.#entries.size >= this.maxEntries && !this.#entries.has(key)) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expires: Date.now() + this.ttlMs });
  }

  #drop(key: string): void {
    this.#entries.delete(key);
    for (const ticket of this.#inflight.get(key) ?? []) ticket.stale = true;
  }

  #onNotify(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      this.clear(); // not ours to read: assume the worst
      return;
    }
    if (typeof parsed === 'string') {
      this.#barriers.get(parsed)?.();
      this.#barriers.delete(parsed);
      return;
    }
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
      this.clear();
      return;
    }
    const [projectId, id, userId, providerId] = parsed as [string, string, unknown, unknown];
    this.invalidate({
      projectId,
      id,
      ...(typeof userId === 'string' && typeof providerId === 'string' ? { userId, providerId } : {}),
    });
  }
}
