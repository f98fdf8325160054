import { randomBytes } from 'node:crypto';
import { type Credentials, openCredentials, sealCredentials } from '../accounts/credentials.js';
import type { LastUsed } from '../accounts/last-used.js';
import type { ConnectedAccount } from '../accounts/store.js';
import type { AccountTransitions } from '../accounts/transitions.js';
import type { AuthConfigService } from '../auth-configs/service.js';
import { expiryOf } from '../connect/save-connection.js';
import type { Outbound } from '../outbound/client.js';
import { type OAuthClient, refreshTokens } from '../providers/oauth-client.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import type { Failure } from '../shared/result.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Vault } from '../vault/vault.js';
import { fingerprint, openJournal, sealJournal } from './journal.js';
import type { LeasedAccount, LeaseStore } from './lease-store.js';
import { refreshDueAt, retryAt } from './schedule.js';

/** Everything a refresh needs; one per process, shared by inline refreshes and the refresher. */
export interface RefreshContext {
  db: Db;
  vault: Vault;
  outbound: Outbound;
  log: Logger;
  metrics: Metrics;
  /** Every status change (REVOKED, EXPIRED, ACTIVE again) and its event. */
  transitions: AccountTransitions;
  leases: LeaseStore;
  /** `last_used_at`, noted in memory and written in batches. */
  lastUsed: LastUsed;
  authConfigs: AuthConfigService;
  /** This process, for the journal (`host:pid:random`). */
  replica: string;
  leaseTimeoutMs: number;
  maxFailures: number;
}

/** proactive: the refresher; expiring/rejected/forced: inline (execute, proxy, the refresh endpoint). */
export type RefreshTrigger = 'proactive' | 'expiring' | 'rejected' | 'forced';

export type AttemptOutcome =
  | { kind: 'refreshed'; account: ConnectedAccount; credentials: Credentials }
  | { kind: 'revoked'; account: ConnectedAccount | undefined }
  | { kind: 'failed'; account: ConnectedAccount | undefined; error: Failure }
  | { kind: 'lease_lost' };

const MAX_CALL_MS = 15_000;

export const newLeaseId = (): string => `lease_${randomBytes(12).toString('base64url')}`;

/**
 * One refresh under a lease the caller holds — the only code that presents a refresh token:
 *   1. the journal entry is committed (a crash from here on is detectable: tokens/README.md)
 *   2. the provider is called, with a timeout well inside the lease
 *   3. one transaction writes the result, ends the lease (only if still ours) and records the event.
 */
export async function refreshUnderLease(
  c: RefreshContext,
  leased: LeasedAccount,
  leaseId: string,
  claimedAt: number,
  provider: ResolvedProvider,
  client: OAuthClient,
  trigger: RefreshTrigger,
): Promise<AttemptOutcome> {
  const projectId = leased.projectId;
  const id = leased.id;
  const current = leased.credentialsCt
    ? await openCredentials(c.vault, projectId, id, leased.credentialsCt)
    : undefined;
  const refreshToken = current?.ok ? current.value.refreshToken : undefined;
  if (!current?.ok || !refreshToken) {
    // Nothing to refresh with: look again in a day (a reconnect reschedules it at once).
    await c.leases.release(projectId, id, leaseId, new Date(Date.now() + 86_400_000));
    const error: Failure = current?.ok
      ? { code: 'token_expired', message: 'the provider gave no refresh token; reconnect' }
      : { code: 'secret_unreadable', message: 'the stored credentials cannot be read' };
    return { kind: 'failed', account: leased, error };
  }
  const recovering = leased.refreshJournalCt !== null;
  if (recovering) await noteRecovery(c, leased, provider, refreshToken);
  // A call that could outlive the lease might race the replica taking it over: give it back instead.
  const callBudget = Math.min(MAX_CALL_MS, c.leaseTimeoutMs / 2 - (Date.now() - claimedAt));
  if (callBudget < 500) {
    await c.leases.release(projectId, id, leaseId, null);
    return { kind: 'lease_lost' };
  }
  const journal = await sealJournal(c.vault, projectId, id, {
    attemptId: leaseId,
    replica: c.replica,
    refreshTokenFingerprint: fingerprint(refreshToken),
    startedAt: new Date().toISOString(),
  });
  if (!(await c.leases.writeJournal(projectId, id, leaseId, journal))) return { kind: 'lease_lost' };

  const label = { provider: provider.id, trigger: recovering ? 'recovery' : trigger };
  c.metrics.refreshAttempts.inc(label);
  const expiresAt = leased.accessTokenExpiresAt;
  if (expiresAt) c.metrics.secondsToExpiryAtRefresh.observe(label, (expiresAt.getTime() - Date.now()) / 1000);

  const answer = await refreshTokens(c.outbound, provider, client, refreshToken, { timeoutMs: callBudget });
  const result = (outcome: string, reason: string) =>
    c.metrics.refreshResults.inc({ provider: provider.id, outcome, reason });
  const logFields = { project_id: projectId, account_id: id, provider: provider.id, trigger: label.trigger };

  if (answer.ok) {
    const t = answer.value;
    // No new refresh token means the old one stays valid (providers without rotation).
    const credentials: Credentials = {
      accessToken: t.accessToken,
      tokenType: t.tokenType,
      refreshToken: t.refreshToken ?? refreshToken,
    };
    const idToken = t.idToken ?? current.value.idToken;
    if (idToken) credentials.idToken = idToken;
    const credentialsCt = await sealCredentials(c.vault, projectId, id, credentials);
    const now = new Date();
    const newExpiry = expiryOf(provider, t, now.getTime());
    const account = await c.db.transaction(async (tx) => {
      const row = await c.leases.commitSuccess(tx, projectId, id, leaseId, {
        credentialsCt,
        expiresAt: newExpiry,
        scopes: t.scopes,
        nextRefreshAt: newExpiry ? refreshDueAt(provider, newExpiry, now) : null,
      });
      // ACTIVE again if it was EXPIRED (a forced refresh), with the `connection.refreshed` event.
      return row && (await c.transitions.activate(tx, row, 'connection.refreshed'));
    });
    if (!account) {
      // Only possible if the call outlived the lease despite the timeout: the new tokens are dropped.
      c.log.error(logFields, 'refresh answered after its lease was lost; result discarded');
      c.metrics.leaseContention.inc({ kind: 'lease_lost' });
      return { kind: 'lease_lost' };
    }
    result('success', 'ok');
    return { kind: 'refreshed', account, credentials };
  }

  const error = answer.error;
  // The provider's error code (already checked to hold no secret), never its description.
  const providerError = error.details?.providerError ?? null;
  if (error.code === 'invalid_grant') {
    const reason = recovering
      ? 'the provider rejected the refresh token after an interrupted refresh; the user must reconnect'
      : 'the provider rejected the refresh token (invalid_grant)';
    const account = await c.db.transaction(async (tx) => {
      const row = await c.leases.commitRevoked(tx, projectId, id, leaseId);
      return row && (await c.transitions.markRevoked(tx, row, reason));
    });
    result('failure', 'invalid_grant');
    c.log.warn({ ...logFields, provider_error: providerError }, 'refresh token rejected: account revoked');
    return account ? { kind: 'revoked', account } : { kind: 'lease_lost' };
  }

  // Transient: count it and retry later; the account stays ACTIVE while its access token works.
  const failures = leased.refreshFailures + 1;
  const account = await c.db.transaction(async (tx): Promise<ConnectedAccount | undefined> => {
    const row = await c.leases.commitFailure(tx, projectId, id, leaseId, {
      nextRefreshAt: retryAt(failures, expiresAt),
      // No answer at all: the provider may have rotated the token, so the next attempt is a recovery.
      keepJournal: error.code === 'provider_unreachable',
    });
    // EXPIRED only once the access token has expired and `maxFailures` attempts in a row failed.
    if (row && row.status === 'ACTIVE' && row.tokenExpired && row.refreshFailures >= c.maxFailures) {
      const reason = `refresh failed ${row.refreshFailures} times in a row after the access token expired (${error.code})`;
      return (await c.transitions.markExpired(tx, row, reason)) ?? row;
    }
    return row;
  });
  result('failure', error.code);
  c.log.warn(
    { ...logFields, reason: error.code, provider_error: providerError, failures },
    'token refresh failed',
  );
  return account ? { kind: 'failed', account, error } : { kind: 'lease_lost' };
}

/** A previous attempt on this token never finished (crash, or no answer): say so, and how it may end. */
async function noteRecovery(
  c: RefreshContext,
  leased: LeasedAccount,
  provider: ResolvedProvider,
  refreshToken: string,
): Promise<void> {
  c.metrics.leaseContention.inc({ kind: 'takeover' });
  const entry = await openJournal(c.vault, leased.projectId, leased.id, leased.refreshJournalCt!);
  const window = provider.oauth2?.refreshTokenReuseWindowSeconds;
  const age = leased.refreshJournalAt ? (Date.now() - leased.refreshJournalAt.getTime()) / 1000 : 0;
  c.log.warn(
    {
      project_id: leased.projectId,
      account_id: leased.id,
      previous_replica: entry?.replica,
      same_token: entry ? entry.refreshTokenFingerprint === fingerprint(refreshToken) : undefined,
      journal_age_s: Math.round(age),
      reuse_window_s: window ?? null,
    },
    window !== undefined && age <= window
      ? 'recovering an interrupted refresh inside the provider reuse window'
      : 'recovering an interrupted refresh; if the provider had already rotated the token it will refuse it',
  );
}
