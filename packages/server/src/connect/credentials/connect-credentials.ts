import { type Credentials, isOAuth } from '../../accounts/credentials.js';
import type { ConnectedAccount } from '../../accounts/store.js';
import type { AuthConfigService } from '../../auth-configs/service.js';
import { type OAuthClient, refreshTokens } from '../../providers/oauth-client.js';
import type { ProviderApiDeps } from '../../providers/provider-api.js';
import type { ResolvedProvider } from '../../providers/resolve.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { Queryable } from '../../store/db.js';
import {
  type ConnectionTarget,
  captureConnectionConfig,
  expiryOf,
  type Grant,
  identify,
  type SaveDeps,
  storeConnection,
} from '../save-connection.js';
import { checkCredential } from './health-check.js';
import { type CredentialInput, toCredentials } from './input.js';

export type CredentialConnectDeps = SaveDeps &
  Pick<ProviderApiDeps, 'outbound' | 'retry'> & { authConfigs: AuthConfigService };

/** A credential that passed the health check, with what was learned about its account: ready to store. */
export interface VerifiedConnection {
  grant: Grant;
  identity: { subject: string | null; displayName: string | null };
  connection: Record<string, string>;
}

// An imported access token this close to expiry is refreshed before its health check.
const IMPORT_MARGIN_MS = 30_000;

/**
 * Connections made from a credential the user entered on the hosted page or the app submitted:
 * input → kind and shape → (imported OAuth token: refresh if already expired) → health check →
 * capture connection config → identify → store, sealed in the vault like any OAuth token.
 * Nothing is stored unless the provider accepted the credential.
 */
export class CredentialConnections {
  constructor(private readonly d: CredentialConnectDeps) {}

  /** The API path: `POST /v1/connected-accounts`. */
  async connect(
    target: ConnectionTarget,
    input: CredentialInput,
    /** More writes in the transaction that stores the account (its admin audit row). */
    alsoInTransaction?: (tx: Queryable, account: ConnectedAccount) => Promise<unknown>,
  ): Promise<Result<ConnectedAccount>> {
    const loaded = await this.d.authConfigs.load(target.projectId, target.authConfigId);
    if (!loaded.ok) return loaded;
    const verified = await this.verify(loaded.value.provider, loaded.value.client, input);
    if (!verified.ok) return verified;
    const { grant, identity, connection } = verified.value;
    return storeConnection(
      this.d,
      target,
      loaded.value.provider,
      grant,
      identity,
      connection,
      alsoInTransaction,
    );
  }

  async verify(
    p: ResolvedProvider,
    client: OAuthClient,
    input: CredentialInput,
  ): Promise<Result<VerifiedConnection>> {
    const creds = toCredentials(p, input);
    if (!creds.ok) return creds;
    let credentials: Credentials = creds.value;
    let expiresAt = input.type === 'oauth2' ? (input.expiresAt ?? null) : null;
    let scopes = input.type === 'oauth2' ? input.scopes : [];
    if (isOAuth(credentials) && expiresAt && expiresAt.getTime() - Date.now() < IMPORT_MARGIN_MS) {
      if (!credentials.refreshToken)
        return fail(
          'token_expired',
          'the imported access token has expired and came without a refresh token',
        );
      const refreshed = await refreshTokens(this.d.outbound, p, client, credentials.refreshToken);
      if (!refreshed.ok)
        return fail(
          refreshed.error.code === 'invalid_grant' ? 'credential_rejected' : 'credential_check_failed',
          `${p.definition.displayName} did not accept the imported refresh token (${refreshed.error.code})`,
        );
      const t = refreshed.value;
      credentials = {
        accessToken: t.accessToken,
        tokenType: t.tokenType,
        refreshToken: t.refreshToken ?? credentials.refreshToken,
      };
      expiresAt = expiryOf(p, t);
      scopes = t.scopes ?? scopes;
    }
    const checked = await checkCredential(this.d, p, credentials);
    if (!checked.ok) return checked;
    const connection = await captureConnectionConfig(this.d, p, { raw: {}, credentials });
    if (!connection.ok) return connection;
    const identity = await identify(this.d, p, { idTokenSubject: undefined, credentials }, connection.value);
    return ok({ grant: { credentials, scopes, expiresAt }, identity, connection: connection.value });
  }
}
