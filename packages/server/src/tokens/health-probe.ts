import { isOAuth, openCredentials } from '../accounts/credentials.js';
import type { AccountStore, ConnectedAccount } from '../accounts/store.js';
import type { LoadedAuthConfig } from '../auth-configs/service.js';
import { bodyError } from '../providers/error-body.js';
import { ProviderApi, type ProviderApiDeps } from '../providers/provider-api.js';
import type { RefreshContext } from './refresh-attempt.js';
import type { TokenService } from './token-service.js';

export interface HealthProbeSettings {
  /** Probe accounts neither used nor probed for this long. */
  healthProbeIdleSeconds: number;
  probesPerMinute: number;
}

export type ProbeResult = 'healthy' | 'revoked' | 'inconclusive' | 'no_probe';

const PROBE_TIMEOUT_MS = 10_000;

/**
 * Headless revocation detection for idle accounts: at a low, fixed rate, take the account unused and
 * unprobed the longest (SKIP LOCKED, so replicas never probe the same one) and make the provider's cheap
 * `api.healthCheck` call through the account's provider API. A refresh answered `invalid_grant` → REVOKED.
 * A 2xx that reports a failure in its body (`api.errorBody`, as execute reads it) is never healthy; one
 * whose message is a `credentialErrors` entry (Slack's `token_revoked`) is judged like a 401 (`#refused`).
 */
export class HealthProbe {
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(
    private readonly c: RefreshContext & ProviderApiDeps & { tokens: TokenService; accounts: AccountStore },
    private readonly settings: HealthProbeSettings,
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** Probes the next idle account, if any. */
  async tick(): Promise<ProbeResult | undefined> {
    const idle = this.settings.healthProbeIdleSeconds;
    const row = await this.c.leases.claimIdle(idle);
    return row ? this.probe(row) : undefined;
  }

  async probe(row: ConnectedAccount): Promise<ProbeResult> {
    const loaded = await this.c.authConfigs.load(row.projectId, row.authConfigId);
    if (!loaded.ok) return 'inconclusive';
    const check = loaded.value.provider.definition.api.healthCheck;
    if (!check) return 'no_probe';
    const api = ProviderApi.forAccount(this.c, row, loaded.value);
    if (!api.url(check.path).ok) return 'no_probe';
    // One refresh on 401, as in execute; only invalid_grant on that refresh means revoked (a token the
    // provider has just issued and still refuses says nothing certain about the grant).
    const res = await api.request(
      {
        method: check.method,
        path: check.path,
        ...(check.body === undefined ? {} : { body: JSON.stringify(check.body) }),
      },
      { idempotent: false, retry: { timeoutMs: PROBE_TIMEOUT_MS, maxAttempts: 1 } },
    );
    if (!res.ok) return res.error.code === 'account_revoked' ? 'revoked' : 'inconclusive';
    if (res.value.status >= 400) return 'inconclusive';
    const spec = loaded.value.provider.definition.api.errorBody;
    const failed = bodyError(spec, parseJson(res.value.body));
    if (failed === undefined) return 'healthy';
    // Another failure (a missing scope, a rate limit in the body) says nothing certain about the grant.
    if (!spec?.credentialErrors.includes(failed)) return 'inconclusive';
    return this.#refused(row, loaded.value, failed);
  }

  /**
   * The provider refused the credential in a 2xx body, which is what a 401 says. As for a 401: an OAuth
   * grant with a refresh token gets one refresh, and only `invalid_grant` on it revokes. A credential
   * that cannot be refreshed (a static key, a Slack token without rotation) is the whole grant: the
   * provider's explicit refusal of it ends the connection (REVOKED, `connection.revoked`), as a failed
   * refresh would; the user must reconnect.
   */
  async #refused(row: ConnectedAccount, loaded: LoadedAuthConfig, message: string): Promise<ProbeResult> {
    const creds = row.credentialsCt
      ? await openCredentials(this.c.vault, row.projectId, row.id, row.credentialsCt)
      : undefined;
    if (!creds?.ok) return 'inconclusive';
    if (isOAuth(creds.value) && creds.value.refreshToken) {
      const refreshed = await this.c.tokens.refresh(row, loaded.provider, loaded.client, 'rejected');
      return !refreshed.ok && refreshed.error.code === 'account_revoked' ? 'revoked' : 'inconclusive';
    }
    const reason = `${loaded.provider.definition.displayName} refused the credential (${message})`;
    const revoked = await this.c.db.transaction((tx) => this.c.transitions.markRevoked(tx, row, reason));
    if (revoked)
      this.c.log.warn(
        { account_id: row.id, project_id: row.projectId, reason },
        'health probe: account revoked',
      );
    return 'revoked';
  }

  async #run(): Promise<void> {
    const pause = 60_000 / this.settings.probesPerMinute;
    while (this.#running) {
      try {
        await this.tick();
      } catch (err) {
        this.c.log.error({ err: (err as Error).message }, 'health probe failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
