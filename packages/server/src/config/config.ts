import { resolve } from 'node:path';
import { z } from 'zod';
import type { TracingConfig } from '../telemetry/tracing.js';

/** The configuration contract (DESIGN.md): these variable names are relied on by operators and scripts. */
const envSchema = z.object({
  GATEHOUSE_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  GATEHOUSE_HOST: z.string().min(1).default('127.0.0.1'),
  GATEHOUSE_PUBLIC_URL: z.url().optional(),
  GATEHOUSE_DATABASE_URL: z.string().min(1).optional(),
  GATEHOUSE_DATA_DIR: z.string().min(1).default('./.gatehouse'),
  GATEHOUSE_MASTER_KEY: z.string().min(1).optional(),
  GATEHOUSE_MASTER_KEY_FILE: z.string().min(1).optional(),
  GATEHOUSE_ADMIN_TOKEN: z
    .string()
    .min(24, 'GATEHOUSE_ADMIN_TOKEN must be at least 24 characters')
    .optional(),
  GATEHOUSE_REDIS_URL: z.string().min(1).optional(),
  GATEHOUSE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GATEHOUSE_LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  GATEHOUSE_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  GATEHOUSE_ALLOW_INTERNAL_PROVIDERS: z.enum(['true', 'false']).optional(),
  GATEHOUSE_GOVERNANCE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  GATEHOUSE_API_KEY_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  GATEHOUSE_ACCOUNT_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  GATEHOUSE_AUDIT_SYNC_COMMIT: z.enum(['true', 'false']).default('false'),
  GATEHOUSE_AUDIT_JOURNAL: z.enum(['on', 'off', 'auto']).default('auto'),
  GATEHOUSE_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  GATEHOUSE_UPSTREAM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  GATEHOUSE_UPSTREAM_RETRY_BUDGET_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  GATEHOUSE_UPSTREAM_MAX_RESPONSE_BYTES: z.coerce.number().int().min(1024).default(10_485_760),
  GATEHOUSE_REFRESHER_ENABLED: z.enum(['true', 'false']).default('true'),
  GATEHOUSE_REFRESHER_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  GATEHOUSE_REFRESHER_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(50),
  GATEHOUSE_REFRESH_LEASE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  GATEHOUSE_REFRESH_MAX_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  GATEHOUSE_HEALTH_PROBE_IDLE_SECONDS: z.coerce.number().int().min(0).default(0),
  GATEHOUSE_HEALTH_PROBE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  GATEHOUSE_WEBHOOK_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(1_000),
  GATEHOUSE_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  GATEHOUSE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  GATEHOUSE_SANDBOX_TOOLKITS: z.enum(['true', 'false']).default('false'),
  // Operator console single sign-on (console/sso.ts): the operators' OpenID Connect identity provider.
  GATEHOUSE_CONSOLE_OIDC_ISSUER: z.url().optional(),
  GATEHOUSE_CONSOLE_OIDC_CLIENT_ID: z.string().min(1).max(256).optional(),
  GATEHOUSE_CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).max(4096).optional(),
  GATEHOUSE_CONSOLE_OIDC_USER_CLAIM: z.enum(['sub', 'email', 'preferred_username']).default('sub'),
  NODE_ENV: z.string().optional(),
  // OpenTelemetry's own variables: traces go to OTLP/HTTP when an endpoint is set (off otherwise).
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('gatehouse'),
});

export interface Config {
  port: number;
  host: string;
  /** Externally visible base URL without a trailing slash. */
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  masterKey: string | undefined;
  masterKeyFile: string | undefined;
  adminToken: string | undefined;
  redisUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['GATEHOUSE_LOG_LEVEL'];
  /** Unset: pretty when stdout is a terminal, JSON lines otherwise. */
  logFormat: 'json' | 'pretty' | undefined;
  bodyLimitBytes: number;
  /** Custom providers may use http and private/loopback addresses (default: outside production only). */
  allowInternalProviders: boolean;
  /** How the broker calls upstream APIs: per-attempt timeout, attempts, total wait budget, size cap. */
  upstream: { timeoutMs: number; maxAttempts: number; budgetMs: number; maxResponseBytes: number };
  /** Audit rows wait for the database's WAL flush (see Db.relaxed for the default's trade-off). */
  auditSyncCommit: boolean;
  /** Answer calls once their audit row is in the data directory's journal (audit/journal.ts). */
  auditJournal: boolean;
  /**
   * How long a replica may serve a project's policy version, settings, toolkits and MCP state from its
   * caches: the backstop only, since every change drops them through LISTEN/NOTIFY (migration 0031).
   */
  governanceCacheMs: number;
  /** Backstop lifetime of a verified API key; revocations reach every replica through LISTEN/NOTIFY. */
  apiKeyCacheMs: number;
  /**
   * How long a replica may serve a connected account from its cache: the backstop only, since every
   * change drops it at once through LISTEN/NOTIFY (accounts/README.md). 0 turns the cache off.
   */
  accountCacheMs: number;
  production: boolean;
  /**
   * The sandbox provider's toolkits (`acme`) are in the catalog: for a process that runs the sandbox
   * (`gatehouse start --sandbox`, tests, benchmarks). Never in production.
   */
  sandboxToolkits: boolean;
  /** The proactive refresher every replica runs (tokens/README.md). */
  refresher: {
    enabled: boolean;
    intervalMs: number;
    batchSize: number;
    leaseTimeoutMs: number;
    /** Consecutive failed refreshes past expiry before an account becomes EXPIRED. */
    maxFailures: number;
    /** Probe accounts unused for this long (0 = no probe), at most `probesPerMinute` per replica. */
    healthProbeIdleSeconds: number;
    probesPerMinute: number;
  };
  /** Webhook delivery: poll interval, attempts before giving up, per-attempt timeout. */
  webhooks: { intervalMs: number; maxAttempts: number; timeoutMs: number };
  /** OpenTelemetry traces (telemetry/tracing.ts); `endpoint` undefined means off. */
  tracing: TracingConfig;
  /** Single sign-on for console operators; undefined: only the admin token and API keys sign in. */
  consoleOidc:
    | {
        issuer: string;
        clientId: string;
        clientSecret: string | undefined;
        userClaim: 'sub' | 'email' | 'preferred_username';
      }
    | undefined;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const parsed = envSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.GATEHOUSE_SANDBOX_TOOLKITS === 'true')
    return {
      ok: false,
      errors: [
        'GATEHOUSE_SANDBOX_TOOLKITS: the sandbox toolkits are for development and tests, not production',
      ],
    };
  if (Boolean(e.GATEHOUSE_CONSOLE_OIDC_ISSUER) !== Boolean(e.GATEHOUSE_CONSOLE_OIDC_CLIENT_ID))
    return {
      ok: false,
      errors: ['GATEHOUSE_CONSOLE_OIDC_ISSUER and GATEHOUSE_CONSOLE_OIDC_CLIENT_ID go together'],
    };
  const publicUrl = (e.GATEHOUSE_PUBLIC_URL ?? `http://127.0.0.1:${e.GATEHOUSE_PORT}`).replace(/\/+$/, '');
  return {
    ok: true,
    config: {
      port: e.GATEHOUSE_PORT,
      host: e.GATEHOUSE_HOST,
      publicUrl,
      databaseUrl: e.GATEHOUSE_DATABASE_URL,
      dataDir: resolve(e.GATEHOUSE_DATA_DIR),
      masterKey: e.GATEHOUSE_MASTER_KEY,
      masterKeyFile: e.GATEHOUSE_MASTER_KEY_FILE,
      adminToken: e.GATEHOUSE_ADMIN_TOKEN,
      redisUrl: e.GATEHOUSE_REDIS_URL,
      logLevel: e.GATEHOUSE_LOG_LEVEL,
      logFormat: e.GATEHOUSE_LOG_FORMAT,
      bodyLimitBytes: e.GATEHOUSE_BODY_LIMIT_BYTES,
      allowInternalProviders: e.GATEHOUSE_ALLOW_INTERNAL_PROVIDERS
        ? e.GATEHOUSE_ALLOW_INTERNAL_PROVIDERS === 'true'
        : e.NODE_ENV !== 'production',
      upstream: {
        timeoutMs: e.GATEHOUSE_UPSTREAM_TIMEOUT_MS,
        maxAttempts: e.GATEHOUSE_UPSTREAM_MAX_ATTEMPTS,
        budgetMs: e.GATEHOUSE_UPSTREAM_RETRY_BUDGET_MS,
        maxResponseBytes: e.GATEHOUSE_UPSTREAM_MAX_RESPONSE_BYTES,
      },
      auditSyncCommit: e.GATEHOUSE_AUDIT_SYNC_COMMIT === 'true',
      // Embedded, the journal sits on the database's own disk, so it loses nothing PGlite would keep;
      // with PostgreSQL a replica's disk may not outlive it, so the operator opts in (audit/README.md).
      auditJournal:
        e.GATEHOUSE_AUDIT_JOURNAL === 'auto'
          ? e.GATEHOUSE_DATABASE_URL === undefined
          : e.GATEHOUSE_AUDIT_JOURNAL === 'on',
      governanceCacheMs: e.GATEHOUSE_GOVERNANCE_CACHE_MS,
      apiKeyCacheMs: e.GATEHOUSE_API_KEY_CACHE_MS,
      accountCacheMs: e.GATEHOUSE_ACCOUNT_CACHE_MS,
      production: e.NODE_ENV === 'production',
      sandboxToolkits: e.GATEHOUSE_SANDBOX_TOOLKITS === 'true',
      refresher: {
        enabled: e.GATEHOUSE_REFRESHER_ENABLED === 'true',
        intervalMs: e.GATEHOUSE_REFRESHER_INTERVAL_MS,
        batchSize: e.GATEHOUSE_REFRESHER_BATCH_SIZE,
        leaseTimeoutMs: e.GATEHOUSE_REFRESH_LEASE_TIMEOUT_MS,
        maxFailures: e.GATEHOUSE_REFRESH_MAX_FAILURES,
        healthProbeIdleSeconds: e.GATEHOUSE_HEALTH_PROBE_IDLE_SECONDS,
        probesPerMinute: e.GATEHOUSE_HEALTH_PROBE_PER_MINUTE,
      },
      tracing: {
        endpoint:
          e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
          (e.OTEL_EXPORTER_OTLP_ENDPOINT
            ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
            : undefined),
        serviceName: e.OTEL_SERVICE_NAME,
      },
      webhooks: {
        intervalMs: e.GATEHOUSE_WEBHOOK_INTERVAL_MS,
        maxAttempts: e.GATEHOUSE_WEBHOOK_MAX_ATTEMPTS,
        timeoutMs: e.GATEHOUSE_WEBHOOK_TIMEOUT_MS,
      },
      consoleOidc:
        e.GATEHOUSE_CONSOLE_OIDC_ISSUER && e.GATEHOUSE_CONSOLE_OIDC_CLIENT_ID
          ? {
              issuer: e.GATEHOUSE_CONSOLE_OIDC_ISSUER,
              clientId: e.GATEHOUSE_CONSOLE_OIDC_CLIENT_ID,
              clientSecret: e.GATEHOUSE_CONSOLE_OIDC_CLIENT_SECRET,
              userClaim: e.GATEHOUSE_CONSOLE_OIDC_USER_CLAIM,
            }
          : undefined,
    },
  };
}

function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) out[k] = v === '' ? undefined : v;
  return out;
}
