import type { Db, Queryable } from '../store/db.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';
import { AccountChanges } from './account-cache.js';

export type AccountStatus = 'INITIATED' | 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'FAILED';

/**
 * A connected account as the rest of the server sees it. Rows are mapped to it here, once; status
 * changes go through `transitions.ts`.
 */
export interface ConnectedAccount {
  id: string;
  projectId: string;
  authConfigId: string;
  userId: string;
  /** A group (team, workspace) that owns the connection; null for a personal one. The user is who connected it. */
  groupId: string | null;
  providerId: string;
  label: string | null;
  subject: string | null;
  displayName: string | null;
  status: AccountStatus;
  statusReason: string | null;
  scopes: string[];
  /** The credentials, sealed by the vault (`credentials.ts` opens them); never presented. */
  credentialsCt: string | null;
  accessTokenExpiresAt: Date | null;
  connectionConfig: Record<string, string>;
  version: number;
  lastRefreshedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The row as PostgreSQL returns it: for this file and the lease SQL (`tokens/lease-store.ts`) only. */
export interface AccountRow extends Record<string, unknown> {
  id: string;
  project_id: string;
  auth_config_id: string;
  user_id: string;
  group_id: string | null;
  provider_id: string;
  label: string | null;
  subject: string | null;
  display_name: string | null;
  status: AccountStatus;
  status_reason: string | null;
  scopes: string[];
  credentials_ct: string | null;
  access_token_expires_at: Date | null;
  connection_config: Record<string, string>;
  version: number;
  last_refreshed_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const ACCOUNT_COLUMNS = `id, project_id, auth_config_id, user_id, group_id, provider_id, label, subject, display_name, status,
  status_reason, scopes, credentials_ct, access_token_expires_at, connection_config, version, last_refreshed_at,
  last_used_at, created_at, updated_at`;

export const toAccount = (r: AccountRow): ConnectedAccount => ({
  id: r.id,
  projectId: r.project_id,
  authConfigId: r.auth_config_id,
  userId: r.user_id,
  groupId: r.group_id,
  providerId: r.provider_id,
  label: r.label,
  subject: r.subject,
  displayName: r.display_name,
  status: r.status,
  statusReason: r.status_reason,
  scopes: r.scopes,
  credentialsCt: r.credentials_ct,
  accessTokenExpiresAt: r.access_token_expires_at,
  connectionConfig: r.connection_config,
  version: r.version,
  lastRefreshedAt: r.last_refreshed_at,
  lastUsedAt: r.last_used_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface AccountFilter {
  userId?: string | undefined;
  groupId?: string | undefined;
  authConfigId?: string | undefined;
  providerId?: string | undefined;
  status?: AccountStatus | undefined;
}

/**
 * A connection after a successful token exchange, ready to be stored. The status is not part of it:
 * a new row starts INITIATED and `transitions.activate` makes it ACTIVE, with its event.
 */
export interface AccountWrite {
  scopes: string[];
  credentialsCt: string;
  accessTokenExpiresAt: Date | null;
  /** The first proactive refresh (tokens/schedule.ts `refreshDueAt`); null for a token that never expires. */
  nextRefreshAt: Date | null;
  subject: string | null;
  displayName: string | null;
  connectionConfig: Record<string, string>;
}

/**
 * The SQL of connected accounts. Every write announces itself to `changes` (this replica's account
 * cache drops the row at once); other replicas hear of it through the trigger of migration 0017.
 */
export class AccountStore {
  constructor(
    private readonly db: Db,
    readonly changes: AccountChanges = new AccountChanges(),
  ) {}

  #changed(q: Queryable, a: ConnectedAccount): void {
    this.changes.changed(q, { projectId: a.projectId, id: a.id, userId: a.userId, providerId: a.providerId });
  }

  async get(projectId: string, id: string, q: Queryable = this.db): Promise<ConnectedAccount | undefined> {
    const { rows } = await q.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM connected_accounts WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] && toAccount(rows[0]);
  }

  /**
   * One page, newest first. Only the filters given become conditions, so every plan walks an index
   * newest first and stops after a page: (project_id, status, id) for a status, even one nothing has.
   */
  async list(projectId: string, filter: AccountFilter, page: Page): Promise<PageResult<ConnectedAccount>> {
    const params: unknown[] = [projectId];
    const where = ['project_id = $1'];
    const columns = {
      userId: 'user_id',
      authConfigId: 'auth_config_id',
      status: 'status',
      providerId: 'provider_id',
      groupId: 'group_id',
    } as const;
    for (const [key, column] of Object.entries(columns) as Array<[keyof AccountFilter, string]>) {
      const value = filter[key];
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    const cursor = decodeCursor(page.cursor);
    if (cursor !== undefined) {
      params.push(cursor);
      where.push(`id < $${params.length}`);
    }
    params.push(page.limit + 1);
    const { rows } = await this.db.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM connected_accounts WHERE ${where.join(' AND ')}
       ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return toPage(rows, page.limit, toAccount);
  }

  /**
   * The user's personal accounts for one provider, then (when the request names a group) the group's,
   * credentials included (the broker picks one without a second read). Policy decides whether a group
   * connection may be used.
   */
  async forUserAndProvider(
    projectId: string,
    userId: string,
    providerId: string,
    groupId?: string,
  ): Promise<ConnectedAccount[]> {
    const { rows } = await this.db.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM connected_accounts WHERE project_id = $1 AND provider_id = $3
         AND ((user_id = $2 AND group_id IS NULL) OR ($4::text IS NOT NULL AND group_id = $4))
       ORDER BY (group_id IS NOT NULL), id DESC LIMIT 50`,
      [projectId, userId, providerId, groupId ?? null],
    );
    return rows.map(toAccount);
  }

  async findBySubject(
    q: Queryable,
    projectId: string,
    key: { authConfigId: string; userId: string; subject: string },
  ): Promise<ConnectedAccount | undefined> {
    const { rows } = await q.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM connected_accounts
       WHERE project_id = $1 AND auth_config_id = $2 AND user_id = $3 AND subject = $4 FOR UPDATE`,
      [projectId, key.authConfigId, key.userId, key.subject],
    );
    return rows[0] && toAccount(rows[0]);
  }

  async insert(
    q: Queryable,
    projectId: string,
    id: string,
    owner: {
      authConfigId: string;
      userId: string;
      groupId: string | null;
      providerId: string;
      label: string | null;
    },
    w: AccountWrite,
  ): Promise<ConnectedAccount> {
    const { rows } = await q.query<AccountRow>(
      `INSERT INTO connected_accounts (id, project_id, auth_config_id, user_id, provider_id, label, subject, display_name,
         status, scopes, credentials_ct, access_token_expires_at, connection_config, next_refresh_at, last_refreshed_at, group_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'INITIATED', $9, $10, $11, $12, $13, now(), $14) RETURNING ${ACCOUNT_COLUMNS}`,
      [
        id,
        projectId,
        owner.authConfigId,
        owner.userId,
        owner.providerId,
        owner.label,
        w.subject,
        w.displayName,
        JSON.stringify(w.scopes),
        w.credentialsCt,
        w.accessTokenExpiresAt,
        JSON.stringify(w.connectionConfig),
        w.nextRefreshAt,
        owner.groupId,
      ],
    );
    const account = toAccount(rows[0]!);
    this.#changed(q, account);
    return account;
  }

  /**
   * Replaces the credentials after a reconnect or step-up; bumps the version. The status is left to
   * `transitions.activate`. The refresh bookkeeping starts over (tokens/): a refresh in flight for the
   * old grant loses its lease and is discarded.
   */
  async replaceConnection(
    q: Queryable,
    projectId: string,
    id: string,
    w: AccountWrite & { label?: string | null },
  ): Promise<ConnectedAccount> {
    const { rows } = await q.query<AccountRow>(
      `UPDATE connected_accounts SET next_refresh_at = $3, scopes = $4, credentials_ct = $5,
         access_token_expires_at = $6, subject = coalesce($7, subject), display_name = coalesce($8, display_name),
         connection_config = $9, label = CASE WHEN $10::boolean THEN $11 ELSE label END,
         version = version + 1, last_refreshed_at = now(), updated_at = now(), refresh_failures = 0, refresh_lease_id = NULL, refresh_lease_until = NULL,
         refresh_journal_ct = NULL, refresh_journal_at = NULL
       WHERE project_id = $1 AND id = $2 RETURNING ${ACCOUNT_COLUMNS}`,
      [
        projectId,
        id,
        w.nextRefreshAt,
        JSON.stringify(w.scopes),
        w.credentialsCt,
        w.accessTokenExpiresAt,
        w.subject,
        w.displayName,
        JSON.stringify(w.connectionConfig),
        w.label !== undefined,
        w.label ?? null,
      ],
    );
    const account = toAccount(rows[0]!);
    this.#changed(q, account);
    return account;
  }

  /**
   * Deletes the row; `after` runs in the same transaction with the row as it was deleted, so the
   * outbox event exists exactly when the deletion was committed.
   */
  async delete(
    projectId: string,
    id: string,
    after: (q: Queryable, deleted: ConnectedAccount) => Promise<unknown>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<AccountRow>(
        `DELETE FROM connected_accounts WHERE project_id = $1 AND id = $2 RETURNING ${ACCOUNT_COLUMNS}`,
        [projectId, id],
      );
      if (!rows[0]) return false;
      const deleted = toAccount(rows[0]);
      this.#changed(tx, deleted);
      await after(tx, deleted);
      return true;
    });
  }

  /**
   * Writes a status (and its reason) in the caller's transaction: for `transitions.ts` only, which
   * records the event with it. `from` limits the statuses it moves from; `bumpVersion` tells inline
   * refreshers that the row changed under them. Undefined when no row matched.
   */
  async writeStatus(
    q: Queryable,
    projectId: string,
    id: string,
    to: { status: AccountStatus; reason: string | null; from?: AccountStatus[]; bumpVersion: boolean },
  ): Promise<ConnectedAccount | undefined> {
    const { rows } = await q.query<AccountRow>(
      `UPDATE connected_accounts SET status = $3, status_reason = $4,
         version = version + CASE WHEN $5::boolean THEN 1 ELSE 0 END, updated_at = now()
       WHERE project_id = $1 AND id = $2 AND ($6::text[] IS NULL OR status = ANY($6::text[])) RETURNING ${ACCOUNT_COLUMNS}`,
      [projectId, id, to.status, to.reason, to.bumpVersion, to.from ?? null],
    );
    const account = rows[0] && toAccount(rows[0]);
    if (account) this.#changed(q, account);
    return account;
  }
}
