import type { AuthConfigService } from '../auth-configs/service.js';
import type { EventLog } from '../events/event-log.js';
import type { Outbound } from '../outbound/client.js';
import { revokeToken } from '../providers/oauth-client.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Queryable } from '../store/db.js';
import type { Logger } from '../telemetry/logger.js';
import type { Vault } from '../vault/vault.js';
import { isOAuth, openCredentials } from './credentials.js';
import type { AccountStore, ConnectedAccount } from './store.js';

export class AccountService {
  constructor(
    private readonly store: AccountStore,
    private readonly authConfigs: AuthConfigService,
    private readonly vault: Vault,
    private readonly outbound: Outbound,
    private readonly log: Logger,
    private readonly events: EventLog,
  ) {}

  async get(projectId: string, id: string): Promise<Result<ConnectedAccount>> {
    const row = await this.store.get(projectId, id);
    return row ? ok(row) : fail('not_found', `connected account ${id} not found`);
  }

  /**
   * Revokes the grant at the provider (refresh token first: it ends the whole grant at most
   * providers), then deletes the row and with it the only copy of the ciphertext. Static credentials
   * (API keys, passwords) are only deleted: the user revokes the key itself at the provider.
   */
  async delete(
    projectId: string,
    id: string,
    /** More writes in the deletion's transaction (its admin audit row), after the provider was called. */
    alsoInTransaction?: (tx: Queryable, result: { revokedAtProvider: boolean }) => Promise<unknown>,
  ): Promise<Result<{ revokedAtProvider: boolean }>> {
    const row = await this.store.get(projectId, id);
    if (!row) return fail('not_found', `connected account ${id} not found`);
    let revokedAtProvider = false;
    const loaded = await this.authConfigs.load(projectId, row.authConfigId);
    if (loaded.ok && row.credentialsCt) {
      const creds = await openCredentials(this.vault, projectId, id, row.credentialsCt);
      // A static key or password has no revocation endpoint: deleting the only ciphertext ends its use here.
      if (creds.ok && isOAuth(creds.value)) {
        const { provider, client } = loaded.value;
        const [token, hint] = creds.value.refreshToken
          ? [creds.value.refreshToken, 'refresh_token' as const]
          : [creds.value.accessToken, 'access_token' as const];
        const revoked = await revokeToken(this.outbound, provider, client, token, hint);
        revokedAtProvider = revoked.ok && revoked.value === 'revoked';
        if (!revoked.ok)
          this.log.warn(
            { account_id: id, project_id: projectId, reason: revoked.error.message },
            'provider revocation failed; deleting anyway',
          );
      }
    }
    // The event describes the connection as it now is: gone, and whether the provider ended the grant.
    const deleted = await this.store.delete(projectId, id, async (tx, deleted) => {
      await this.events.emit(tx, 'connection.deleted', deleted, {
        status: 'DELETED',
        statusReason: revokedAtProvider
          ? 'deleted; the grant was revoked at the provider'
          : 'deleted; the provider did not confirm revoking the grant',
      });
      await alsoInTransaction?.(tx, { revokedAtProvider });
    });
    // Deleted meanwhile by another request: that one's transaction carried the event (and its audit row).
    if (!deleted) return fail('not_found', `connected account ${id} not found`);
    return ok({ revokedAtProvider });
  }
}
