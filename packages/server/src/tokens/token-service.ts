import { type Credentials, openCredentials, sealCredentials } from '../accounts/credentials.js';
import type { AccountRow } from '../accounts/store.js';
import { expiryOf } from '../connect/save-connection.js';
import type { Outbound } from '../outbound/client.js';
import { type OAuthClient, refreshTokens } from '../providers/oauth-client.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../telemetry/logger.js';
import type { Vault } from '../vault/vault.js';

/** An access token ready to inject, with the row it came from. */
export interface UsableToken {
  account: AccountRow;
  credentials: Credentials;
}

export type RefreshReason = 'expiring' | 'rejected' | 'forced';

// Refresh inline when the token has less than this left, so it cannot expire mid-call.
const INLINE_REFRESH_MARGIN_MS = 30_000;

const ACCOUNT_FOR_UPDATE = `SELECT id, project_id, auth_config_id, user_id, provider_id, label, subject, display_name, status,
  status_reason, scopes, credentials_ct, access_token_expires_at, connection_config, version, last_refreshed_at,
  last_used_at, created_at, updated_at FROM connected_accounts WHERE project_id = $1 AND id = $2 FOR UPDATE`;

/**
 * Hands out fresh access tokens. Refreshing takes the account's row lock and re-reads the row, so a
 * token family is refreshed exactly once however many requests (or replicas) race: the losers find
 * a newer version and use its token. Rotated tokens are written in the same transaction.
 */
export class TokenService {
  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly outbound: Outbound,
    private readonly log: Logger,
  ) {}

  async accessToken(
    account: AccountRow,
    provider: ResolvedProvider,
    client: OAuthClient,
  ): Promise<Result<UsableToken>> {
    if (account.status !== 'ACTIVE')
      return fail('account_inactive', `the connected account is ${account.status}`);
    if (!account.credentials_ct) return fail('account_inactive', 'the connected account has no credentials');
    const expiresAt = account.access_token_expires_at?.getTime();
    if (expiresAt !== undefined && expiresAt - Date.now() < INLINE_REFRESH_MARGIN_MS) {
      return this.refresh(account, provider, client, 'expiring');
    }
    const creds = await openCredentials(this.vault, account.project_id, account.id, account.credentials_ct);
    return creds.ok ? ok({ account, credentials: creds.value }) : creds;
  }

  /**
   * Refreshes under the row lock. `seen` is the row the caller used: when another request already
   * refreshed it (version moved on), its token is returned instead of refreshing twice.
   */
  async refresh(
    seen: AccountRow,
    provider: ResolvedProvider,
    client: OAuthClient,
    reason: RefreshReason,
  ): Promise<Result<UsableToken>> {
    const projectId = seen.project_id;
    return this.db.transaction(async (tx): Promise<Result<UsableToken>> => {
      const { rows } = await tx.query<AccountRow>(ACCOUNT_FOR_UPDATE, [projectId, seen.id]);
      const row = rows[0];
      if (!row) return fail('not_found', 'the connected account no longer exists');
      if (row.status !== 'ACTIVE' || !row.credentials_ct)
        return fail('account_inactive', `the connected account is ${row.status}`);
      const current = await openCredentials(this.vault, projectId, row.id, row.credentials_ct);
      if (!current.ok) return current;
      const stillFresh =
        !row.access_token_expires_at ||
        row.access_token_expires_at.getTime() - Date.now() >= INLINE_REFRESH_MARGIN_MS;
      if (row.version !== seen.version && (reason !== 'expiring' || stillFresh)) {
        return ok({ account: row, credentials: current.value });
      }
      const refreshToken = current.value.refreshToken;
      if (!refreshToken)
        return fail(
          'token_expired',
          'the access token expired and the provider gave no refresh token; reconnect',
        );

      const refreshed = await refreshTokens(this.outbound, provider, client, refreshToken);
      if (!refreshed.ok) {
        if (refreshed.error.code === 'invalid_grant') {
          await tx.query(
            `UPDATE connected_accounts SET status = 'REVOKED', status_reason = $3, version = version + 1, updated_at = now()
             WHERE project_id = $1 AND id = $2`,
            [projectId, row.id, 'the provider rejected the refresh token (invalid_grant)'],
          );
          this.log.warn(
            { project_id: projectId, account_id: row.id, provider: provider.id },
            'refresh token rejected: account revoked',
          );
          return fail('account_revoked', 'the provider revoked access; the user must reconnect');
        }
        // Transient: never downgrade a working account; the caller may still use a valid token.
        this.log.warn(
          { project_id: projectId, account_id: row.id, provider: provider.id, reason: refreshed.error.code },
          'token refresh failed',
        );
        if (stillFresh && reason !== 'rejected') return ok({ account: row, credentials: current.value });
        return fail('token_refresh_failed', refreshed.error.message);
      }
      const t = refreshed.value;
      // No new refresh token means the old one stays valid (providers without rotation).
      const credentials: Credentials = {
        accessToken: t.accessToken,
        tokenType: t.tokenType,
        refreshToken: t.refreshToken ?? refreshToken,
      };
      const idToken = t.idToken ?? current.value.idToken;
      if (idToken) credentials.idToken = idToken;
      const { rows: updated } = await tx.query<AccountRow>(
        `UPDATE connected_accounts SET credentials_ct = $3, access_token_expires_at = $4, scopes = coalesce($5::jsonb, scopes),
           version = version + 1, last_refreshed_at = now(), updated_at = now()
         WHERE project_id = $1 AND id = $2
         RETURNING id, project_id, auth_config_id, user_id, provider_id, label, subject, display_name, status, status_reason,
           scopes, credentials_ct, access_token_expires_at, connection_config, version, last_refreshed_at, last_used_at,
           created_at, updated_at`,
        [
          projectId,
          row.id,
          await sealCredentials(this.vault, projectId, row.id, credentials),
          expiryOf(provider, t),
          t.scopes ? JSON.stringify(t.scopes) : null,
        ],
      );
      return ok({ account: updated[0]!, credentials });
    });
  }

  /** Marks an account whose fresh token the provider still refuses (revoked out of band). */
  async markRevoked(account: AccountRow, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE connected_accounts SET status = 'REVOKED', status_reason = $3, version = version + 1, updated_at = now()
       WHERE project_id = $1 AND id = $2 AND status = 'ACTIVE'`,
      [account.project_id, account.id, reason],
    );
  }
}
