import { createHash, timingSafeEqual } from 'node:crypto';
import type { ToolCatalog } from '../catalog/tool-catalog.js';
import { newId, randomToken } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import { CommittedCache } from '../store/committed-cache.js';
import { type Db, onCommitted, type Queryable } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';
import { checkToolkits } from './login-config.js';

/** A per-user MCP URL for clients without OAuth: the developer's backend vouches for the user. */
export interface McpUserSession {
  id: string;
  projectId: string;
  userId: string;
  serverId: string | null;
  toolkits: string[] | null;
  /** The registered agent whose key minted the URL: the MCP client acts as it. Null for other keys. */
  agentId: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
}

export const USER_SESSION_TTL = { defaultSeconds: 3600, maxSeconds: 7 * 24 * 3600 };

interface Row extends Record<string, unknown> {
  id: string;
  project_id: string;
  user_id: string;
  server_id: string | null;
  toolkits: string[] | null;
  agent_id: string | null;
  credential_hash: string;
  expires_at: Date;
  revoked_at: Date | null;
  created_at: Date;
}

const COLUMNS =
  'id, project_id, user_id, server_id, toolkits, agent_id, credential_hash, expires_at, revoked_at, created_at';

const toSession = (r: Row): McpUserSession => ({
  id: r.id,
  projectId: r.project_id,
  userId: r.user_id,
  serverId: r.server_id,
  toolkits: r.toolkits,
  agentId: r.agent_id,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  createdAt: r.created_at,
});

// gth_mcp_<40 base62>: greppable by secret scanners, scrubbed from logs by the `gth_` pattern.
const CREDENTIAL = /^gth_mcp_[A-Za-z0-9]{40}$/;
const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Per-user MCP URLs: a short-lived bearer credential, shown once, stored hashed, revocable. */
export class McpUserSessions {
  constructor(
    private readonly db: Db,
    private readonly catalog: ToolCatalog,
    /** Backstop lifetime of a cached session row (GATEHOUSE_GOVERNANCE_CACHE_MS). */
    cacheMs = 0,
    feed?: GovernanceFeed,
  ) {
    this.#rows = new CommittedCache(
      db,
      cacheMs,
      feed && { feed, kinds: ['mcp_user_session'], drops: (c) => (key) => key === c.id },
    );
  }

  /**
   * Session rows by id: the MCP endpoint reads one on every request (find, then authenticate).
   * Revocations drop the row here once committed, and on every replica when migration 0031's
   * notification arrives.
   */
  readonly #rows: CommittedCache<Row>;

  #row(id: string): Promise<Row | undefined> {
    return this.#rows.read(id, async () => {
      const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM mcp_user_sessions WHERE id = $1`, [
        id,
      ]);
      return rows[0];
    });
  }

  async create(
    projectId: string,
    input: {
      userId: string;
      serverId?: string | undefined;
      toolkits?: string[] | undefined;
      expiresInSeconds?: number | undefined;
      agentId?: string | null | undefined;
    },
  ): Promise<Result<{ session: McpUserSession; credential: string }>> {
    if ((input.serverId === undefined) === (input.toolkits === undefined))
      return fail('invalid_request', 'give exactly one of serverId or toolkits');
    let toolkits: string[] | null = null;
    if (input.toolkits) {
      const checked = checkToolkits(input.toolkits, await this.catalog.forProject(projectId));
      if (!checked.ok) return checked;
      toolkits = checked.value;
    } else {
      const { rows } = await this.db.query('SELECT id FROM mcp_servers WHERE project_id = $1 AND id = $2', [
        projectId,
        input.serverId,
      ]);
      if (rows.length === 0) return fail('not_found', `MCP server ${input.serverId} not found`);
    }
    const seconds = input.expiresInSeconds ?? USER_SESSION_TTL.defaultSeconds;
    const credential = `gth_mcp_${randomToken(40)}`;
    const { rows } = await this.db.query<Row>(
      `INSERT INTO mcp_user_sessions (id, project_id, user_id, server_id, toolkits, credential_hash, expires_at, agent_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        newId('mcu'),
        projectId,
        input.userId,
        input.serverId ?? null,
        toolkits ? JSON.stringify(toolkits) : null,
        sha256(credential).toString('hex'),
        new Date(Date.now() + seconds * 1000),
        input.agentId ?? null,
      ],
    );
    return ok({ session: toSession(rows[0]!), credential });
  }

  async list(
    projectId: string,
    filter: { userId?: string | undefined },
    page: Page,
  ): Promise<PageResult<McpUserSession>> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM mcp_user_sessions
       WHERE project_id = $1 AND ($2::text IS NULL OR user_id = $2) AND ($3::text IS NULL OR id < $3)
       ORDER BY id DESC LIMIT $4`,
      [projectId, filter.userId ?? null, decodeCursor(page.cursor) ?? null, page.limit + 1],
    );
    return toPage(rows, page.limit, toSession);
  }

  async revoke(projectId: string, id: string): Promise<Result<McpUserSession>> {
    const { rows } = await this.db.query<Row>(
      `UPDATE mcp_user_sessions SET revoked_at = coalesce(revoked_at, now()) WHERE project_id = $1 AND id = $2
       RETURNING ${COLUMNS}`,
      [projectId, id],
    );
    this.#rows.drop(id);
    return rows[0] ? ok(toSession(rows[0])) : fail('not_found', `MCP session ${id} not found`);
  }

  /** Revokes the URLs an agent minted, inside the caller's transaction (the agent is being disabled). */
  async revokeForAgent(db: Queryable, projectId: string, agentId: string): Promise<void> {
    await db.query(
      'UPDATE mcp_user_sessions SET revoked_at = coalesce(revoked_at, now()) WHERE project_id = $1 AND agent_id = $2',
      [projectId, agentId],
    );
    // `db` may be a transaction of its own (not this Db's atomic change): dropped again once it commits.
    const drop = () => this.#rows.dropWhere((_k, r) => r.project_id === projectId && r.agent_id === agentId);
    drop();
    onCommitted(db, drop);
  }

  /** The MCP endpoint knows a session by the id in its URL; the credential must match, in constant time. */
  async authenticate(id: string, credential: string): Promise<Result<McpUserSession>> {
    const row = await this.#row(id);
    const presented = sha256(CREDENTIAL.test(credential) ? credential : '');
    const expected = row ? Buffer.from(row.credential_hash, 'hex') : sha256('');
    if (!row || !CREDENTIAL.test(credential) || !timingSafeEqual(presented, expected))
      return fail('invalid_token', 'the credential is not valid for this MCP URL');
    if (row.revoked_at) return fail('invalid_token', 'the credential was revoked');
    if (row.expires_at.getTime() <= Date.now()) return fail('invalid_token', 'the credential expired');
    return ok(toSession(row));
  }

  async find(id: string): Promise<McpUserSession | undefined> {
    const row = await this.#row(id);
    return row ? toSession(row) : undefined;
  }
}
