import { z } from 'zod';
import type { ToolCatalog } from '../catalog/tool-catalog.js';
import { fail, ok, type Result } from '../shared/result.js';
import { CommittedCache } from '../store/committed-cache.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';

const MAX_WINDOW_SECONDS = 31 * 24 * 3600;

/**
 * A project's limits, independent of anything a human does: fixed-window call rates per end user,
 * per agent or per tool (optionally only for some tools), and monthly cost-unit budgets (each tool's
 * `costUnits` from the catalog) per end user and per agent.
 */
export const limitsConfigSchema = z.strictObject({
  rateLimits: z
    .array(
      z.strictObject({
        per: z.enum(['user', 'agent', 'tool']),
        limit: z.number().int().min(1).max(1_000_000_000),
        windowSeconds: z.number().int().min(1).max(MAX_WINDOW_SECONDS),
        // Slugs are checked against the project's catalog when the settings are written.
        tools: z.array(z.string().min(3).max(200)).min(1).max(200).optional(),
      }),
    )
    .max(50)
    .default([]),
  budgets: z
    .strictObject({
      monthlyPerUser: z.number().positive().max(1e12).optional(),
      monthlyPerAgent: z.number().positive().max(1e12).optional(),
    })
    .default({}),
});

export type LimitsConfig = z.output<typeof limitsConfigSchema>;
export type RateLimitRule = LimitsConfig['rateLimits'][number];

export interface StoredLimits {
  config: LimitsConfig;
  version: number;
  updatedAt: Date;
}

interface Row extends Record<string, unknown> {
  config: LimitsConfig;
  version: number;
  updated_at: Date;
}

export class LimitSettingsStore {
  // Read on every call; like policy versions, kept until a change's notification drops it.
  private readonly cache: CommittedCache<StoredLimits | null>;

  constructor(
    private readonly db: Db,
    private readonly catalog: ToolCatalog,
    cacheMs = 1_000,
    /** Other replicas' changes, dropped when their notification arrives (`cacheMs` is the backstop). */
    feed?: GovernanceFeed,
  ) {
    this.cache = new CommittedCache(db, cacheMs, feed && { feed, kinds: ['limits'] });
  }

  async get(projectId: string): Promise<StoredLimits | undefined> {
    // A project without settings is kept as null: its first PUT notifies like any change.
    const value = await this.cache.read(projectId, async () => {
      const { rows } = await this.db.query<Row>(
        'SELECT config, version, updated_at FROM limit_settings WHERE project_id = $1',
        [projectId],
      );
      const r = rows[0];
      return r ? { config: r.config, version: r.version, updatedAt: r.updated_at } : null;
    });
    return value ?? undefined;
  }

  /** Fails when a rule names a tool the project's catalog does not have. */
  async put(projectId: string, config: LimitsConfig): Promise<Result<StoredLimits>> {
    const catalog = await this.catalog.forProject(projectId);
    const issues = config.rateLimits.flatMap((rule, i) =>
      (rule.tools ?? []).flatMap((slug, j) =>
        catalog.get(slug)
          ? []
          : [{ path: `body.rateLimits.${i}.tools.${j}`, message: 'no tool with this slug' }],
      ),
    );
    if (issues.length > 0)
      return fail('invalid_request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
    const { rows } = await this.db.query<Row>(
      `INSERT INTO limit_settings (project_id, config) VALUES ($1, $2)
       ON CONFLICT (project_id) DO UPDATE SET config = EXCLUDED.config, version = limit_settings.version + 1,
         updated_at = now()
       RETURNING config, version, updated_at`,
      [projectId, JSON.stringify(config)],
    );
    const r = rows[0]!;
    // Now and again once committed: a read racing the write (or its transaction) may have cached the old value.
    this.cache.drop(projectId);
    return ok({ config: r.config, version: r.version, updatedAt: r.updated_at });
  }
}
