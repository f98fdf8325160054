import type { Db } from '../store/db.js';

/**
 * What each user approved for each client. The key is (server, user, client): approving one client
 * says nothing about any other, however similar its name — a new registration asks again.
 */
export class Consents {
  constructor(private readonly db: Db) {}

  async covers(
    projectId: string,
    serverId: string,
    userId: string,
    clientId: string,
    scopes: string[],
  ): Promise<boolean> {
    const { rows } = await this.db.query<{ scopes: string[] }>(
      'SELECT scopes FROM mcp_consents WHERE project_id = $1 AND server_id = $2 AND user_id = $3 AND client_id = $4',
      [projectId, serverId, userId, clientId],
    );
    const granted = new Set(rows[0]?.scopes ?? []);
    return rows.length === 1 && scopes.every((s) => granted.has(s));
  }

  /** Adds the approved scopes to what this client already had from this user. */
  async remember(
    projectId: string,
    serverId: string,
    userId: string,
    clientId: string,
    scopes: string[],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ scopes: string[] }>(
        `SELECT scopes FROM mcp_consents WHERE project_id = $1 AND server_id = $2 AND user_id = $3 AND client_id = $4
         FOR UPDATE`,
        [projectId, serverId, userId, clientId],
      );
      const union = [...new Set([...(rows[0]?.scopes ?? []), ...scopes])].sort();
      await tx.query(
        `INSERT INTO mcp_consents (project_id, server_id, user_id, client_id, scopes) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (project_id, server_id, user_id, client_id) DO UPDATE SET scopes = excluded.scopes, updated_at = now()`,
        [projectId, serverId, userId, clientId, JSON.stringify(union)],
      );
    });
  }
}
