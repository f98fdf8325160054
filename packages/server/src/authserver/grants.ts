import { createHash } from 'node:crypto';
import { newId, randomToken } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import { type Db, onCommitted, type Queryable } from '../store/db.js';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600_000;

export interface TokenFamily {
  id: string;
  serverId: string;
  clientId: string;
  userId: string;
  scopes: string[];
  revokedAt: Date | null;
}

interface FamilyRow extends Record<string, unknown> {
  id: string;
  server_id: string;
  client_id: string;
  user_id: string;
  scopes: string[];
  revoked_at: Date | null;
}

const toFamily = (r: FamilyRow): TokenFamily => ({
  id: r.id,
  serverId: r.server_id,
  clientId: r.client_id,
  userId: r.user_id,
  scopes: r.scopes,
  revokedAt: r.revoked_at,
});

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Grants ("token families") and their rotating refresh tokens (OAuth 2.1 §4.3.1): each refresh
 * spends the presented token and issues the next one; presenting a spent token again means it
 * leaked, so the whole family (every refresh and access token of the grant) is revoked.
 */
export class Grants {
  constructor(
    private readonly db: Db,
    /** A family was revoked: verified access tokens of it cached by this replica must go. */
    private readonly onRevoked: (familyId: string) => void = () => {},
  ) {}

  async createFamily(
    q: Queryable,
    projectId: string,
    g: { serverId: string; clientId: string; userId: string; scopes: string[] },
  ): Promise<string> {
    const id = newId('mcf');
    await q.query(
      `INSERT INTO mcp_token_families (id, project_id, server_id, client_id, user_id, scopes)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, projectId, g.serverId, g.clientId, g.userId, JSON.stringify(g.scopes)],
    );
    return id;
  }

  /** A new refresh token for the family; only its hash is stored. */
  async issueRefreshToken(q: Queryable, projectId: string, familyId: string): Promise<string> {
    const token = `gth_rt_${randomToken(43)}`;
    await q.query(
      'INSERT INTO mcp_refresh_tokens (token_hash, project_id, family_id, expires_at) VALUES ($1, $2, $3, $4)',
      [sha256Hex(token), projectId, familyId, new Date(Date.now() + REFRESH_TOKEN_TTL_MS)],
    );
    return token;
  }

  /** Spends `presented` and returns its family with the next refresh token, or `invalid_grant`. */
  async rotate(
    projectId: string,
    serverId: string,
    presented: string,
    clientId: string,
  ): Promise<Result<{ family: TokenFamily; refreshToken: string }>> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<FamilyRow & { used_at: Date | null; expires_at: Date }>(
        `SELECT f.id, f.server_id, f.client_id, f.user_id, f.scopes, f.revoked_at, t.used_at, t.expires_at
         FROM mcp_refresh_tokens t JOIN mcp_token_families f ON f.id = t.family_id AND f.project_id = t.project_id
         WHERE t.project_id = $1 AND t.token_hash = $2 AND f.server_id = $3`,
        [projectId, sha256Hex(presented), serverId],
      );
      const row = rows[0];
      if (!row) return fail('invalid_grant', 'the refresh token is not valid');
      if (row.revoked_at) return fail('invalid_grant', 'the refresh token was revoked');
      // Another client presenting this token learns nothing and spends nothing (RFC 6749 §6).
      if (row.client_id !== clientId) return fail('invalid_grant', 'the refresh token is not valid');
      const reused = async () => {
        await this.revokeFamily(tx, projectId, row.id, 'refresh_token_reuse');
        return fail('invalid_grant', 'the refresh token was already used; the grant is revoked', {
          reusedFamily: row.id,
        });
      };
      if (row.used_at !== null) return reused();
      if (row.expires_at.getTime() <= Date.now()) return fail('invalid_grant', 'the refresh token expired');
      const spent = await tx.query(
        'UPDATE mcp_refresh_tokens SET used_at = now() WHERE project_id = $1 AND token_hash = $2 AND used_at IS NULL',
        [projectId, sha256Hex(presented)],
      );
      // A concurrent refresh with the same token won the race: the same token was presented twice.
      if (spent.rowCount !== 1) return reused();
      const refreshToken = await this.issueRefreshToken(tx, projectId, row.id);
      return ok({ family: toFamily(row), refreshToken });
    });
  }

  async family(projectId: string, familyId: string): Promise<TokenFamily | undefined> {
    const { rows } = await this.db.query<FamilyRow>(
      'SELECT id, server_id, client_id, user_id, scopes, revoked_at FROM mcp_token_families WHERE project_id = $1 AND id = $2',
      [projectId, familyId],
    );
    return rows[0] ? toFamily(rows[0]) : undefined;
  }

  /** The family a refresh token belongs to (spent or not), for the revocation endpoint. */
  async familyOfRefreshToken(
    projectId: string,
    serverId: string,
    token: string,
  ): Promise<TokenFamily | undefined> {
    const { rows } = await this.db.query<FamilyRow>(
      `SELECT f.id, f.server_id, f.client_id, f.user_id, f.scopes, f.revoked_at
       FROM mcp_refresh_tokens t JOIN mcp_token_families f ON f.id = t.family_id AND f.project_id = t.project_id
       WHERE t.project_id = $1 AND t.token_hash = $2 AND f.server_id = $3`,
      [projectId, sha256Hex(token), serverId],
    );
    return rows[0] ? toFamily(rows[0]) : undefined;
  }

  async revokeFamily(q: Queryable, projectId: string, familyId: string, reason: string): Promise<void> {
    await q.query(
      `UPDATE mcp_token_families SET revoked_at = coalesce(revoked_at, now()), revoked_reason = coalesce(revoked_reason, $3)
       WHERE project_id = $1 AND id = $2`,
      [projectId, familyId, reason],
    );
    this.onRevoked(familyId);
    onCommitted(q, () => this.onRevoked(familyId));
  }
}
