import type { LoginVerifier } from '../../connect/hosted-flow.js';
import { newId } from '../../shared/ids.js';
import type { Db } from '../../store/db.js';
import { sha256Hex } from '../grants.js';

export const SESSION_TTL_MS = 8 * 3600_000;

/** The cookie naming this browser at Gatehouse's authorization servers; `__Host-` over HTTPS. */
export const browserCookieName = (publicUrl: string): string =>
  publicUrl.startsWith('https://') ? '__Host-gatehouse_session' : 'gatehouse_session';

export const BROWSER_COOKIE_VALUE = /^[A-Za-z0-9]{32}$/;

/** What is stored for a browser: never the cookie itself. */
export const browserHash = (cookieValue: string): string => sha256Hex(`browser|${cookieValue}`);

/**
 * Who is signed in, per browser and server profile. It is also the Connect Link hook's verifier:
 * a link created for an MCP tool call opens only in a browser signed in here as the link's user.
 */
export class LoginSessions implements LoginVerifier {
  constructor(
    private readonly db: Db,
    private readonly publicUrl: string,
  ) {}

  async signIn(
    projectId: string,
    serverId: string,
    browser: string,
    userId: string,
    method: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO mcp_login_sessions (id, project_id, server_id, browser_hash, user_id, method, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (project_id, server_id, browser_hash)
       DO UPDATE SET id = excluded.id, user_id = excluded.user_id, method = excluded.method,
         created_at = now(), expires_at = excluded.expires_at`,
      [newId('mcl'), projectId, serverId, browser, userId, method, new Date(Date.now() + SESSION_TTL_MS)],
    );
  }

  async userFor(projectId: string, serverId: string, browser: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ user_id: string }>(
      `SELECT user_id FROM mcp_login_sessions
       WHERE project_id = $1 AND server_id = $2 AND browser_hash = $3 AND expires_at > now()`,
      [projectId, serverId, browser],
    );
    return rows[0]?.user_id;
  }

  async signedInUser(
    projectId: string,
    realm: string,
    cookies: Record<string, string | undefined>,
  ): Promise<string | undefined> {
    const value = cookies[browserCookieName(this.publicUrl)];
    if (!value || !BROWSER_COOKIE_VALUE.test(value)) return undefined;
    return this.userFor(projectId, realm, browserHash(value));
  }

  loginUrl(realm: string, returnTo: string): string {
    return `${this.publicUrl}/as/${realm}/login?return_to=${encodeURIComponent(returnTo)}`;
  }
}
