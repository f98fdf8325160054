import { ACCOUNT_COLUMNS, type AccountRow } from '../accounts/store.js';
import type { Db, Queryable } from '../store/db.js';

/** An account row with its refresh bookkeeping (migration 0004). */
export interface LeaseRow extends AccountRow {
  next_refresh_at: Date | null;
  refresh_lease_id: string | null;
  refresh_journal_ct: string | null;
  refresh_journal_at: Date | null;
  refresh_failures: number;
  /** Another attempt holds an unexpired lease (computed on the database's clock). */
  lease_held: boolean;
}

const COLUMNS = `${ACCOUNT_COLUMNS}, next_refresh_at, refresh_lease_id, refresh_journal_ct, refresh_journal_at,
  refresh_failures, coalesce(refresh_lease_until > now(), false) AS lease_held`;
const LEASE_FREE = '(refresh_lease_until IS NULL OR refresh_lease_until <= now())';
const leaseUntil = (ms: number) => `now() + make_interval(secs => ${Math.ceil(ms / 1000)})`;

/**
 * The SQL of refresh leases. A lease is two columns (holder, expiry on the database clock) taken by a
 * conditional UPDATE, so replicas and requests coordinate through PostgreSQL alone, no transaction is
 * held open while a provider is called, and a crashed holder's lease simply runs out. Results are
 * written only by the lease holder (`WHERE refresh_lease_id = $lease`), in the statement that ends it.
 */
export class LeaseStore {
  constructor(private readonly db: Db) {}

  async read(projectId: string, id: string): Promise<LeaseRow | undefined> {
    const { rows } = await this.db.query<LeaseRow>(
      `SELECT ${COLUMNS} FROM connected_accounts WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0];
  }

  /** Takes the lease of one account if it is free and the row is still the version the caller saw. */
  async claimOne(
    projectId: string,
    id: string,
    version: number,
    leaseId: string,
    leaseMs: number,
  ): Promise<LeaseRow | undefined> {
    const { rows } = await this.db.query<LeaseRow>(
      `UPDATE connected_accounts SET refresh_lease_id = $4, refresh_lease_until = ${leaseUntil(leaseMs)}
       WHERE project_id = $1 AND id = $2 AND version = $3 AND status IN ('ACTIVE', 'EXPIRED') AND ${LEASE_FREE}
       RETURNING ${COLUMNS}`,
      [projectId, id, version, leaseId],
    );
    return rows[0];
  }

  /**
   * Leases up to `limit` accounts due for a proactive refresh, in every project (the refresher is an
   * instance-wide worker; each row keeps its project). Rows another replica is claiming are skipped.
   */
  async claimDue(leaseId: string, leaseMs: number, limit: number): Promise<LeaseRow[]> {
    const { rows } = await this.db.query<LeaseRow>(
      `UPDATE connected_accounts SET refresh_lease_id = $1, refresh_lease_until = ${leaseUntil(leaseMs)}
       WHERE (project_id, id) IN (
         SELECT project_id, id FROM connected_accounts
         WHERE status = 'ACTIVE' AND credentials_ct IS NOT NULL AND access_token_expires_at IS NOT NULL
           AND (next_refresh_at IS NULL OR next_refresh_at <= now()) AND ${LEASE_FREE}
         ORDER BY next_refresh_at NULLS FIRST LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      [leaseId, limit],
    );
    return rows;
  }

  /** The refresh journal: committed before the provider is called (tokens/README.md, crash windows). */
  async writeJournal(projectId: string, id: string, leaseId: string, journalCt: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE connected_accounts SET refresh_journal_ct = $4, refresh_journal_at = coalesce(refresh_journal_at, now())
       WHERE project_id = $1 AND id = $2 AND refresh_lease_id = $3`,
      [projectId, id, leaseId, journalCt],
    );
    return rowCount === 1;
  }

  /** Gives a lease back without refreshing (not due yet, or no time left to call safely). */
  async release(projectId: string, id: string, leaseId: string, nextRefreshAt: Date | null): Promise<void> {
    await this.db.query(
      `UPDATE connected_accounts SET refresh_lease_id = NULL, refresh_lease_until = NULL,
         next_refresh_at = coalesce($4, next_refresh_at)
       WHERE project_id = $1 AND id = $2 AND refresh_lease_id = $3`,
      [projectId, id, leaseId, nextRefreshAt],
    );
  }

  /** New tokens, the journal cleared and the lease ended, in one statement of the caller's transaction. */
  async commitSuccess(
    tx: Queryable,
    projectId: string,
    id: string,
    leaseId: string,
    w: {
      credentialsCt: string;
      expiresAt: Date | null;
      scopes: string[] | undefined;
      nextRefreshAt: Date | null;
    },
  ): Promise<LeaseRow | undefined> {
    const { rows } = await tx.query<LeaseRow>(
      `UPDATE connected_accounts SET credentials_ct = $4, access_token_expires_at = $5,
         scopes = coalesce($6::jsonb, scopes), status = 'ACTIVE', status_reason = NULL, next_refresh_at = $7,
         refresh_failures = 0, refresh_lease_id = NULL, refresh_lease_until = NULL, refresh_journal_ct = NULL,
         refresh_journal_at = NULL, version = version + 1, last_refreshed_at = now(), updated_at = now()
       WHERE project_id = $1 AND id = $2 AND refresh_lease_id = $3 RETURNING ${COLUMNS}`,
      [
        projectId,
        id,
        leaseId,
        w.credentialsCt,
        w.expiresAt,
        w.scopes ? JSON.stringify(w.scopes) : null,
        w.nextRefreshAt,
      ],
    );
    return rows[0];
  }

  /** The provider refused the grant: REVOKED at once; the lease and journal end with it. */
  async commitRevoked(
    tx: Queryable,
    projectId: string,
    id: string,
    leaseId: string,
    reason: string,
  ): Promise<LeaseRow | undefined> {
    const { rows } = await tx.query<LeaseRow>(
      `UPDATE connected_accounts SET status = 'REVOKED', status_reason = $4, next_refresh_at = NULL,
         refresh_lease_id = NULL, refresh_lease_until = NULL, refresh_journal_ct = NULL, refresh_journal_at = NULL,
         version = version + 1, updated_at = now()
       WHERE project_id = $1 AND id = $2 AND refresh_lease_id = $3 RETURNING ${COLUMNS}`,
      [projectId, id, leaseId, reason],
    );
    return rows[0];
  }

  /**
   * A failed attempt: count it, schedule the retry, end the lease. The account turns EXPIRED only once
   * its access token has expired and `maxFailures` attempts in a row failed. `keepJournal` when the
   * provider may have acted on the request (no answer): the next attempt is then a recovery.
   */
  async commitFailure(
    tx: Queryable,
    projectId: string,
    id: string,
    leaseId: string,
    f: { nextRefreshAt: Date; keepJournal: boolean; maxFailures: number; reason: string },
  ): Promise<LeaseRow | undefined> {
    const { rows } = await tx.query<LeaseRow>(
      `UPDATE connected_accounts SET refresh_failures = refresh_failures + 1, next_refresh_at = $4,
         status = CASE WHEN access_token_expires_at <= now() AND refresh_failures + 1 >= $5 THEN 'EXPIRED' ELSE status END,
         status_reason = CASE WHEN access_token_expires_at <= now() AND refresh_failures + 1 >= $5 THEN $6 ELSE status_reason END,
         refresh_lease_id = NULL, refresh_lease_until = NULL,
         refresh_journal_ct = CASE WHEN $7::boolean THEN refresh_journal_ct ELSE NULL END,
         refresh_journal_at = CASE WHEN $7::boolean THEN refresh_journal_at ELSE NULL END,
         version = version + CASE WHEN access_token_expires_at <= now() AND refresh_failures + 1 >= $5 THEN 1 ELSE 0 END,
         updated_at = now()
       WHERE project_id = $1 AND id = $2 AND refresh_lease_id = $3 RETURNING ${COLUMNS}`,
      [projectId, id, leaseId, f.nextRefreshAt, f.maxFailures, f.reason, f.keepJournal],
    );
    return rows[0];
  }
}
