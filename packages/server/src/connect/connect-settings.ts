import { z } from 'zod';
import { ok, type Result } from '../shared/result.js';
import { CommittedCache } from '../store/committed-cache.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import { checkAppUrl } from './links.js';

/**
 * How a project's Connect Links finish. `userVerification`: a Connect Link URL is a bearer URL, so
 * whoever opens it could attach *their* upstream account to the link's user. With verification on,
 * the finished sign-in is held until the app (at `verifierUrl`) confirms its own signed-in user is
 * the link's user. Off by default (development); recommended in production.
 */
export const connectSettingsSchema = z.strictObject({
  userVerification: z
    .strictObject({ enabled: z.boolean(), verifierUrl: z.string().min(1).max(2000).optional() })
    .refine((v) => !v.enabled || v.verifierUrl !== undefined, {
      message: 'verifierUrl is required when user verification is enabled',
      path: ['verifierUrl'],
    }),
});

export type ConnectSettings = z.output<typeof connectSettingsSchema>;

export interface StoredConnectSettings extends ConnectSettings {
  version: number;
  updatedAt: Date | null;
}

interface Row extends Record<string, unknown> {
  user_verification_enabled: boolean;
  verifier_url: string | null;
  version: number;
  updated_at: Date;
}

const DEFAULTS: StoredConnectSettings = {
  userVerification: { enabled: false },
  version: 0,
  updatedAt: null,
};

export class ConnectSettingsStore {
  private readonly cache: CommittedCache<StoredConnectSettings>;

  constructor(
    private readonly db: Db,
    private readonly production: boolean,
    cacheMs = 1_000,
    /** Other replicas' changes, dropped when their notification arrives (`cacheMs` is the backstop). */
    feed?: GovernanceFeed,
  ) {
    this.cache = new CommittedCache(db, cacheMs, feed && { feed, kinds: ['connect'] });
  }

  async get(projectId: string): Promise<StoredConnectSettings> {
    return this.cache.read(projectId, async () => {
      const { rows } = await this.db.query<Row>(
        'SELECT user_verification_enabled, verifier_url, version, updated_at FROM connect_settings WHERE project_id = $1',
        [projectId],
      );
      return rows[0] ? fromRow(rows[0]) : DEFAULTS;
    });
  }

  /** The verifier URL follows the rules of a link's `callbackUrl` (https, or http on loopback/dev). */
  async put(projectId: string, settings: ConnectSettings): Promise<Result<StoredConnectSettings>> {
    const { enabled, verifierUrl } = settings.userVerification;
    if (verifierUrl !== undefined) {
      const checked = checkAppUrl(verifierUrl, this.production, 'userVerification.verifierUrl');
      if (!checked.ok) return checked;
    }
    const { rows } = await this.db.query<Row>(
      `INSERT INTO connect_settings (project_id, user_verification_enabled, verifier_url) VALUES ($1, $2, $3)
       ON CONFLICT (project_id) DO UPDATE SET user_verification_enabled = EXCLUDED.user_verification_enabled,
         verifier_url = EXCLUDED.verifier_url, version = connect_settings.version + 1, updated_at = now()
       RETURNING user_verification_enabled, verifier_url, version, updated_at`,
      [projectId, enabled, verifierUrl ?? null],
    );
    // Now and again once committed: a read racing the write (or its transaction) may have cached the old value.
    this.cache.drop(projectId);
    return ok(fromRow(rows[0]!));
  }
}

const fromRow = (r: Row): StoredConnectSettings => ({
  userVerification: {
    enabled: r.user_verification_enabled,
    ...(r.verifier_url === null ? {} : { verifierUrl: r.verifier_url }),
  },
  version: r.version,
  updatedAt: r.updated_at,
});
