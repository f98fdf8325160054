import { z } from 'zod';
import { CommittedCache } from '../store/committed-cache.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import { DELEGATION_SCOPES } from './scopes.js';

/** Exchanged tokens live minutes, never longer than this, whatever a project asks. */
export const MAX_TOKEN_TTL_SECONDS = 900;
export const DEFAULT_TOKEN_TTL_SECONDS = 300;
/** How many agents a chain may hold (the user's agent, its sub-agent, …). */
export const MAX_DEPTH_CAP = 8;
export const DEFAULT_MAX_DEPTH = 3;

/**
 * An identity provider whose user tokens the token endpoint accepts as subject tokens: the
 * token's `iss` must equal `issuer`, its signature verify with a key of `jwksUri`, its `aud`
 * contain `audience`; the user id is the string claim `userIdClaim` (`sub` unless said otherwise).
 * `scopes` caps what tokens exchanged from it may carry (every delegation scope unless said).
 */
export const trustedIssuerSchema = z.strictObject({
  issuer: z.string().url().max(2000),
  jwksUri: z
    .string()
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  audience: z.string().min(1).max(2000),
  userIdClaim: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/, 'must be a claim name')
    .default('sub'),
  scopes: z.array(z.enum(DELEGATION_SCOPES)).max(DELEGATION_SCOPES.length).optional(),
});
export type TrustedIssuer = z.output<typeof trustedIssuerSchema>;

export const delegationSettingsSchema = z.strictObject({
  tokenTtlSeconds: z.number().int().min(30).max(MAX_TOKEN_TTL_SECONDS).default(DEFAULT_TOKEN_TTL_SECONDS),
  maxDepth: z.number().int().min(1).max(MAX_DEPTH_CAP).default(DEFAULT_MAX_DEPTH),
  trustedIssuers: z
    .array(trustedIssuerSchema)
    .max(20)
    .default([])
    .refine((l) => new Set(l.map((i) => i.issuer)).size === l.length, 'each issuer may appear once'),
});
export type DelegationSettings = z.output<typeof delegationSettingsSchema>;

const DEFAULTS: DelegationSettings = {
  tokenTtlSeconds: DEFAULT_TOKEN_TTL_SECONDS,
  maxDepth: DEFAULT_MAX_DEPTH,
  trustedIssuers: [],
};

interface Row extends Record<string, unknown> {
  token_ttl_seconds: number;
  max_depth: number;
  trusted_issuers: TrustedIssuer[];
}

/** A project's delegation settings (admin only: trusting an issuer decides who its users are). */
export class DelegationSettingsStore {
  private readonly cache: CommittedCache<DelegationSettings>;

  constructor(
    private readonly db: Db,
    cacheMs = 1_000,
    /** Other replicas' changes, dropped when their notification arrives (`cacheMs` is the backstop). */
    feed?: GovernanceFeed,
  ) {
    this.cache = new CommittedCache(db, cacheMs, feed && { feed, kinds: ['delegation'] });
  }

  async get(projectId: string): Promise<DelegationSettings> {
    return this.cache.read(projectId, async () => {
      const { rows } = await this.db.query<Row>(
        'SELECT token_ttl_seconds, max_depth, trusted_issuers FROM delegation_settings WHERE project_id = $1',
        [projectId],
      );
      return rows[0] ? fromRow(rows[0]) : DEFAULTS;
    });
  }

  async put(projectId: string, s: DelegationSettings): Promise<DelegationSettings> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO delegation_settings (project_id, token_ttl_seconds, max_depth, trusted_issuers)
       VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (project_id) DO UPDATE SET token_ttl_seconds = EXCLUDED.token_ttl_seconds,
         max_depth = EXCLUDED.max_depth, trusted_issuers = EXCLUDED.trusted_issuers, updated_at = now()
       RETURNING token_ttl_seconds, max_depth, trusted_issuers`,
      [projectId, s.tokenTtlSeconds, s.maxDepth, JSON.stringify(s.trustedIssuers)],
    );
    // Now and again once committed: a read racing the write (or its transaction) may have cached the old value.
    this.cache.drop(projectId);
    return fromRow(rows[0]!);
  }
}

const fromRow = (r: Row): DelegationSettings => ({
  tokenTtlSeconds: r.token_ttl_seconds,
  maxDepth: r.max_depth,
  trustedIssuers: r.trusted_issuers,
});
