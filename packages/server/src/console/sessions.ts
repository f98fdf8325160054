import { createHash, timingSafeEqual } from 'node:crypto';
import type { ProjectPrincipal } from '../projects/api-keys.js';
import { randomToken } from '../shared/ids.js';
import type { Db } from '../store/db.js';
import type { OperatorRole } from './roles.js';

/** How long a console sign-in lasts. */
export const CONSOLE_SESSION_TTL_MS = 8 * 3600_000;

export type SignInMethod = 'admin_token' | 'api_key' | 'oidc';

/**
 * A signed-in operator. Never holds the credential used to sign in. Only a session opened with the
 * instance's admin token may have no project yet (migration 0030): it sees the Projects page only,
 * until it opens one.
 */
export interface ConsoleSignIn {
  projectId: string | null;
  /** Stable id of who signed in: `admin_token`, `key:<apiKeyId>`, `oidc:<issuer>#<subject>`. */
  operator: string;
  /** What the pages show (an e-mail, a key name). */
  operatorName: string;
  method: SignInMethod;
  apiKeyId: string | null;
  role: OperatorRole;
  csrf: string;
  expiresAt: Date;
}

/** A session bound to a project, as every project page sees it. */
export interface ConsoleSession extends ConsoleSignIn {
  projectId: string;
}

/** Bound to a project: what every page but Projects needs. */
export const hasProject = (s: ConsoleSignIn): s is ConsoleSession => s.projectId !== null;

/**
 * Opened with the instance's admin token: the only sign-in that may list, create and open projects.
 * An admin key or a single sign-on operator is bound to its one project, whatever its role.
 */
export const isInstanceAdmin = (s: ConsoleSignIn): boolean => s.method === 'admin_token';

interface SessionRow extends Record<string, unknown> {
  project_id: string | null;
  operator: string;
  operator_name: string;
  method: SignInMethod;
  api_key_id: string | null;
  role: OperatorRole;
  csrf: string;
  expires_at: Date;
  key_revoked: boolean | null;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Console sessions: a random cookie token whose hash names a row. A session opened with a project
 * key ends when that key is revoked; every session ends at its expiry or at sign-out.
 */
export class ConsoleSessions {
  constructor(
    private readonly db: Db,
    private readonly ttlMs = CONSOLE_SESSION_TTL_MS,
  ) {}

  async open<S extends Omit<ConsoleSignIn, 'csrf' | 'expiresAt'>>(
    s: S,
    expiresAt = new Date(Date.now() + this.ttlMs),
  ): Promise<{ token: string; session: S & Pick<ConsoleSignIn, 'csrf' | 'expiresAt'> }> {
    if (s.projectId === null && s.method !== 'admin_token')
      throw new Error('only an admin token session may be opened without a project');
    const token = randomToken(43);
    const session = {
      ...s,
      csrf: randomToken(32),
      expiresAt,
    };
    await this.db.query(
      `INSERT INTO console_sessions (id, project_id, operator, operator_name, method, api_key_id, role, csrf, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        hash(token),
        s.projectId,
        s.operator,
        s.operatorName,
        s.method,
        s.apiKeyId,
        s.role,
        session.csrf,
        session.expiresAt,
      ],
    );
    // Expired rows are swept by whoever signs in next: sign-ins are rare, the table stays small.
    await this.db.query('DELETE FROM console_sessions WHERE expires_at < now()');
    return { token, session };
  }

  async get(token: string | undefined): Promise<ConsoleSignIn | undefined> {
    if (!token || !/^[A-Za-z0-9]{43}$/.test(token)) return undefined;
    const { rows } = await this.db.query<SessionRow>(
      `SELECT s.project_id, s.operator, s.operator_name, s.method, s.api_key_id, s.role, s.csrf, s.expires_at,
              (k.revoked_at IS NOT NULL) AS key_revoked
       FROM console_sessions s LEFT JOIN api_keys k ON k.id = s.api_key_id
       WHERE s.id = $1 AND s.expires_at > now()`,
      [hash(token)],
    );
    const r = rows[0];
    if (!r || r.key_revoked) return undefined;
    return {
      projectId: r.project_id,
      operator: r.operator,
      operatorName: r.operator_name,
      method: r.method,
      apiKeyId: r.api_key_id,
      role: r.role,
      csrf: r.csrf,
      expiresAt: r.expires_at,
    };
  }

  async close(token: string | undefined): Promise<void> {
    if (token) await this.db.query('DELETE FROM console_sessions WHERE id = $1', [hash(token)]);
  }

  /**
   * An instance admin opens another project: the old session ends and a new one, bound to that
   * project, takes its place with a new cookie token and a new CSRF token (no token of the old
   * binding stays valid). Same operator, method, role and expiry.
   */
  async reopen(
    token: string,
    from: ConsoleSignIn,
    projectId: string,
  ): Promise<{ token: string; session: ConsoleSession }> {
    if (!isInstanceAdmin(from)) throw new Error('only an admin token session may open another project');
    await this.close(token);
    const { csrf: _csrf, expiresAt, ...who } = from;
    return this.open({ ...who, projectId }, expiresAt);
  }
}

/** Synchroniser-token check: the form's field must equal the session's token. */
export function csrfValid(session: ConsoleSignIn, field: string | undefined): boolean {
  if (typeof field !== 'string' || field.length !== session.csrf.length) return false;
  return timingSafeEqual(Buffer.from(field), Buffer.from(session.csrf));
}

/**
 * The principal the governed services and the audit trail see for a console action: the project,
 * and as acting key the operator (`console:<operator>`), so admin audit rows name who did it.
 */
export function principalOf(session: ConsoleSession): ProjectPrincipal {
  return {
    projectId: session.projectId,
    apiKeyId: `console:${session.operator}`,
    role: session.role === 'admin' ? 'admin' : 'runtime',
    agentId: null,
  };
}
