import { type Credentials, isOAuth, openCredentials, secretValues } from '../accounts/credentials.js';
import type { ConnectedAccount } from '../accounts/store.js';
import { Scrubber } from '../broker/scrub.js';
import type { OAuthClient } from '../providers/oauth-client.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import { fail, ok, type Result } from '../shared/result.js';
import { newLeaseId, type RefreshContext, refreshUnderLease } from './refresh-attempt.js';

/** An access token ready to inject, with the row it came from. */
export interface UsableToken {
  account: ConnectedAccount;
  credentials: Credentials;
}

export type RefreshReason = 'expiring' | 'rejected' | 'forced';

// Refresh inline when the token has less than this left, so it cannot expire mid-call; for short-lived
// tokens a quarter of their lifetime (a 20 s token is not "expiring" for its whole life).
const INLINE_REFRESH_MARGIN_MS = 30_000;
const inlineMargin = (row: ConnectedAccount): number => {
  const expires = row.accessTokenExpiresAt?.getTime();
  const issued = row.lastRefreshedAt?.getTime();
  if (expires === undefined || issued === undefined) return INLINE_REFRESH_MARGIN_MS;
  return Math.min(INLINE_REFRESH_MARGIN_MS, Math.max(0, expires - issued) / 4);
};
// A token with less than this left is not handed out while another refresh is under way.
const USABLE_MARGIN_MS = 2_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Hands out fresh access tokens. A refresh takes the account's refresh lease first (the same lease
 * the proactive refresher takes) and re-reads the row, so a token family is refreshed exactly once
 * however many requests and replicas race: the others wait for the holder and use its result.
 */
export class TokenService {
  /**
   * Credentials already opened, per account row object: the account cache hands out the same object
   * until the row changes, so a cached account is decrypted once, and its plaintext goes with it.
   */
  readonly #opened = new WeakMap<ConnectedAccount, Credentials>();

  constructor(private readonly c: RefreshContext) {}

  async accessToken(
    account: ConnectedAccount,
    provider: ResolvedProvider,
    client: OAuthClient,
  ): Promise<Result<UsableToken>> {
    if (account.status !== 'ACTIVE')
      return fail('account_inactive', `the connected account is ${account.status}`);
    if (!account.credentialsCt) return fail('account_inactive', 'the connected account has no credentials');
    const expiresAt = account.accessTokenExpiresAt?.getTime();
    if (expiresAt !== undefined && expiresAt - Date.now() < inlineMargin(account)) {
      return this.refresh(account, provider, client, 'expiring');
    }
    let credentials = this.#opened.get(account);
    if (!credentials) {
      const creds = await openCredentials(this.c.vault, account.projectId, account.id, account.credentialsCt);
      if (!creds.ok) return creds;
      credentials = creds.value;
      this.#opened.set(account, credentials);
    }
    this.c.lastUsed.note(account);
    return ok({ account, credentials });
  }

  /**
   * Refreshes under the account's lease. `seen` is the row the caller used: when another request or
   * replica refreshed it since (the version moved on), that token is returned instead of refreshing
   * twice; while another refresh is under way, a still-valid token is used or the caller waits.
   */
  async refresh(
    seen: ConnectedAccount,
    provider: ResolvedProvider,
    client: OAuthClient,
    reason: RefreshReason,
  ): Promise<Result<UsableToken>> {
    const projectId = seen.projectId;
    const deadline = Date.now() + this.c.leaseTimeoutMs + 2_000;
    let pause = 20;
    let waited = false;
    for (;;) {
      const row = await this.c.leases.read(projectId, seen.id);
      if (!row) return fail('not_found', 'the connected account no longer exists');
      const allowed = row.status === 'ACTIVE' || (reason === 'forced' && row.status === 'EXPIRED');
      if (!allowed || !row.credentialsCt)
        return fail(
          row.status === 'REVOKED' ? 'account_revoked' : 'account_inactive',
          `the connected account is ${row.status}`,
        );
      const current = await openCredentials(this.c.vault, projectId, row.id, row.credentialsCt);
      if (!current.ok) return current;
      const left = row.accessTokenExpiresAt ? row.accessTokenExpiresAt.getTime() - Date.now() : Infinity;
      const usable = row.status === 'ACTIVE' && left > USABLE_MARGIN_MS;
      if (row.version !== seen.version && (reason !== 'expiring' || left >= inlineMargin(row))) {
        if (row.status === 'ACTIVE') return ok({ account: row, credentials: current.value });
      }
      if (row.leaseHeld) {
        if (reason === 'expiring' && usable) return ok({ account: row, credentials: current.value });
        if (Date.now() > deadline)
          return fail('token_refresh_failed', 'another refresh of this account did not finish in time');
        if (!waited) this.c.metrics.leaseContention.inc({ kind: 'inline_wait' });
        waited = true;
        await sleep(pause);
        pause = Math.min(pause * 2, 250);
        continue;
      }
      // An API key, password or static token has nothing to refresh: it works until its owner revokes it.
      if (!isOAuth(current.value))
        return fail('invalid_request', 'this connection uses a static credential, which is not refreshed');
      if (!current.value.refreshToken)
        return fail(
          'token_expired',
          'the access token expired and the provider gave no refresh token; reconnect',
        );
      const leaseId = newLeaseId();
      const claimedAt = Date.now();
      const leased = await this.c.leases.claimOne(
        projectId,
        row.id,
        row.version,
        leaseId,
        this.c.leaseTimeoutMs,
      );
      if (!leased) {
        // Another request or replica got there first: look again (it holds the lease, or is done).
        this.c.metrics.leaseContention.inc({ kind: 'claim_raced' });
        continue;
      }
      const outcome = await refreshUnderLease(this.c, leased, leaseId, claimedAt, provider, client, reason);
      switch (outcome.kind) {
        case 'refreshed':
          return ok({ account: outcome.account, credentials: outcome.credentials });
        case 'revoked':
          return fail('account_revoked', 'the provider revoked access; the user must reconnect');
        case 'lease_lost':
          return fail('token_refresh_failed', 'the refresh could not complete in time; try again');
        case 'failed':
          // Transient: never downgrade a working account; the caller may still use a valid token.
          if (usable && reason === 'expiring') return ok({ account: row, credentials: current.value });
          // The message reaches the agent: it holds no token or client secret, whatever went wrong.
          return fail(
            'token_refresh_failed',
            new Scrubber([...secretValues(current.value), client.clientSecret]).string(outcome.error.message),
          );
      }
    }
  }

  /** The refresh endpoint: refresh now, whatever the expiry (an EXPIRED account may come back). */
  async forceRefresh(projectId: string, accountId: string): Promise<Result<ConnectedAccount>> {
    const row = await this.c.leases.read(projectId, accountId);
    if (!row) return fail('not_found', `connected account ${accountId} not found`);
    const loaded = await this.c.authConfigs.load(projectId, row.authConfigId);
    if (!loaded.ok) return loaded;
    const refreshed = await this.refresh(row, loaded.value.provider, loaded.value.client, 'forced');
    return refreshed.ok ? ok(refreshed.value.account) : refreshed;
  }
}
