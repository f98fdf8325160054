import { randomUUID } from 'node:crypto';
import type { Db, Listener } from './db.js';

/** The channel migration 0031's trigger notifies on every governance change a cached read could observe. */
export const GOVERNANCE_CHANNEL = 'gatehouse_governance';

/** What a governance row is, as the trigger names it (its first argument). */
export type GovernanceKind =
  | 'api_key'
  | 'policy'
  | 'limits'
  | 'proxy'
  | 'connect'
  | 'delegation'
  | 'toolkit'
  | 'mcp_server'
  | 'mcp_family'
  | 'mcp_user_session'
  | 'mcp_protocol_session'
  | 'auth_config';

/** One committed change: the row's kind, project, and id (null for a project's one settings row). */
export interface GovernanceChange {
  kind: GovernanceKind;
  projectId: string;
  id: string | null;
}

/** A cache that follows the feed: drops what a change names, and everything when notifications may be lost. */
export interface GovernanceWatcher {
  changed(change: GovernanceChange): void;
  /** The channel went down or came back, or a payload could not be read: nothing cached can be trusted. */
  reset(): void;
}

const KINDS: ReadonlySet<string> = new Set<GovernanceKind>([
  'api_key',
  'policy',
  'limits',
  'proxy',
  'connect',
  'delegation',
  'toolkit',
  'mcp_server',
  'mcp_family',
  'mcp_user_session',
  'mcp_protocol_session',
  'auth_config',
]);

/**
 * This replica's one LISTEN on `gatehouse_governance`, shared by every governance cache. Each change
 * is delivered by PostgreSQL when (and only if) its transaction commits; the watchers of its kind drop
 * what it names. While the connection is down `active` is false and the caches read through (they
 * serve and keep nothing); they are emptied when it drops and again when it is back, since
 * notifications sent meanwhile are gone. Revocation latency: README, "Hot-path caching".
 */
export class GovernanceFeed {
  readonly #watchers = new Map<GovernanceKind, Set<GovernanceWatcher>>();
  readonly #barriers = new Map<string, () => void>();
  #listener: Listener | undefined;

  private constructor(private readonly db: Db) {}

  /** Listens on `db`; `enabled: false` (every governance cache off) opens no connection. */
  static async open(db: Db, options: { enabled: boolean }): Promise<GovernanceFeed> {
    const feed = new GovernanceFeed(db);
    if (options.enabled)
      feed.#listener = await db.listen(GOVERNANCE_CHANNEL, {
        message: (payload) => feed.#onNotify(payload),
        state: () => feed.#resetAll(),
      });
    return feed;
  }

  /** Caches may serve entries: the LISTEN connection is up. */
  get active(): boolean {
    return this.#listener?.connected === true;
  }

  watch(kinds: readonly GovernanceKind[], watcher: GovernanceWatcher): () => void {
    for (const kind of kinds) {
      let set = this.#watchers.get(kind);
      if (!set) {
        set = new Set();
        this.#watchers.set(kind, set);
      }
      set.add(watcher);
    }
    return () => {
      for (const kind of kinds) this.#watchers.get(kind)?.delete(watcher);
    };
  }

  /**
   * Resolves once every change committed before the call has reached this replica: notifications
   * arrive in commit order, so a marker sent now arrives after them.
   */
  async barrier(): Promise<void> {
    if (!this.#listener) return;
    const marker = `barrier:${randomUUID()}`;
    const arrived = new Promise<void>((resolve) => this.#barriers.set(marker, resolve));
    await this.db.query('SELECT pg_notify($1, $2)', [GOVERNANCE_CHANNEL, JSON.stringify(marker)]);
    await arrived;
  }

  async close(): Promise<void> {
    await this.#listener?.close();
    this.#listener = undefined;
    this.#resetAll();
  }

  #resetAll(): void {
    for (const set of this.#watchers.values()) for (const w of set) w.reset();
  }

  #onNotify(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      this.#resetAll(); // not ours to read: assume the worst
      return;
    }
    if (typeof parsed === 'string') {
      this.#barriers.get(parsed)?.();
      this.#barriers.delete(parsed);
      return;
    }
    if (
      !Array.isArray(parsed) ||
      typeof parsed[0] !== 'string' ||
      !KINDS.has(parsed[0]) ||
      typeof parsed[1] !== 'string'
    ) {
      this.#resetAll();
      return;
    }
    const change: GovernanceChange = {
      kind: parsed[0] as GovernanceKind,
      projectId: parsed[1],
      id: typeof parsed[2] === 'string' ? parsed[2] : null,
    };
    for (const w of this.#watchers.get(change.kind) ?? []) {
      try {
        w.changed(change);
      } catch {
        w.reset();
      }
    }
  }
}
