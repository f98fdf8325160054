import { ACCOUNT_COLUMNS, type AccountRow, type AccountStore } from '../accounts/store.js';
import { apiBaseUrl } from '../providers/resolve.js';
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
 * `api.healthCheck` call. A 401 gets one refresh and one retry, as in execute; still 401 → REVOKED.
 */
export class HealthProbe {
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(
    private readonly c: RefreshContext & { tokens: TokenService; accounts: AccountStore },
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
    const { rows } = await this.c.db.query<AccountRow>(
      `UPDATE connected_accounts SET health_checked_at = now()
       WHERE (project_id, id) IN (
         SELECT project_id, id FROM connected_accounts
         WHERE status = 'ACTIVE' AND credentials_ct IS NOT NULL
           AND coalesce(last_used_at, created_at) < now() - make_interval(secs => $1)
           AND (health_checked_at IS NULL OR health_checked_at < now() - make_interval(secs => $1))
         ORDER BY health_checked_at NULLS FIRST LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING ${ACCOUNT_COLUMNS}`,
      [idle],
    );
    const row = rows[0];
    return row ? this.probe(row) : undefined;
  }

  async probe(row: AccountRow): Promise<ProbeResult> {
    const loaded = await this.c.authConfigs.load(row.project_id, row.auth_config_id);
    if (!loaded.ok) return 'inconclusive';
    const { provider, client } = loaded.value;
    const check = provider.definition.api.healthCheck;
    const base = apiBaseUrl(provider, row.connection_config);
    if (!check || !base.ok) return 'no_probe';
    const token = await this.c.tokens.accessToken(row, provider, client);
    if (!token.ok) return token.error.code === 'account_revoked' ? 'revoked' : 'inconclusive';
    const { name, prefix } = provider.definition.api.authHeader;
    const call = async (accessToken: string) =>
      this.c.outbound
        .fetchFor(provider.internal)(`${base.value}${check.path}`, {
          method: check.method,
          headers: {
            ...provider.definition.api.defaultHeaders,
            accept: 'application/json',
            [name]: `${prefix}${accessToken}`,
            ...(check.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(check.body === undefined ? {} : { body: JSON.stringify(check.body) }),
          signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        })
        .then(async (res) => {
          await res.body?.cancel();
          return res.status;
        })
        .catch(() => undefined);
    let status = await call(token.value.credentials.accessToken);
    if (status === 401) {
      const refreshed = await this.c.tokens.refresh(token.value.account, provider, client, 'rejected');
      if (!refreshed.ok) return refreshed.error.code === 'account_revoked' ? 'revoked' : 'inconclusive';
      status = await call(refreshed.value.credentials.accessToken);
      if (status === 401) {
        await this.c.tokens.markRevoked(
          refreshed.value.account,
          'the provider refused a freshly refreshed token (health check)',
        );
        return 'revoked';
      }
    }
    return status !== undefined && status < 400 ? 'healthy' : 'inconclusive';
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
