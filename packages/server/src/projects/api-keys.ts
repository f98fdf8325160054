import { createHash, timingSafeEqual } from 'node:crypto';
import type { Delegation } from '../delegation/tokens.js';
import { newId, randomToken } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import { CommittedCache } from '../store/committed-cache.js';
import type { Db, Queryable } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';
import { isKeyRole, type KeyRole } from './key-roles.js';

export interface ApiKey {
  id: string;
  projectId: string;
  name: string;
  role: KeyRole;
  /** The registered agent this key authenticates (an agent key, `gth_ak_…`), or null for a project key. */
  agentId: string | null;
  /** The public, non-secret start of the key, to recognise it in lists. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ProjectPrincipal {
  projectId: string;
  apiKeyId: string;
  role: KeyRole;
  /** Set for an agent key: the acting agent of every call made with it (agents/acting-agent.ts). */
  agentId: string | null;
  /** Set when the credential is an exchanged delegation token: its user and verified chain. */
  delegation?: Delegation | undefined;
}

// gth_sk_<lookup id: 12 base62>_<secret: 40 base62> for a project key, gth_ak_… for an agent's key.
// The prefix makes leaked keys greppable by scanners; the hash covers it, so it cannot be edited.
const KEY_PATTERN = /^gth_(sk|ak)_([A-Za-z0-9]{12})_([A-Za-z0-9]{40})$/;
// Writing last_used_at on every request would put a write on the hot path; once a minute is plenty.
const LAST_USED_RESOLUTION_MS = 60_000;

interface ApiKeyRow extends Record<string, unknown> {
  id: string;
  project_id: string;
  name: string;
  role: string;
  agent_id: string | null;
  lookup_id: string;
  secret_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS =
  'id, project_id, name, role, agent_id, lookup_id, secret_hash, created_at, last_used_at, revoked_at';

// The column's CHECK allows only the known roles; anything else would be a schema drift, read as the lesser role.
const roleOf = (r: ApiKeyRow): KeyRole => (isKeyRole(r.role) ? r.role : 'runtime');

const kindOf = (r: { agent_id: string | null }): string => (r.agent_id === null ? 'gth_sk_' : 'gth_ak_');

const toApiKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  role: roleOf(r),
  agentId: r.agent_id,
  prefix: `${kindOf(r)}${r.lookup_id}`,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

export class ApiKeyStore {
  private readonly lastTouched = new Map<string, number>();
  // Keyed by the SHA-256 of the presented key, never the key itself.
  private readonly verified: CommittedCache<ProjectPrincipal>;

  /**
   * `cacheMs`: how long a verified key is trusted without a database read. With `feed`, a key revoked
   * (or its role changed) on another replica is dropped when the notification arrives and `cacheMs`
   * is only the backstop; without it, another replica's revocation takes up to `cacheMs` to apply here.
   */
  constructor(
    private readonly db: Db,
    cacheMs = 5_000,
    feed?: GovernanceFeed,
  ) {
    this.verified = new CommittedCache(
      db,
      cacheMs,
      feed && { feed, kinds: ['api_key'], drops: (c) => (_k, p) => p.apiKeyId === c.id },
    );
  }

  /** Creates a project key; the plaintext is returned once and never stored. */
  async create(projectId: string, name: string, role: KeyRole): Promise<{ apiKey: ApiKey; secret: string }> {
    const lookupId = randomToken(12);
    const secret = `gth_sk_${lookupId}_${randomToken(40)}`;
    const { rows } = await this.db.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, project_id, name, role, lookup_id, secret_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [newId('key'), projectId, name, role, lookupId, sha256(secret).toString('hex')],
    );
    return { apiKey: toApiKey(rows[0]!), secret };
  }

  /**
   * Creates a key bound to a registered agent (role runtime). Only an enabled agent gets one: the
   * insert reads the agent row FOR SHARE, so it waits for a concurrent disable and then sees it (or
   * commits first, and the disable revokes the new key too).
   */
  async createForAgent(
    db: Queryable,
    projectId: string,
    agentId: string,
    name: string,
  ): Promise<Result<{ apiKey: ApiKey; secret: string }>> {
    const lookupId = randomToken(12);
    const secret = `gth_ak_${lookupId}_${randomToken(40)}`;
    const { rows } = await db.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, project_id, name, role, agent_id, lookup_id, secret_hash)
       SELECT $1, project_id, $3, 'runtime', id, $5, $6 FROM agents
        WHERE project_id = $2 AND id = $4 AND disabled_at IS NULL FOR SHARE
       RETURNING ${COLUMNS}`,
      [newId('key'), projectId, name, agentId, lookupId, sha256(secret).toString('hex')],
    );
    return rows[0]
      ? ok({ apiKey: toApiKey(rows[0]), secret })
      : fail('not_found', `agent ${agentId} not found`);
  }

  /** The keys of one agent, newest first (at most `limit`; an agent has a handful). */
  async listForAgent(projectId: string, agentId: string, limit = 100): Promise<ApiKey[]> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE project_id = $1 AND agent_id = $2 ORDER BY id DESC LIMIT $3`,
      [projectId, agentId, limit],
    );
    return rows.map(toApiKey);
  }

  /** Revokes every key of an agent, inside the caller's transaction; call `forgetAgent` once it commits. */
  async revokeForAgent(db: Queryable, projectId: string, agentId: string): Promise<void> {
    await db.query(
      'UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE project_id = $1 AND agent_id = $2',
      [projectId, agentId],
    );
  }

  /**
   * Drops this replica's trusted copies of an agent's keys (after they were revoked): they stop
   * working here at once; other replicas drop them when migration 0031's notification arrives.
   */
  forgetAgent(projectId: string, agentId: string): void {
    this.verified.dropWhere((_k, p) => p.projectId === projectId && p.agentId === agentId);
  }

  async list(projectId: string, page: Page): Promise<PageResult<ApiKey>> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE project_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [projectId, decodeCursor(page.cursor) ?? null, page.limit + 1],
    );
    return toPage(rows, page.limit, toApiKey);
  }

  /** Revokes a key of the project (`agentId`: only if it is that agent's key). */
  async revoke(projectId: string, keyId: string, agentId?: string): Promise<Result<ApiKey>> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
        WHERE project_id = $1 AND id = $2 AND ($3::text IS NULL OR agent_id = $3) RETURNING ${COLUMNS}`,
      [projectId, keyId, agentId ?? null],
    );
    // Now, and again once committed (inside an atomic change a racing request may re-cache it meanwhile).
    this.verified.dropWhere((_k, p) => p.apiKeyId === keyId);
    return rows[0] ? ok(toApiKey(rows[0])) : fail('not_found', `API key ${keyId} not found`);
  }

  /** Resolves a presented key to its project and role. Comparison is constant-time over the stored hash. */
  async authenticate(
    presented: string,
    /** The key's SHA-256, when the caller has it already. */
    digest = sha256(presented),
  ): Promise<Result<ProjectPrincipal>> {
    const match = KEY_PATTERN.exec(presented);
    if (!match) return fail('invalid_api_key', 'API key is malformed');
    const cacheKey = digest.toString('hex');
    // The hot path: a key verified lately, answered without a promise of the cache's own.
    const hit = this.verified.get(cacheKey);
    if (hit) return ok(hit);
    let refused: Result<ProjectPrincipal> = fail('invalid_api_key', 'API key is not valid');
    const principal = await this.verified.read(cacheKey, async () => {
      const { rows } = await this.db.query<ApiKeyRow>(
        `SELECT ${COLUMNS} FROM api_keys WHERE lookup_id = $1`,
        [match[2]],
      );
      const row = rows[0];
      // Hash even when no row exists so timing does not reveal which lookup ids exist.
      const expected = row ? Buffer.from(row.secret_hash, 'hex') : sha256('');
      const matches = timingSafeEqual(digest, expected);
      // The kind in the prefix is covered by the hash; checking it too keeps a drifted row from passing.
      if (!row || !matches || `gth_${match[1]}_` !== kindOf(row)) return undefined;
      if (row.revoked_at) {
        refused = fail('api_key_revoked', 'API key has been revoked');
        return undefined;
      }
      this.touch(row.project_id, row.id);
      return { projectId: row.project_id, apiKeyId: row.id, role: roleOf(row), agentId: row.agent_id };
    });
    return principal ? ok(principal) : refused;
  }

  private touch(projectId: string, keyId: string): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(keyId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastTouched.set(keyId, now);
    this.db
      .query('UPDATE api_keys SET last_used_at = now() WHERE project_id = $1 AND id = $2', [projectId, keyId])
      .catch(() => {});
  }
}
