import type { McpUserSessions } from '../mcp/user-sessions.js';
import type { ApiKey, ApiKeyStore } from '../projects/api-keys.js';
import { fail, ok, type Result } from '../shared/result.js';
import { type Db, onCommitted } from '../store/db.js';
import type { PageResult } from '../store/pagination.js';

/** A registered agent of a project. Its credentials are agent keys (`gth_ak_…`) in the API key table. */
export interface Agent {
  id: string;
  projectId: string;
  name: string | null;
  description: string | null;
  createdAt: Date;
  /** Set when the agent was deleted: its keys are revoked and its id is never reused. */
  disabledAt: Date | null;
}

interface AgentRow extends Record<string, unknown> {
  id: string;
  project_id: string;
  name: string | null;
  description: string | null;
  created_at: Date;
  disabled_at: Date | null;
}

const COLUMNS = 'id, project_id, name, description, created_at, disabled_at';

const toAgent = (r: AgentRow): Agent => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

/** Agent ids are chosen by the project, so pages are in id order and the cursor is the last id. */
export interface AgentPage {
  limit: number;
  after?: string | undefined;
}

/**
 * Registers agents and issues their keys. Keys are minted, authenticated, cached and revoked by the
 * ApiKeyStore: an agent key is an API key with role runtime bound to the agent.
 */
export class AgentRegistry {
  constructor(
    private readonly db: Db,
    private readonly apiKeys: ApiKeyStore,
    private readonly mcpSessions: McpUserSessions,
  ) {}

  /** Registers an agent and mints its first key (shown once). An id already used, even by a deleted agent, is a conflict. */
  async register(
    projectId: string,
    input: { id: string; name?: string | undefined; description?: string | undefined },
  ): Promise<Result<{ agent: Agent; apiKey: ApiKey; secret: string }>> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<AgentRow>(
        `INSERT INTO agents (project_id, id, name, description) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
        [projectId, input.id, input.name ?? null, input.description ?? null],
      );
      if (!rows[0]) {
        return fail(
          'conflict',
          `agent ${input.id} already exists (or existed: a deleted agent's id is not reused)`,
        );
      }
      const key = await this.apiKeys.createForAgent(tx, projectId, input.id, `agent ${input.id}`);
      if (!key.ok) throw new Error(`the agent ${input.id} was inserted but its key could not be`);
      return ok({ agent: toAgent(rows[0]), ...key.value });
    });
  }

  async list(projectId: string, page: AgentPage): Promise<PageResult<Agent>> {
    const { rows } = await this.db.query<AgentRow>(
      `SELECT ${COLUMNS} FROM agents WHERE project_id = $1 AND ($2::text IS NULL OR id > $2)
        ORDER BY id COLLATE "C" LIMIT $3`,
      [projectId, page.after ?? null, page.limit + 1],
    );
    const items = rows.slice(0, page.limit).map(toAgent);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? last.id : null };
  }

  async get(projectId: string, agentId: string): Promise<Result<Agent>> {
    const { rows } = await this.db.query<AgentRow>(
      `SELECT ${COLUMNS} FROM agents WHERE project_id = $1 AND id = $2`,
      [projectId, agentId],
    );
    return rows[0] ? ok(toAgent(rows[0])) : fail('not_found', `agent ${agentId} not found`);
  }

  /**
   * Disables an agent and revokes its keys and the per-user MCP URLs it minted, in one transaction.
   * Its keys and URLs stop working at once on this replica, and on the others when migration 0031's
   * notification of each revoked row arrives (the API key cache time is only the backstop).
   */
  async disable(projectId: string, agentId: string): Promise<Result<Agent>> {
    const disabled = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<AgentRow>(
        `UPDATE agents SET disabled_at = coalesce(disabled_at, now()) WHERE project_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
        [projectId, agentId],
      );
      if (!rows[0]) return fail('not_found', `agent ${agentId} not found`);
      await this.apiKeys.revokeForAgent(tx, projectId, agentId);
      await this.mcpSessions.revokeForAgent(tx, projectId, agentId);
      return ok(toAgent(rows[0]));
    });
    // After commit: a request verified in between would otherwise repopulate the cache with a live key.
    // (Inside an atomic change the transaction above is a savepoint: wait for the outer commit.)
    onCommitted(this.db, () => this.apiKeys.forgetAgent(projectId, agentId));
    return disabled;
  }

  /** Mints another key for an enabled agent (rotation: revoke the old one with `revokeKey` once the new one is in use). */
  async issueKey(projectId: string, agentId: string): Promise<Result<{ apiKey: ApiKey; secret: string }>> {
    const agent = await this.get(projectId, agentId);
    if (!agent.ok) return agent;
    if (agent.value.disabledAt) return fail('conflict', `agent ${agentId} was deleted; it gets no new keys`);
    return this.apiKeys.createForAgent(this.db, projectId, agentId, `agent ${agentId}`);
  }

  keys(projectId: string, agentId: string): Promise<ApiKey[]> {
    return this.apiKeys.listForAgent(projectId, agentId);
  }

  /** Revokes one of the agent's keys (the same revocation as `DELETE /v1/api-keys/{id}`). */
  async revokeKey(projectId: string, agentId: string, keyId: string): Promise<Result<ApiKey>> {
    const revoked = await this.apiKeys.revoke(projectId, keyId, agentId);
    return revoked.ok ? revoked : fail('not_found', `agent ${agentId} has no key ${keyId}`);
  }
}
