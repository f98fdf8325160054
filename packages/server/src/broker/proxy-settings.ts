import { z } from 'zod';
import { CommittedCache } from '../store/committed-cache.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';

/**
 * Whether a project's agents may use the raw proxy, and what one proxied call costs in budgets.
 * New projects get the proxy outside production and not in production: the proxy is the widest
 * door to a provider (any path under its API), so an operator opens it on purpose. A project without
 * a row (none should exist) has it closed.
 */
export const proxySettingsSchema = z.strictObject({
  enabled: z.boolean(),
  costUnits: z.number().nonnegative().max(1e6).default(1),
});

export type ProxySettings = z.output<typeof proxySettingsSchema>;

interface Row extends Record<string, unknown> {
  enabled: boolean;
  cost_units: string;
  version: number;
  updated_at: Date;
}

export interface StoredProxySettings extends ProxySettings {
  version: number;
  updatedAt: Date | null;
}

const CLOSED: StoredProxySettings = { enabled: false, costUnits: 1, version: 0, updatedAt: null };

export class ProxySettingsStore {
  private readonly cache: CommittedCache<StoredProxySettings>;

  constructor(
    private readonly db: Db,
    cacheMs = 1_000,
    /** Other replicas' changes, dropped when their notification arrives (`cacheMs` is the backstop). */
    feed?: GovernanceFeed,
  ) {
    this.cache = new CommittedCache(db, cacheMs, feed && { feed, kinds: ['proxy'] });
  }

  async get(projectId: string): Promise<StoredProxySettings> {
    return this.cache.read(projectId, async () => {
      const { rows } = await this.db.query<Row>(
        'SELECT enabled, cost_units, version, updated_at FROM proxy_settings WHERE project_id = $1',
        [projectId],
      );
      return rows[0] ? fromRow(rows[0]) : CLOSED;
    });
  }

  async put(projectId: string, settings: ProxySettings): Promise<StoredProxySettings> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO proxy_settings (project_id, enabled, cost_units) VALUES ($1, $2, $3)
       ON CONFLICT (project_id) DO UPDATE SET enabled = EXCLUDED.enabled, cost_units = EXCLUDED.cost_units,
         version = proxy_settings.version + 1, updated_at = now()
       RETURNING enabled, cost_units, version, updated_at`,
      [projectId, settings.enabled, settings.costUnits],
    );
    // Now and again once committed: a read racing the write (or its transaction) may have cached the old value.
    this.cache.drop(projectId);
    return fromRow(rows[0]!);
  }
}

const fromRow = (r: Row): StoredProxySettings => ({
  enabled: r.enabled,
  costUnits: Number(r.cost_units),
  version: r.version,
  updatedAt: r.updated_at,
});
