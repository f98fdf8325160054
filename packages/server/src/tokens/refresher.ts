import type { OAuthClient } from '../providers/oauth-client.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import type { Result } from '../shared/result.js';
import type { LeasedAccount } from './lease-store.js';
import { newLeaseId, type RefreshContext, refreshUnderLease } from './refresh-attempt.js';
import { refreshDueAt } from './schedule.js';

export interface RefresherSettings {
  intervalMs: number;
  batchSize: number;
}

type Loaded = Result<{ provider: ResolvedProvider; client: OAuthClient }>;

// An auth config that cannot be loaded (provider removed, secret unreadable) is looked at again later.
const UNLOADABLE_RETRY_MS = 10 * 60_000;

/**
 * The proactive refresher every replica runs: lease a batch of due accounts (SKIP LOCKED, so replicas
 * share the work instead of queueing on each other), refresh them concurrently through the same code
 * as inline refreshes, repeat at once while whole batches come back, else sleep about one interval.
 */
export class Refresher {
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(
    private readonly c: RefreshContext,
    private readonly settings: RefresherSettings,
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** One batch; returns how many accounts it leased. Exposed for tests and the benchmark. */
  async tick(): Promise<number> {
    const leaseId = newLeaseId();
    const claimedAt = Date.now();
    const rows = await this.c.leases.claimDue(leaseId, this.c.leaseTimeoutMs, this.settings.batchSize);
    const configs = new Map<string, Promise<Loaded>>();
    const load = (row: LeasedAccount) => {
      const key = `${row.projectId}/${row.authConfigId}`;
      let loaded = configs.get(key);
      if (!loaded) {
        loaded = this.c.authConfigs.load(row.projectId, row.authConfigId);
        configs.set(key, loaded);
      }
      return loaded;
    };
    await Promise.all(rows.map((row) => this.#one(row, leaseId, claimedAt, load)));
    return rows.length;
  }

  async #one(
    row: LeasedAccount,
    leaseId: string,
    claimedAt: number,
    load: (row: LeasedAccount) => Promise<Loaded>,
  ): Promise<void> {
    try {
      const loaded = await load(row);
      if (!loaded.ok) {
        this.c.log.warn(
          { project_id: row.projectId, account_id: row.id, reason: loaded.error.code },
          'refresher cannot load the auth config; will retry later',
        );
        await this.c.leases.release(
          row.projectId,
          row.id,
          leaseId,
          new Date(Date.now() + UNLOADABLE_RETRY_MS),
        );
        return;
      }
      const { provider, client } = loaded.value;
      if (row.nextRefreshAt === null && row.accessTokenExpiresAt) {
        // Unscheduled token (an account connected before connect set `next_refresh_at`): schedule it,
        // refresh only if due.
        const due = refreshDueAt(provider, row.accessTokenExpiresAt, row.lastRefreshedAt);
        if (due.getTime() > Date.now()) {
          await this.c.leases.release(row.projectId, row.id, leaseId, due);
          return;
        }
      }
      await refreshUnderLease(this.c, row, leaseId, claimedAt, provider, client, 'proactive');
    } catch (err) {
      // The lease runs out by itself; another tick (here or on another replica) takes it over.
      this.c.log.error({ account_id: row.id, err: (err as Error).message }, 'refresher attempt crashed');
    }
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let leased = 0;
      try {
        leased = await this.tick();
      } catch (err) {
        this.c.log.error({ err: (err as Error).message }, 'refresher tick failed');
      }
      if (leased >= this.settings.batchSize || !this.#running) continue;
      const pause = this.settings.intervalMs * (0.8 + Math.random() * 0.4);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
