import { randomToken } from '../shared/ids.js';
import { CommittedCache } from '../store/committed-cache.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';

export const PROTOCOL_SESSION_TTL_MS = 24 * 3600_000;

/** Who a session belongs to: an Mcp-Session-Id is honoured only for the same endpoint, user and client. */
export interface SessionBinding {
  endpoint: string;
  userId: string;
  clientId: string;
}

export interface ProtocolSession {
  id: string;
  protocolVersion: string;
  capabilities: Record<string, unknown>;
}

/**
 * `Mcp-Session-Id` (Streamable HTTP): the SDK transport runs stateless, one per request, so any
 * replica can serve any request; what the client declared at `initialize` (its capabilities, such
 * as URL-mode elicitation) is kept here, keyed by the session id Gatehouse issues.
 */
export class ProtocolSessions {
  /** Sessions found lately, by id and binding: every MCP request after `initialize` names one. */
  readonly #found: CommittedCache<ProtocolSession & { expiresAt: number }>;

  constructor(
    private readonly db: Db,
    /** Backstop lifetime of a found session; another replica's DELETE arrives as a notification. */
    cacheMs = 0,
    feed?: GovernanceFeed,
  ) {
    this.#found = new CommittedCache(
      db,
      cacheMs,
      feed && { feed, kinds: ['mcp_protocol_session'], drops: (c) => (_k, s) => s.id === c.id },
    );
  }

  async create(
    projectId: string,
    b: SessionBinding,
    s: {
      protocolVersion: string;
      capabilities: Record<string, unknown>;
      clientInfo: Record<string, unknown>;
    },
  ): Promise<string> {
    const id = randomToken(40);
    await this.db.query(
      `INSERT INTO mcp_protocol_sessions (id, project_id, endpoint, user_id, client_id, protocol_version, capabilities,
         client_info, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        projectId,
        b.endpoint,
        b.userId,
        b.clientId,
        s.protocolVersion,
        JSON.stringify(s.capabilities),
        JSON.stringify(s.clientInfo),
        new Date(Date.now() + PROTOCOL_SESSION_TTL_MS),
      ],
    );
    // Expired sessions are swept as new ones start, a few at a time.
    await this.db
      .query(
        `DELETE FROM mcp_protocol_sessions WHERE id IN (
           SELECT id FROM mcp_protocol_sessions WHERE project_id = $1 AND expires_at < now() LIMIT 100)`,
        [projectId],
      )
      .catch(() => {});
    return id;
  }

  async find(projectId: string, id: string, b: SessionBinding): Promise<ProtocolSession | undefined> {
    const key = JSON.stringify([projectId, id, b.endpoint, b.userId, b.clientId]);
    const cached = this.#found.get(key);
    if (cached && cached.expiresAt <= Date.now()) this.#found.drop(key);
    const found = await this.#found.read(key, async () => {
      const { rows } = await this.db.query<{
        id: string;
        protocol_version: string;
        capabilities: Record<string, unknown>;
        expires_at: Date;
      }>(
        `SELECT id, protocol_version, capabilities, expires_at FROM mcp_protocol_sessions
         WHERE project_id = $1 AND id = $2 AND endpoint = $3 AND user_id = $4 AND client_id = $5 AND expires_at > now()`,
        [projectId, id, b.endpoint, b.userId, b.clientId],
      );
      const r = rows[0];
      if (!r) return undefined;
      return {
        id: r.id,
        protocolVersion: r.protocol_version,
        capabilities: r.capabilities,
        expiresAt: r.expires_at.getTime(),
      };
    });
    if (!found || found.expiresAt <= Date.now()) return undefined;
    return { id: found.id, protocolVersion: found.protocolVersion, capabilities: found.capabilities };
  }

  async delete(projectId: string, id: string, b: SessionBinding): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `DELETE FROM mcp_protocol_sessions
       WHERE project_id = $1 AND id = $2 AND endpoint = $3 AND user_id = $4 AND client_id = $5`,
      [projectId, id, b.endpoint, b.userId, b.clientId],
    );
    this.#found.dropWhere((_k, s) => s.id === id);
    return rowCount === 1;
  }
}
