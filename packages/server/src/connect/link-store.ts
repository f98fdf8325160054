import type { Db, Queryable } from '../store/db.js';

/** VERIFYING: the provider sign-in finished and waits for the app to confirm its user (user verification). */
export type LinkStatus = 'PENDING' | 'OPENED' | 'VERIFYING' | 'COMPLETED' | 'FAILED' | 'EXPIRED';

export interface ConnectLink {
  id: string;
  projectId: string;
  authConfigId: string;
  userId: string;
  /** The group that will own the connection (organisation-owned), or null for the user's own. */
  groupId: string | null;
  scopes: string[];
  label: string | null;
  callbackUrl: string | null;
  connectedAccountId: string | null;
  /** When set, only a browser signed in at this login realm as `userId` may complete the link. */
  requiredLogin: string | null;
  status: LinkStatus;
  failure: { code: string; message: string } | null;
  expiresAt: Date;
  completedAt: Date | null;
  createdAt: Date;
}

/** The secret-bearing columns, only ever read by the hosted flow. */
export interface LinkSecrets {
  keyHash: string;
  stateHash: string | null;
  browserHash: string | null;
  codeVerifierCt: string | null;
  stateUsedAt: Date | null;
  /** The held connection (tokens, identity, connection config), vault-encrypted, while VERIFYING. */
  pendingCt: string | null;
  /** sha256 of the outstanding verification assertion's `jti`; cleared when it is used. */
  assertionJtiHash: string | null;
}

interface Row extends Record<string, unknown> {
  id: string;
  project_id: string;
  auth_config_id: string;
  user_id: string;
  group_id: string | null;
  scopes: string[];
  label: string | null;
  callback_url: string | null;
  connected_account_id: string | null;
  required_login: string | null;
  key_hash: string;
  status: LinkStatus;
  failure_code: string | null;
  failure_message: string | null;
  state_hash: string | null;
  browser_hash: string | null;
  code_verifier_ct: string | null;
  state_used_at: Date | null;
  pending_ct: string | null;
  assertion_jti_hash: string | null;
  expires_at: Date;
  completed_at: Date | null;
  created_at: Date;
}

const COLUMNS = `id, project_id, auth_config_id, user_id, group_id, scopes, label, callback_url, connected_account_id, required_login, key_hash, status,
  failure_code, failure_message, state_hash, browser_hash, code_verifier_ct, state_used_at, pending_ct, assertion_jti_hash, expires_at, completed_at, created_at`;

function toLink(r: Row): ConnectLink {
  // A link past its expiry that never finished reads as EXPIRED even before anyone touches it.
  const expired =
    (r.status === 'PENDING' || r.status === 'OPENED' || r.status === 'VERIFYING') &&
    r.expires_at.getTime() <= Date.now();
  return {
    id: r.id,
    projectId: r.project_id,
    authConfigId: r.auth_config_id,
    userId: r.user_id,
    groupId: r.group_id,
    scopes: r.scopes,
    label: r.label,
    callbackUrl: r.callback_url,
    connectedAccountId: r.connected_account_id,
    requiredLogin: r.required_login,
    status: expired ? 'EXPIRED' : r.status,
    failure: r.failure_code ? { code: r.failure_code, message: r.failure_message ?? '' } : null,
    expiresAt: r.expires_at,
    completedAt: r.completed_at,
    createdAt: r.created_at,
  };
}

const toSecrets = (r: Row): LinkSecrets => ({
  keyHash: r.key_hash,
  stateHash: r.state_hash,
  browserHash: r.browser_hash,
  codeVerifierCt: r.code_verifier_ct,
  stateUsedAt: r.state_used_at,
  pendingCt: r.pending_ct,
  assertionJtiHash: r.assertion_jti_hash,
});

export interface NewLink {
  id: string;
  authConfigId: string;
  userId: string;
  groupId: string | null;
  scopes: string[];
  label: string | null;
  callbackUrl: string | null;
  connectedAccountId: string | null;
  keyHash: string;
  expiresAt: Date;
}

export class LinkStore {
  constructor(private readonly db: Db) {}

  async insert(projectId: string, l: NewLink): Promise<ConnectLink> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO connect_links (id, project_id, auth_config_id, user_id, scopes, label, callback_url, connected_account_id,
         key_hash, status, expires_at, group_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'PENDING', $10, $11) RETURNING ${COLUMNS}`,
      [
        l.id,
        projectId,
        l.authConfigId,
        l.userId,
        JSON.stringify(l.scopes),
        l.label,
        l.callbackUrl,
        l.connectedAccountId,
        l.keyHash,
        l.expiresAt,
        l.groupId,
      ],
    );
    return toLink(rows[0]!);
  }

  async get(projectId: string, id: string): Promise<ConnectLink | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM connect_links WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ? toLink(rows[0]) : undefined;
  }

  /**
   * The hosted pages know a link only by its id (from the URL or the OAuth state); they learn the
   * project from the row and every later query is scoped by it.
   */
  async getForHostedFlow(id: string): Promise<{ link: ConnectLink; secrets: LinkSecrets } | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM connect_links WHERE id = $1`, [id]);
    return rows[0] ? { link: toLink(rows[0]), secrets: toSecrets(rows[0]) } : undefined;
  }

  async markOpened(
    projectId: string,
    id: string,
    s: { stateHash: string; browserHash: string; codeVerifierCt: string | null },
  ): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE connect_links SET status = 'OPENED', state_hash = $3, browser_hash = $4, code_verifier_ct = $5
       WHERE project_id = $1 AND id = $2 AND status IN ('PENDING', 'OPENED') AND state_used_at IS NULL AND expires_at > now()`,
      [projectId, id, s.stateHash, s.browserHash, s.codeVerifierCt],
    );
    return rowCount === 1;
  }

  /** The link and its secrets, within a project (the confirm API). */
  async getWithSecrets(
    projectId: string,
    id: string,
  ): Promise<{ link: ConnectLink; secrets: LinkSecrets } | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM connect_links WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ? { link: toLink(rows[0]), secrets: toSecrets(rows[0]) } : undefined;
  }

  /**
   * Holds a finished sign-in until the app confirms its user: OPENED → VERIFYING, with the sealed
   * connection, the assertion's jti hash, and a new (short) expiry.
   */
  /**
   * Drops the held sign-ins of a project's links that expired while waiting for the app's
   * confirmation (the tokens belong to whoever signed in; unconfirmed, nobody may have them), a
   * bounded batch at a time. Runs alongside new holds, so held tokens never outlive their link long.
   */
  async sweepExpiredHolds(projectId: string): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE connect_links SET status = 'FAILED', failure_code = 'link_expired',
         failure_message = 'This link expired before it was confirmed.', pending_ct = NULL, assertion_jti_hash = NULL
       WHERE id IN (SELECT id FROM connect_links
                    WHERE project_id = $1 AND status = 'VERIFYING' AND expires_at < now() LIMIT 200)`,
      [projectId],
    );
    return rowCount ?? 0;
  }

  async holdForVerification(
    projectId: string,
    id: string,
    h: { pendingCt: string; jtiHash: string; expiresAt: Date },
  ): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE connect_links SET status = 'VERIFYING', pending_ct = $3, assertion_jti_hash = $4, expires_at = $5,
         code_verifier_ct = NULL
       WHERE project_id = $1 AND id = $2 AND status = 'OPENED'`,
      [projectId, id, h.pendingCt, h.jtiHash, h.expiresAt],
    );
    return rowCount === 1;
  }

  /**
   * Uses a verification assertion exactly once: returns the held connection when `jtiHash` is the
   * outstanding one and the link is still VERIFYING in time; undefined otherwise (replay, expiry).
   */
  async claimAssertion(projectId: string, id: string, jtiHash: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ pending_ct: string | null }>(
      `UPDATE connect_links SET assertion_jti_hash = NULL
       WHERE project_id = $1 AND id = $2 AND status = 'VERIFYING' AND assertion_jti_hash = $3 AND expires_at > now()
       RETURNING pending_ct`,
      [projectId, id, jtiHash],
    );
    return rows[0]?.pending_ct ?? undefined;
  }

  /** Requires a signed-in user (at `realm`) before the link can be opened; only before anyone opened it. */
  async requireLogin(projectId: string, id: string, realm: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE connect_links SET required_login = $3 WHERE project_id = $1 AND id = $2 AND status = 'PENDING'`,
      [projectId, id, realm],
    );
    return rowCount === 1;
  }

  /** Consumes the state exactly once; false when it was already used (a replay). */
  async consumeState(projectId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'UPDATE connect_links SET state_used_at = now() WHERE project_id = $1 AND id = $2 AND state_used_at IS NULL',
      [projectId, id],
    );
    return rowCount === 1;
  }

  async fail(projectId: string, id: string, failure: { code: string; message: string }): Promise<void> {
    await this.db.query(
      `UPDATE connect_links SET status = 'FAILED', failure_code = $3, failure_message = $4, code_verifier_ct = NULL,
         pending_ct = NULL, assertion_jti_hash = NULL
       WHERE project_id = $1 AND id = $2 AND status <> 'COMPLETED'`,
      [projectId, id, failure.code, failure.message],
    );
  }

  async complete(q: Queryable, projectId: string, id: string, accountId: string): Promise<void> {
    await q.query(
      `UPDATE connect_links SET status = 'COMPLETED', connected_account_id = $3, completed_at = now(), code_verifier_ct = NULL,
         pending_ct = NULL, assertion_jti_hash = NULL
       WHERE project_id = $1 AND id = $2`,
      [projectId, id, accountId],
    );
  }
}
