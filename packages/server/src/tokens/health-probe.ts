import type { AccountStore, ConnectedAccount } from '../accounts/store.js';
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
    return res.value.status < 400 ? 'healthy' : 'inconclusive';
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
