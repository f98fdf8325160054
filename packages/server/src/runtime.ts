import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { builtInTaskMappings, loadBuiltInToolkits, type TaskMapping } from '@gatehouse/catalog';
import { AccountCache, AccountChanges } from './accounts/account-cache.js';
import { LastUsed } from './accounts/last-used.js';
import { AccountService } from './accounts/service.js';
import { AccountStore } from './accounts/store.js';
import { AccountTransitions } from './accounts/transitions.js';
import { AgentRegistry } from './agents/agents.js';
import { ApprovalStore } from './approvals/approval-store.js';
import { Approvals } from './approvals/approvals.js';
import { ApprovalDecisions } from './approvals/decision-binding.js';
import { AuditLog } from './audit/audit-log.js';
import { AuthConfigService } from './auth-configs/service.js';
import { AuthConfigStore } from './auth-configs/store.js';
import { SigningKeys } from './authserver/signing-keys.js';
import { ToolDiscovery } from './broker/discovery.js';
import { type ExecuteOutcome, execute } from './broker/execute.js';
import { IdempotencyStore } from './broker/idempotency.js';
import { type ProxyDeps, proxy } from './broker/proxy.js';
import { ProxySettingsStore } from './broker/proxy-settings.js';
import type { Outcome } from './broker/runner.js';
import type { ExecuteRequest, ProxyRequest, ProxyResponse } from './broker/types.js';
import { CustomToolkitStore } from './catalog/custom-toolkit-store.js';
import { CustomToolkits } from './catalog/custom-toolkits.js';
import { createToolCatalog, type ToolCatalog, type VersionSource } from './catalog/tool-catalog.js';
import { ToolkitPinStore } from './catalog/toolkit-pin-store.js';
import { ToolkitPins } from './catalog/toolkit-pins.js';
import type { Config } from './config/config.js';
import { adminTokenFor, masterKeySource } from './config/dev-secrets.js';
import { ConnectSettingsStore } from './connect/connect-settings.js';
import { CredentialConnections } from './connect/credentials/connect-credentials.js';
import { HostedEntry } from './connect/credentials/hosted-entry.js';
import { HostedFlow } from './connect/hosted-flow.js';
import { LinkStore } from './connect/link-store.js';
import { LinkVerification } from './connect/link-verification.js';
import { ConnectLinks } from './connect/links.js';
import { ConsoleOperators } from './console/operators.js';
import { SelfServiceLinks } from './console/self-service-links.js';
import { ConsoleSessions } from './console/sessions.js';
import { DelegationService } from './delegation/service.js';
import { EventLog } from './events/event-log.js';
import { WebhookDispatcher } from './events/webhook-dispatcher.js';
import { WebhookService } from './events/webhook-service.js';
import { WebhookStore } from './events/webhook-store.js';
import type { Counter } from './limits/counter.js';
import { Limits } from './limits/limits.js';
import { PostgresCounter } from './limits/pg-counter.js';
import { LimitSettingsStore } from './limits/settings.js';
import { createMcpServices, type McpServices } from './mcp/services.js';
import type { LookupFunction } from './outbound/address-policy.js';
import { Outbound } from './outbound/client.js';
import { PolicyEngine } from './policy/engine.js';
import { PolicyStore } from './policy/policy-store.js';
import { PolicyService } from './policy/service.js';
import { ApiKeyStore } from './projects/api-keys.js';
import { ProjectStore } from './projects/projects.js';
import { CustomProviderStore } from './providers/custom-store.js';
import { Readiness } from './shared/readiness.js';
import { type Db, openDatabase } from './store/db.js';
import { EmbeddedVacuum } from './store/embedded-vacuum.js';
import { GovernanceFeed } from './store/governance-feed.js';
import { migrate } from './store/migrate.js';
import type { PreparedPgdata } from './store/pgdata.js';
import { createLogger, type Logger } from './telemetry/logger.js';
import { Metrics } from './telemetry/metrics.js';
import { HealthProbe } from './tokens/health-probe.js';
import { LeaseStore } from './tokens/lease-store.js';
import { Refresher } from './tokens/refresher.js';
import { TokenService } from './tokens/token-service.js';
import { type Kms, LocalKms } from './vault/kms.js';
import { Vault } from './vault/vault.js';

/** Every long-lived service of one Gatehouse process, wired once and passed down explicitly. */
export interface Runtime {
  config: Config;
  log: Logger;
  metrics: Metrics;
  db: Db;
  kms: Kms;
  vault: Vault;
  projects: ProjectStore;
  apiKeys: ApiKeyStore;
  agents: AgentRegistry;
  /** RFC 8693 token exchange, agents' public keys, and exchanged tokens as credentials. */
  delegation: DelegationService;
  adminToken: string | undefined;
  /** Startup work still under way; `/readyz` is 503 until it is done. */
  readiness: Readiness;
  outbound: Outbound;
  customProviders: CustomProviderStore;
  authConfigStore: AuthConfigStore;
  authConfigs: AuthConfigService;
  accountStore: AccountStore;
  /** Connected accounts as this replica last read them, dropped on every change (accounts/README.md). */
  accountCache: AccountCache;
  /** This replica's LISTEN for governance changes: its caches drop what another replica changed. */
  governance: GovernanceFeed;
  /** `last_used_at`, noted in memory and written in batches. */
  lastUsed: LastUsed;
  accounts: AccountService;
  connectLinks: ConnectLinks;
  hostedFlow: HostedFlow;
  /** Connections made from an API key, password, bearer token or imported OAuth token. */
  credentialConnections: CredentialConnections;
  /** The hosted page where the end user types such a credential. */
  hostedEntry: HostedEntry;
  connectSettings: ConnectSettingsStore;
  linkVerification: LinkVerification;
  tokens: TokenService;
  audit: AuditLog;
  /** Built-in toolkits plus each project's custom toolkits: every tool lookup goes through it. */
  catalog: ToolCatalog;
  customToolkits: CustomToolkits;
  toolkitPins: ToolkitPins;
  tools: ToolDiscovery;
  policies: PolicyService;
  approvals: Approvals;
  /** Who may decide an approval on the hosted page, and the app's confirmation of its user. */
  approvalDecisions: ApprovalDecisions;
  limitSettings: LimitSettingsStore;
  limits: Limits;
  proxySettings: ProxySettingsStore;
  events: EventLog;
  webhooks: WebhookService;
  /** Background work of this replica: the refresher, the health probe, webhook delivery. */
  workers: {
    refresher: Refresher;
    healthProbe: HealthProbe;
    webhooks: WebhookDispatcher;
    /** Embedded only: PGlite has no autovacuum of its own (store/embedded-vacuum.ts). */
    embeddedVacuum: EmbeddedVacuum;
    start(): void;
    stop(): Promise<void>;
  };
  mcp: McpServices;
  /** Operator console sign-ins (console/). */
  consoleSessions: ConsoleSessions;
  /** Who may sign in to a project's console with single sign-on, and as which role. */
  consoleOperators: ConsoleOperators;
  /** Signed, user-bound links to the end user's own connections page. */
  selfService: SelfServiceLinks;
  broker: {
    execute(req: ExecuteRequest): Promise<ExecuteOutcome>;
    proxy(req: ProxyRequest): Promise<Outcome<ProxyResponse>>;
  };
  close(): Promise<void>;
}

export interface RuntimeOptions {
  log?: Logger;
  /** Use an already open database (tests share one PGlite per file). */
  db?: Db;
  kms?: Kms;
  metrics?: Metrics;
  /** Name resolution for outbound calls (tests play a DNS server that answers with loopback). */
  lookup?: LookupFunction;
  /** The embedded data directory, locked and being copied since the CLI started (see `cli/main.ts`). */
  pgdata?: PreparedPgdata;
  /** Startup work the caller holds before the server listens (see `cli/start.ts`). */
  readiness?: Readiness;
  /** How long the app has to confirm a held Connect Link (tests shorten it). */
  linkVerificationTtlMs?: number;
  /** Released versions of the shipped toolkits (default: the catalog's data; tests bring older ones). */
  toolkitVersions?: VersionSource;
  /** How each ticketing provider implements the unified tasks tools (default: the catalog's mappings). */
  taskMappings?: ReadonlyMap<string, TaskMapping>;
}

export type RuntimeResult = { ok: true; runtime: Runtime } | { ok: false; error: string };

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<RuntimeResult> {
  const log =
    options.log ??
    createLogger({
      level: config.logLevel,
      format: config.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    });
  let kms = options.kms;
  if (!kms) {
    const source = masterKeySource(config);
    if (!source.ok) return { ok: false, error: source.error };
    const keyring = LocalKms.fromSources(source);
    if (!keyring.ok) return { ok: false, error: keyring.error };
    kms = keyring.kms;
    if (source.masterKeyFile !== undefined && config.masterKeyFile === undefined) {
      log.warn(
        { file: source.masterKeyFile, generated: source.generated },
        'DEVELOPMENT MASTER KEY IN USE: the vault key lives in the data dir next to the data it protects. ' +
          'Set GATEHOUSE_MASTER_KEY or GATEHOUSE_MASTER_KEY_FILE for anything but local development.',
      );
    }
  }
  let db: Db;
  try {
    const opening = options.db
      ? Promise.resolve(options.db)
      : openDatabase(config, options.pgdata, (err) =>
          log.error(
            { err },
            'the embedded database stopped: every request that needs it fails and /readyz reports it; restart Gatehouse',
          ),
        );
    // While PGlite reads its files and compiles its WASM off the main thread, validate the shipped
    // toolkits (CPU on this thread, cached for createToolCatalog below). A broken toolkit file throws
    // there, as before.
    try {
      loadBuiltInToolkits({ sandbox: true });
    } catch {}
    db = await opening;
  } catch (err) {
    return { ok: false, error: `cannot open the database: ${(err as Error).message}` };
  }
  try {
    const { applied } = await migrate(db);
    if (applied.length > 0) log.info({ applied }, 'database migrations applied');
  } catch (err) {
    if (!options.db) await db.close().catch(() => {});
    return { ok: false, error: `cannot migrate the database: ${(err as Error).message}` };
  }
  let governance: GovernanceFeed;
  const governanceCaches = config.governanceCacheMs > 0 || config.apiKeyCacheMs > 0;
  try {
    governance = await GovernanceFeed.open(db, { enabled: governanceCaches });
  } catch (err) {
    if (!options.db) await db.close().catch(() => {});
    return { ok: false, error: `cannot listen for governance changes: ${(err as Error).message}` };
  }
  const vault = new Vault(db, kms);
  const outbound = new Outbound({
    allowPrivateAddresses: config.allowInternalProviders,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const customProviders = new CustomProviderStore(db);
  const customToolkitStore = new CustomToolkitStore(db);
  const toolkitPinStore = new ToolkitPinStore(db);
  const catalog = createToolCatalog({
    db,
    store: customToolkitStore,
    pins: toolkitPinStore,
    versions: options.toolkitVersions,
    sandbox: config.sandboxToolkits,
    cacheMs: config.governanceCacheMs,
    log,
    governance,
  });
  const authConfigStore = new AuthConfigStore(db);
  const authConfigs = new AuthConfigService(
    authConfigStore,
    vault,
    { custom: customProviders, allowInternalProviders: config.allowInternalProviders },
    db,
    // With every governance cache off there is no feed; the configs' own 5 s cache then stands alone.
    { feed: governanceCaches ? governance : undefined },
  );
  const accountChanges = new AccountChanges();
  const accountStore = new AccountStore(db, accountChanges);
  let accountCache: AccountCache;
  try {
    accountCache = await AccountCache.open(db, accountStore, accountChanges, {
      ttlMs: config.accountCacheMs,
    });
  } catch (err) {
    await governance.close();
    if (!options.db) await db.close().catch(() => {});
    return { ok: false, error: `cannot listen for account changes: ${(err as Error).message}` };
  }
  const lastUsed = new LastUsed(db.relaxed(), log);
  const links = new LinkStore(db);
  const metrics = options.metrics ?? new Metrics();
  const connectLinks = new ConnectLinks(
    links,
    authConfigs,
    accountStore,
    config.publicUrl,
    config.production,
    catalog,
  );
  const events = new EventLog(db);
  const transitions = new AccountTransitions(accountStore, events);
  const refreshContext = {
    db,
    vault,
    outbound,
    log,
    metrics,
    transitions,
    leases: new LeaseStore(db, accountChanges),
    lastUsed,
    authConfigs,
    replica: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    leaseTimeoutMs: config.refresher.leaseTimeoutMs,
    maxFailures: config.refresher.maxFailures,
  };
  const tokens = new TokenService(refreshContext);
  metrics.countWith(
    'accounts',
    cachedCounts(db, 'SELECT status, count(*) AS n FROM connected_accounts GROUP BY status'),
  );
  metrics.countWith(
    'approvals',
    cachedCounts(
      db,
      "SELECT 'pending' AS status, count(*) AS n FROM approvals WHERE status = 'pending' AND expires_at > now()",
    ),
  );
  metrics.countWith(
    'webhooks',
    cachedCounts(
      db,
      "SELECT status, count(*) AS n FROM webhook_deliveries WHERE status = 'pending' GROUP BY status",
    ),
  );
  const webhookStore = new WebhookStore(db);
  const webhooks = new WebhookService(webhookStore, vault, config.allowInternalProviders);
  const refresher = new Refresher(refreshContext, config.refresher);
  const healthProbe = new HealthProbe(
    { ...refreshContext, tokens, accounts: accountStore, retry: config.upstream },
    config.refresher,
  );
  const dispatcher = new WebhookDispatcher(
    { db, store: webhookStore, webhooks, events, outbound, log, metrics },
    { ...config.webhooks, allowInternal: config.allowInternalProviders },
  );
  const embeddedVacuum = new EmbeddedVacuum(db, (err) =>
    log.warn(
      { err: (err as Error).message },
      'embedded database maintenance (VACUUM/ANALYZE) failed; tried again in a minute',
    ),
  );
  const workers = {
    refresher,
    healthProbe,
    webhooks: dispatcher,
    embeddedVacuum,
    start() {
      lastUsed.start();
      if (config.refresher.enabled) refresher.start();
      if (config.refresher.healthProbeIdleSeconds > 0) healthProbe.start();
      dispatcher.start();
      embeddedVacuum.start();
    },
    stop: async () => {
      await Promise.all([
        refresher.stop(),
        healthProbe.stop(),
        dispatcher.stop(),
        lastUsed.stop(),
        embeddedVacuum.stop(),
      ]);
    },
  };
  const audit = new AuditLog(db, {
    syncCommit: config.auditSyncCommit,
    onShipError: (err, waiting) =>
      log.error(
        { err, waiting },
        'audit journal: a row could not be journaled (the call waited for its commit) or committed yet (retried)',
      ),
  });
  if (config.auditJournal) {
    try {
      const { journaled, torn } = await audit.useJournal(config.dataDir);
      if (journaled > 0 || torn > 0)
        log.warn(
          { journaled, torn },
          'committed the audit rows a previous process left in its journal (rows already stored are skipped)',
        );
    } catch (err) {
      await accountCache.close();
      await governance.close();
      if (!options.db) await db.close().catch(() => {});
      return { ok: false, error: `cannot open the audit journal: ${(err as Error).message}` };
    }
  }
  const policyStore = new PolicyStore(db, config.governanceCacheMs, governance);
  const policies = new PolicyService(policyStore, new PolicyEngine(policyStore), catalog);
  const approvals = new Approvals(new ApprovalStore(db), vault, audit, { db, events }, config.publicUrl);
  const limitSettings = new LimitSettingsStore(db, catalog, config.governanceCacheMs, governance);
  // ioredis is loaded only where Redis is configured.
  const counter: Counter = config.redisUrl
    ? new (await import('./limits/redis-counter.js')).RedisCounter(config.redisUrl)
    : new PostgresCounter(db);
  const limits = new Limits(limitSettings, counter);
  const mcp = createMcpServices({
    config,
    db,
    governance,
    vault,
    outbound,
    log,
    catalog,
    // Called per request, once the runtime is built (the delegation service reads MCP profiles).
    delegation: {
      claimsToBe: (token) => delegation.claimsToBe(token),
      verify: (token, audience, projectId) => delegation.verify(token, audience, projectId),
    },
  });
  const proxySettings = new ProxySettingsStore(db, config.governanceCacheMs, governance);
  const connectSettings = new ConnectSettingsStore(
    db,
    config.production,
    config.governanceCacheMs,
    governance,
  );
  const signingKeys = new SigningKeys(db, vault);
  const linkVerification = new LinkVerification({
    db,
    vault,
    links,
    accounts: accountStore,
    authConfigs,
    transitions,
    settings: connectSettings,
    signingKeys,
    issuer: config.publicUrl,
    ttlMs: options.linkVerificationTtlMs,
  });
  const approvalDecisions = new ApprovalDecisions({
    approvals,
    settings: connectSettings,
    signingKeys,
    logins: mcp.authServer.sessions,
    issuer: config.publicUrl,
    production: config.production,
  });
  const saveDeps = { db, vault, accounts: accountStore, links, transitions };
  const hostedFlow = new HostedFlow({
    ...saveDeps,
    outbound,
    retry: config.upstream,
    authConfigs,
    redirectUri: `${config.publicUrl}/oauth/callback`,
    logins: mcp.authServer.sessions,
    verification: linkVerification,
  });
  const credentialConnections = new CredentialConnections({
    ...saveDeps,
    outbound,
    retry: config.upstream,
    authConfigs,
  });
  const brokerDeps: ProxyDeps = {
    accounts: accountCache,
    authConfigs,
    connectLinks,
    tokens,
    outbound,
    retry: config.upstream,
    audit,
    idempotency: new IdempotencyStore(db, vault),
    log,
    metrics,
    policies: policies.engine,
    approvals,
    limits,
    proxySettings,
    catalog,
    taskMappings: options.taskMappings ?? builtInTaskMappings(),
  };
  const apiKeys = new ApiKeyStore(db, config.apiKeyCacheMs, governance);
  const delegation = new DelegationService({
    db,
    vault,
    outbound,
    apiKeys,
    mcpProfiles: mcp.profiles,
    publicUrl: config.publicUrl,
    cacheMs: config.governanceCacheMs,
    governance,
  });
  const runtime: Runtime = {
    config,
    log,
    metrics,
    db,
    kms,
    vault,
    projects: new ProjectStore(db, !config.production),
    apiKeys,
    agents: new AgentRegistry(db, apiKeys, mcp.userSessions),
    delegation,
    adminToken: adminTokenFor(config),
    readiness: options.readiness ?? new Readiness(),
    outbound,
    customProviders,
    authConfigStore,
    authConfigs,
    accountStore,
    accountCache,
    governance,
    lastUsed,
    accounts: new AccountService(accountStore, authConfigs, vault, outbound, log, events),
    connectLinks,
    hostedFlow,
    credentialConnections,
    hostedEntry: new HostedEntry({
      ...saveDeps,
      flow: hostedFlow,
      credentials: credentialConnections,
      authConfigs,
      verification: linkVerification,
    }),
    connectSettings,
    linkVerification,
    tokens,
    audit,
    catalog,
    customToolkits: new CustomToolkits(customToolkitStore, catalog, customProviders),
    toolkitPins: new ToolkitPins(toolkitPinStore, catalog),
    tools: new ToolDiscovery(accountStore, catalog),
    policies,
    approvals,
    approvalDecisions,
    limitSettings,
    limits,
    proxySettings,
    events,
    webhooks,
    workers,
    mcp,
    consoleSessions: new ConsoleSessions(db),
    consoleOperators: new ConsoleOperators(db),
    selfService: new SelfServiceLinks({ db, signingKeys, issuer: config.publicUrl }),
    broker: { execute: (req) => execute(req, brokerDeps), proxy: (req) => proxy(req, brokerDeps) },
    close: async () => {
      await workers.stop();
      await audit.close();
      await accountCache.close();
      await governance.close();
      await outbound.close();
      await counter.close();
      if (!options.db) await db.close();
    },
  };
  return { ok: true, runtime };
}

/** Accounts by status for the metrics gauge: one GROUP BY, reused for 10 s so scrapes stay cheap. */
/** A `status → count` query for a gauge, run at most every 10 s however often Prometheus scrapes. */
function cachedCounts(db: Db, sql: string): () => Promise<Record<string, number>> {
  let cached: { at: number; value: Promise<Record<string, number>> } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > 10_000) {
      const value = db
        .query<{ status: string; n: string }>(sql)
        .then(({ rows }) => Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])));
      cached = { at: Date.now(), value };
      value.catch(() => {
        cached = undefined;
      });
    }
    return cached.value;
  };
}
