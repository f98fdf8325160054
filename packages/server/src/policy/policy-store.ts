import { CommittedCache } from '../store/committed-cache.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import type { PolicyDocument } from './compile.js';

export interface PolicyVersion {
  version: number;
  document: PolicyDocument;
  createdBy: string | null;
  createdAt: Date;
}

interface Row extends Record<string, unknown> {
  version: number;
  document: PolicyDocument;
  created_by: string | null;
  created_at: Date;
}

const toVersion = (r: Row): PolicyVersion => ({
  version: r.version,
  document: r.document,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Every change to a project's policies is a new, immutable version; the highest one is in force. */
export class PolicyStore {
  private readonly versions: CommittedCache<number>;

  /**
   * `cacheMs`: how long a replica trusts the version it last read (0 = read on every call). A change
   * made through this replica applies once it commits; with `feed`, other replicas drop the version
   * when its notification arrives (`cacheMs` is the backstop), without it within `cacheMs`.
   */
  constructor(
    private readonly db: Db,
    cacheMs = 1_000,
    feed?: GovernanceFeed,
  ) {
    this.versions = new CommittedCache(db, cacheMs, feed && { feed, kinds: ['policy'] });
  }

  /** 0 when the project never set policies. One index lookup, at most once per `cacheMs` per project. */
  async currentVersion(projectId: string): Promise<number> {
    return this.versions.read(projectId, async () => {
      const { rows } = await this.db.query<{ v: number | null }>(
        'SELECT max(version) AS v FROM policy_versions WHERE project_id = $1',
        [projectId],
      );
      return rows[0]?.v ?? 0;
    });
  }

  async get(projectId: string, version?: number): Promise<PolicyVersion | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT version, document, created_by, created_at FROM policy_versions
       WHERE project_id = $1 AND ($2::integer IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`,
      [projectId, version ?? null],
    );
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** Newest first; `before` is the version to continue below. */
  async list(projectId: string, limit: number, before?: number): Promise<PolicyVersion[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT version, document, created_by, created_at FROM policy_versions
       WHERE project_id = $1 AND ($2::integer IS NULL OR version < $2) ORDER BY version DESC LIMIT $3`,
      [projectId, before ?? null, limit],
    );
    return rows.map(toVersion);
  }

  /** Appends the next version. Two writers racing both succeed, one after the other. */
  async put(projectId: string, document: PolicyDocument, createdBy: string | null): Promise<PolicyVersion> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { rows } = await this.db.query<Row>(
          `INSERT INTO policy_versions (project_id, version, document, created_by)
           SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM policy_versions WHERE project_id = $1
           RETURNING version, document, created_by, created_at`,
          [projectId, JSON.stringify(document), createdBy],
        );
        // Once the change commits: a read racing the write may have cached the old version.
        this.versions.drop(projectId);
        return toVersion(rows[0]!);
      } catch (err) {
        // 23505: another writer took this version number first; take the next one.
        if ((err as { code?: string }).code !== '23505' || attempt >= 4) throw err;
      }
    }
  }
}
