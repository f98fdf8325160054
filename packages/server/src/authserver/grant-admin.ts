import { fail, ok, type Result } from '../shared/result.js';
import type { Db, Queryable } from '../store/db.js';
import type { OAuthClientRecord } from './clients/client.js';
import type { Grants } from './grants.js';

/** A registered client of one server profile, as an operator reviews it (never its secret hash). */
export interface RegisteredClient {
  clientId: string;
  name: string | null;
  redirectUris: string[];
  tokenEndpointAuthMethod: OAuthClientRecord['tokenEndpointAuthMethod'];
  createdAt: Date;
  /** Grants of this client not revoked, over every user. */
  activeGrants: number;
}

/** What one user approved for one client, with how many of its grants still hold tokens. */
export interface ConsentGrant {
  userId: string;
  clientId: string;
  /** The registered client's name; null for a metadata-document client (its id is its URL). */
  clientName: string | null;
  scopes: string[];
  createdAt: Date;
  updatedAt: Date;
  activeGrants: number;
}

const REVOKED_BY_OPERATOR = 'revoked_by_operator';

/**
 * An operator's view of a server profile's authorization server: its registered clients and the
 * users' consents, and the two ways to take access back. Revoking a consent forgets the approval
 * (the client must ask the user again) and revokes every grant of that user to that client; revoking
 * a client deletes its registration and revokes every grant and consent it had. Grants go through
 * `Grants.revokeFamily`, so this replica's cache of verified access tokens drops them at once.
 */
export class GrantAdmin {
  constructor(
    private readonly db: Db,
    private readonly grants: Grants,
  ) {}

  async clients(projectId: string, serverId: string, limit = 200): Promise<RegisteredClient[]> {
    const { rows } = await this.db.query<{
      id: string;
      metadata: { client_name: string | null; redirect_uris: string[]; token_endpoint_auth_method: string };
      created_at: Date;
      active: string | number;
    }>(
      `SELECT c.id, c.metadata, c.created_at,
              (SELECT count(*) FROM mcp_token_families f
               WHERE f.project_id = c.project_id AND f.server_id = c.server_id AND f.client_id = c.id
                 AND f.revoked_at IS NULL) AS active
       FROM mcp_clients c WHERE c.project_id = $1 AND c.server_id = $2
       ORDER BY c.created_at DESC, c.id LIMIT $3`,
      [projectId, serverId, limit],
    );
    return rows.map((r) => ({
      clientId: r.id,
      name: r.metadata.client_name,
      redirectUris: r.metadata.redirect_uris,
      tokenEndpointAuthMethod: r.metadata
        .token_endpoint_auth_method as RegisteredClient['tokenEndpointAuthMethod'],
      createdAt: r.created_at,
      activeGrants: Number(r.active),
    }));
  }

  async consents(
    projectId: string,
    serverId: string,
    filter: { userId?: string | undefined; limit?: number } = {},
  ): Promise<ConsentGrant[]> {
    const params: unknown[] = [projectId, serverId, filter.limit ?? 200];
    let where = 'k.project_id = $1 AND k.server_id = $2';
    if (filter.userId !== undefined) {
      params.push(filter.userId);
      where += ` AND k.user_id = $${params.length}`;
    }
    const { rows } = await this.db.query<{
      user_id: string;
      client_id: string;
      client_name: string | null;
      scopes: string[];
      created_at: Date;
      updated_at: Date;
      active: string | number;
    }>(
      `SELECT k.user_id, k.client_id, c.metadata->>'client_name' AS client_name, k.scopes, k.created_at,
              k.updated_at,
              (SELECT count(*) FROM mcp_token_families f
               WHERE f.project_id = k.project_id AND f.server_id = k.server_id AND f.client_id = k.client_id
                 AND f.user_id = k.user_id AND f.revoked_at IS NULL) AS active
       FROM mcp_consents k
       LEFT JOIN mcp_clients c ON c.project_id = k.project_id AND c.server_id = k.server_id AND c.id = k.client_id
       WHERE ${where} ORDER BY k.user_id, k.updated_at DESC LIMIT $3`,
      params,
    );
    return rows.map((r) => ({
      userId: r.user_id,
      clientId: r.client_id,
      clientName: r.client_name,
      scopes: r.scopes,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      activeGrants: Number(r.active),
    }));
  }

  /** Forgets one user's consent to one client and revokes the grants it led to. */
  async revokeConsent(
    projectId: string,
    serverId: string,
    userId: string,
    clientId: string,
  ): Promise<Result<{ revokedGrants: number }>> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx.query(
        'DELETE FROM mcp_consents WHERE project_id = $1 AND server_id = $2 AND user_id = $3 AND client_id = $4',
        [projectId, serverId, userId, clientId],
      );
      const families = await this.activeFamilies(tx, projectId, serverId, clientId, userId);
      if (deleted.rowCount === 0 && families.length === 0)
        return fail('not_found', 'no consent of this user to this client');
      for (const id of families) await this.grants.revokeFamily(tx, projectId, id, REVOKED_BY_OPERATOR);
      return ok({ revokedGrants: families.length });
    });
  }

  /** Deletes a registered client with its consents, and revokes every grant it holds. */
  async revokeClient(
    projectId: string,
    serverId: string,
    clientId: string,
  ): Promise<Result<{ revokedGrants: number; consents: number }>> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx.query(
        'DELETE FROM mcp_clients WHERE project_id = $1 AND server_id = $2 AND id = $3',
        [projectId, serverId, clientId],
      );
      if (deleted.rowCount === 0) return fail('not_found', 'no such registered client');
      const consents = await tx.query(
        'DELETE FROM mcp_consents WHERE project_id = $1 AND server_id = $2 AND client_id = $3',
        [projectId, serverId, clientId],
      );
      const families = await this.activeFamilies(tx, projectId, serverId, clientId);
      for (const id of families) await this.grants.revokeFamily(tx, projectId, id, REVOKED_BY_OPERATOR);
      return ok({ revokedGrants: families.length, consents: consents.rowCount });
    });
  }

  private async activeFamilies(
    tx: Queryable,
    projectId: string,
    serverId: string,
    clientId: string,
    userId?: string,
  ): Promise<string[]> {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id FROM mcp_token_families
       WHERE project_id = $1 AND server_id = $2 AND client_id = $3 AND revoked_at IS NULL
         AND ($4::text IS NULL OR user_id = $4)`,
      [projectId, serverId, clientId, userId ?? null],
    );
    return rows.map((r) => r.id);
  }
}
