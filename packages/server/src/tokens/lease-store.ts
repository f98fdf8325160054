import { AccountChanges } from '../accounts/account-cache.js';
import { ACCOUNT_COLUMNS, type AccountRow, type ConnectedAccount, toAccount } from '../accounts/store.js';
import type { Db, Queryable } from '../store/db.js';

/** An account's refresh bookkeeping (migration 0004): the columns the token lifecycle owns. */
export interface LeaseState {
  nextRefreshAt: Date | null;
  refreshLeaseId: string | null;
  refreshJournalCt: string | null;
  refreshJournalAt: Date | null;
  refreshFailures: number;
  /** Another attempt holds an unexpired lease (computed on the database's clock). */
  leaseHeld: boolean;
  /** The access token has expired (on the database's clock). */
  tokenExpired: boolean;
}

/** A connected account with its refresh bookkeeping, as the lease SQL returns it. */
export type LeasedAccount = ConnectedAccount & LeaseState;

interface LeaseRow extends AccountRow {
  next_refresh_at: Date | null;
  refresh_lease_id: string | null;
  refresh_journal_ct: string | null;
  refresh_journal_at: Date | null;
  refresh_failures: number;
  lease_held: boolean;
  token_expired: boolean;
}

const toLeased = (r: LeaseRow): LeasedAccount => ({
  ...toAccount(r),
  nextRefreshAt: r.next_refresh_at,
  refreshLeaseId: r.refresh_lease_id,
  refreshJournalCt: r.refresh_journal_ct,
  refreshJournalAt: r.refresh_journal_at,
  refreshFailures: r.refresh_failures,
  leaseHeld: r.lease_held,
  tokenExpired: r.token_expired,
});

const COLUMNS = `${ACCOUNT_COLUMNS}, next_refresh_at, refresh_lease_id, refresh_journal_ct, refresh_journal_at,
  refresh_failures, coalesce(refresh_lease_until > now(), false) AS lease_held,
  coalesce(access_token_expires_at <= now(), false) AS token_expired`;
const LEASE_FREE = '(refresh_lease_until IS NULL OR refresh_lease_until <= now())';
// The claim index's expression (migration 0019): an unscheduled account is the most overdue.
const DUE = "coalesce(next_refresh_at, '-infinity'::timestamptz)";
const leaseUntil = (ms: number) => `now() + make_interval(secs => ${Math.ceil(ms / 1000)})`;

/**
 * The refresher's claim: $1 lease id, $2 batch size. It walks `connected_accounts_refresh_claim`
 * (migration 0019) from the oldest due account and stops after the batch or at the first account not
 * yet due, whatever the state: unscheduled accounts (NULL) sort first, nothing due is an empty range.
 * Leases stay out of that index, so taking one is a HOT update; the walk steps over the leases other
 * replicas hold at the front of the range, about one heap page each (tokens/README.md, "The claim at
 * scale"). The locked ids come back as one array read through the primary key: a join on the
 * subquery (`IN (SELECT …)`) plans, when prepared (generic plan), as a sequential scan of the table.
 */
export const claimDueSql = (leaseMs: number) =>
  `UPDATE connected_accounts SET refresh_lease_id = $1, refresh_lease_until = ${leaseUntil(leaseMs)}
   WHERE id = ANY (ARRAY(
     SELECT id FROM connected_accounts
     WHERE status = 'ACTIVE' AND credentials_ct IS NOT NULL AND access_token_expires_at IS NOT NULL
       AND ${DUE} <= now() AND ${LEASE_FREE}
     ORDER BY ${DUE} LIMIT $2
     FOR UPDATE SKIP LOCKED))
   RETURNING ${COLUMNS}`;

/**
 * The SQL of refresh leases. A lease is two columns (holder, expiry on the database clock) taken by a
 * conditional UPDATE, so replicas and requests coordinate through PostgreSQL alone, no transaction is
 * held open while a provider is called, and a crashed holder's lease simply runs out. Results are
 * written only by the lease holder (`WHERE refresh_lease_id = $lease`), in the statement that ends it.
 * It touches the lease and journal columns, and the credentials and expiry a refresh writes; never the
 * status (accounts/transitions.ts, called in the same transaction).
 */
export class LeaseStore {
  constructor(
    private readonly db: Db,
    /** New credentials drop the account from this replica's cache (accounts/account-cache.ts). */
    private readonly changes: AccountChanges = new AccountChanges(),
  ) {}

  #changed(q: Queryable, row: LeaseRow | undefined): LeasedAccount | undefined {
    if (!row) return undefined;
    const account = toLeased(row);
    this.changes.changed(q, {
      projectId: account.projectId,
      id: account.id,
      userId: account.userId,
      providerId: account.providerId,
    });
    return account;
  }

  async read(projectId: string, id: string): Promise<LeasedAccount | undefined> {
    const { rows } = await this.db.query<LeaseRow>(
      `SELECT ${COLUMNS} FROM connected_accounts WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] && toLeased(rows[0]);
  }

  /** Takes the lease of one account if it is free and the row is still the version the caller saw. */
  async claimOne(
    projectId: string,
    id: string,
    version: number,
    leaseId: string,
    leaseMs: number,
  ): Promise<LeasedAccount | undefined> {
    const { rows } = await this.db.query<LeaseRow>(
      `UPDATE connected_accounts SET refresh_lease_id = $4, refresh_lease_until = ${leaseUntil(leaseMs)}
       WHERE project_id = $1 AND id = $2 AND version = $3 AND status IN ('ACTIVE', 'EXPIRED') AND ${LEASE_FREE}
       RETURNING ${COLUMNS}`,
      [projectId, id, version, leaseId],
    );
    return rows[0] && toLeased(rows[0]);
  }

  /**
   * Leases up to `limit` accounts due for a proactive refresh, in every project (the refresher is an
   * instance-wide worker; each row keeps its project). Rows another replica is claiming are skipped.
   */
  async claimDue(leaseId: string, leaseMs: number, limit: number): Promise<LeasedAccount[]> {
    const { rows } = await this.db.query<LeaseRow>(claimDueSql(leaseMs), [leaseId, limit]);
    return rows.map(toLeased);
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

  /**
   * New tokens, the journal cleared and the lease ended, in one statement of the caller's transaction
   * (which then calls `transitions.activate`).
   */
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
  ): Promise<LeasedAccount | undefined> {
    const { rows } = await tx.query<LeaseRow>(
      `UPDATE connected_accounts SET credentials_ct = $4, access_token_expires_at = $5,
         scopes = coalesce($6::jsonb, scopes), next_refresh_at = $7,
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
    return this.#changed(tx, rows[0]);
  }

  /**
   * The provider refused the grant: nothing left to refresh; the lease and journal end (the caller's
   * transaction then calls `transitions.markRevoked`).
   */
  async commitRevoked(
    tx: Queryable,
    projectId: string,
    id: string,
    leaseId: string,
  ): Promise<LeasedAccount | undefined> {
    const { rows } = await tx.query<LeaseRow>(
      `UPDATE connected_accounts SET next_refresh_at = NULL,
         refresh_lease_id = NULL, refresh_lease_until = NULL, refresh_journal_ct = NULL, refresh_journal_at = NULL,
         updated_at = now()
       WHERE project_id = $1 AND id = $2 AND refresh_lease_id = $3 RETURNING ${COLUMNS}`,
      [projectId, id, leaseId],
    );
    return this.#changed(tx, rows[0]);
  }

  /**
   * A failed attempt: count it, schedule the retry, end the lease. `keepJournal` when the provider may
   * have acted on the request (no answer): the next attempt is then a recovery. Whether the account
   * expires is the caller's decision (`refreshFailures`, `tokenExpired`; `transitions.markExpired`).
   */
  async commitFailure(
    tx: Queryable,
    projectId: string,
    id: string,
    leaseId: string,
    f: { nextRefreshAt: Date; keepJournal: boolean },
  ): Promise<LeasedAccount | undefined> {
    const { rows } = await tx.query<LeaseRow>(
      `UPDATE connected_accounts SET refresh_failures = refresh_failures + 1, next_refresh_at = $4,
         refresh_lease_id = NULL, refresh_lease_until = NULL,
         refresh_journal_ct = CASE WHEN $5::boolean THEN refresh_journal_ct ELSE NULL END,
         refresh_journal_at = CASE WHEN $5::boolean THEN refresh_journal_at ELSE NULL END,
         updated_at = now()
       WHERE project_id = $1 AND id = $2 AND refresh_lease_id = $3 RETURNING ${COLUMNS}`,
      [projectId, id, leaseId, f.nextRefreshAt, f.keepJournal],
    );
    return rows[0] && toLeased(rows[0]);
  }

  /**
   * The health probe's next account: ACTIVE, neither used nor probed for `idleSeconds`, in any project;
   * SKIP LOCKED, so replicas never probe the same one. Marks it probed.
   */
  async claimIdle(idleSeconds: number): Promise<ConnectedAccount | undefined> {
    const { rows } = await this.db.query<AccountRow>(
      `UPDATE connected_accounts SET health_checked_at = now()
       WHERE (project_id, id) IN (
         SELECT project_id, id FROM connected_accounts
         WHERE status = 'ACTIVE' AND credentials_ct IS NOT NULL
           AND coalesce(last_used_at, created_at) < now() - make_interval(secs => $1)
           AND (health_checked_at IS NULL OR health_checked_at < now() - make_interval(secs => $1))
         ORDER BY health_checked_at NULLS FIRST LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING ${ACCOUNT_COLUMNS}`,
      [idleSeconds],
    );
    return rows[0] && toAccount(rows[0]);
  }
}
