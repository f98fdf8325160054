import { timingSafeEqual } from 'node:crypto';
import { newId, randomToken } from '../shared/ids.js';
import type { Db, Queryable } from '../store/db.js';
import { sha256Hex } from './grants.js';

/** How long the user has to sign in and decide, and how long the code then lives (OAuth 2.1 §4.1.2). */
export const REQUEST_TTL_MS = 10 * 60_000;
export const CODE_TTL_MS = 60_000;

export interface AuthorizationRequest {
  id: string;
  projectId: string;
  serverId: string;
  clientId: string;
  redirectUri: string;
  state: string | null;
  codeChallenge: string;
  scopes: string[];
  resource: string;
  prompt: string | null;
  status: 'PENDING' | 'APPROVED' | 'DENIED';
  userId: string | null;
  familyId: string | null;
  expiresAt: Date;
}

export type NewAuthorizationRequest = Omit<
  AuthorizationRequest,
  'id' | 'projectId' | 'status' | 'userId' | 'familyId' | 'expiresAt'
> & { browserHash: string };

interface Row extends Record<string, unknown> {
  id: string;
  project_id: string;
  server_id: string;
  client_id: string;
  redirect_uri: string;
  state: string | null;
  code_challenge: string;
  scopes: string[];
  resource: string;
  prompt: string | null;
  status: AuthorizationRequest['status'];
  user_id: string | null;
  family_id: string | null;
  expires_at: Date;
  browser_hash: string;
  csrf_hash: string;
}

const COLUMNS = `id, project_id, server_id, client_id, redirect_uri, state, code_challenge, scopes, resource, prompt,
  status, user_id, family_id, expires_at, browser_hash, csrf_hash`;

const toRequest = (r: Row): AuthorizationRequest => ({
  id: r.id,
  projectId: r.project_id,
  serverId: r.server_id,
  clientId: r.client_id,
  redirectUri: r.redirect_uri,
  state: r.state,
  codeChallenge: r.code_challenge,
  scopes: r.scopes,
  resource: r.resource,
  prompt: r.prompt,
  status: r.status,
  userId: r.user_id,
  familyId: r.family_id,
  expiresAt: r.expires_at,
});

const same = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Authorization requests waiting for the user (bound to the browser that made them, with a CSRF
 * token for the consent form), then their one-time authorization code, stored hashed.
 */
export class AuthorizationRequests {
  constructor(private readonly db: Db) {}

  async create(
    projectId: string,
    r: NewAuthorizationRequest,
  ): Promise<{ request: AuthorizationRequest; csrf: string }> {
    const csrf = randomToken(32);
    const { rows } = await this.db.query<Row>(
      `INSERT INTO mcp_authorization_requests (id, project_id, server_id, client_id, redirect_uri, state, code_challenge,
         scopes, resource, prompt, browser_hash, csrf_hash, status, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'PENDING', $13) RETURNING ${COLUMNS}`,
      [
        newId('mcr'),
        projectId,
        r.serverId,
        r.clientId,
        r.redirectUri,
        r.state,
        r.codeChallenge,
        JSON.stringify(r.scopes),
        r.resource,
        r.prompt,
        r.browserHash,
        sha256Hex(csrf),
        new Date(Date.now() + REQUEST_TTL_MS),
      ],
    );
    return { request: toRequest(rows[0]!), csrf };
  }

  /** A pending request, only for the browser that started it and only before it expires. */
  async pendingFor(
    projectId: string,
    serverId: string,
    id: string,
    browserHash: string,
  ): Promise<AuthorizationRequest | undefined> {
    const row = await this.row(projectId, serverId, id);
    if (row?.status !== 'PENDING' || row.expires_at.getTime() <= Date.now()) return undefined;
    return same(row.browser_hash, browserHash) ? toRequest(row) : undefined;
  }

  /** The consent form's CSRF token, re-issued for each rendering of the page. */
  async newCsrf(projectId: string, id: string): Promise<string> {
    const csrf = randomToken(32);
    await this.db.query(
      'UPDATE mcp_authorization_requests SET csrf_hash = $3 WHERE project_id = $1 AND id = $2',
      [projectId, id, sha256Hex(csrf)],
    );
    return csrf;
  }

  async csrfMatches(projectId: string, serverId: string, id: string, csrf: string): Promise<boolean> {
    const row = await this.row(projectId, serverId, id);
    return row !== undefined && same(row.csrf_hash, sha256Hex(csrf));
  }

  /** PENDING → APPROVED exactly once, with a fresh one-time code; undefined when already decided. */
  async approve(projectId: string, id: string, userId: string): Promise<string | undefined> {
    const code = `gth_ac_${randomToken(43)}`;
    const { rowCount } = await this.db.query(
      `UPDATE mcp_authorization_requests SET status = 'APPROVED', user_id = $3, code_hash = $4, code_expires_at = $5
       WHERE project_id = $1 AND id = $2 AND status = 'PENDING' AND expires_at > now()`,
      [projectId, id, userId, sha256Hex(code), new Date(Date.now() + CODE_TTL_MS)],
    );
    return rowCount === 1 ? code : undefined;
  }

  async deny(projectId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE mcp_authorization_requests SET status = 'DENIED' WHERE project_id = $1 AND id = $2 AND status = 'PENDING'`,
      [projectId, id],
    );
    return rowCount === 1;
  }

  /**
   * Spends a code once. A second presentation is reported with the family its first use created,
   * so the caller can revoke it (OAuth 2.1 §4.1.3: a reused code means the grant is compromised).
   */
  async redeem(
    q: Queryable,
    projectId: string,
    serverId: string,
    code: string,
  ): Promise<
    | { kind: 'ok'; request: AuthorizationRequest }
    | { kind: 'reused'; familyId: string | null }
    | { kind: 'invalid' }
  > {
    const hash = sha256Hex(code);
    const { rows } = await q.query<Row>(
      `UPDATE mcp_authorization_requests SET code_used_at = now()
       WHERE project_id = $1 AND server_id = $2 AND code_hash = $3 AND code_used_at IS NULL AND code_expires_at > now()
       RETURNING ${COLUMNS}`,
      [projectId, serverId, hash],
    );
    if (rows[0]) return { kind: 'ok', request: toRequest(rows[0]) };
    const { rows: used } = await q.query<{ family_id: string | null; code_used_at: Date | null }>(
      'SELECT family_id, code_used_at FROM mcp_authorization_requests WHERE project_id = $1 AND server_id = $2 AND code_hash = $3',
      [projectId, serverId, hash],
    );
    return used[0]?.code_used_at ? { kind: 'reused', familyId: used[0].family_id } : { kind: 'invalid' };
  }

  async setFamily(q: Queryable, projectId: string, id: string, familyId: string): Promise<void> {
    await q.query('UPDATE mcp_authorization_requests SET family_id = $3 WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
      familyId,
    ]);
  }

  private async row(projectId: string, serverId: string, id: string): Promise<Row | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM mcp_authorization_requests WHERE project_id = $1 AND server_id = $2 AND id = $3`,
      [projectId, serverId, id],
    );
    return rows[0];
  }
}
