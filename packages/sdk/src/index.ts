import { authConfigsApi, connectedAccountsApi, connectLinksApi } from './accounts.js';
import { agentsApi, apiKeysApi } from './agents.js';
import { approvalsClient } from './approvals.js';
import { auditApi } from './audit.js';
import { limitsApi, policiesApi, usageApi } from './governance.js';
import { type ClientOptions, HttpClient } from './http.js';
import { mcpApi } from './mcp.js';
import { providersApi, settingsApi, toolkitsApi } from './settings.js';
import type { ProxyInput } from './tool-types.js';
import { proxyRequest, toolsApi } from './tools.js';
import { eventsApi, webhooksApi } from './webhook-endpoints.js';

export { type AdminClientOptions, GatehouseAdmin } from './admin.js';
export type * from './admin-types.js';
export {
  type Approval,
  type ApprovalDecidedBy,
  ApprovalNotGrantedError,
  type ApprovalQuery,
  type ApprovalStatus,
} from './approvals.js';
export { ERROR_STATUS } from './error-codes.js';
export {
  AuthenticationError,
  BadRequestError,
  type ClientErrorCode,
  ConflictError,
  ConnectionError,
  ConnectionFailedError,
  GatehouseApiError,
  type GatehouseErrorCode,
  GoneError,
  isGatehouseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  type ServerErrorCode,
} from './errors.js';
export type { ClientOptions } from './http.js';
export { collect, paginate } from './pagination.js';
export type { RetryOptions } from './retry.js';
export type * from './tool-types.js';
export { isApprovalRequired, isAuthorizationRequired } from './tools.js';
export type * from './types.js';
export * from './webhooks.js';

/**
 * The Gatehouse client: `new Gatehouse({ baseUrl, apiKey })`, or `new Gatehouse()` with
 * `GATEHOUSE_URL` and `GATEHOUSE_API_KEY` set. One property per REST resource.
 */
export class Gatehouse {
  protected readonly http: HttpClient;

  /** Connected accounts, and the Connect Links that create them. */
  readonly connectedAccounts: ReturnType<typeof connectedAccountsApi>;
  readonly connectLinks: ReturnType<typeof connectLinksApi>;
  /** The project's OAuth apps per provider. */
  readonly authConfigs: ReturnType<typeof authConfigsApi>;
  /** Discover tools (with each user's connection status) and execute them as a user. */
  readonly tools: ReturnType<typeof toolsApi>;
  /** Calls a policy held for a human's decision. */
  readonly approvals: ReturnType<typeof approvalsClient>;
  /** Every tool call, proxied request, approval and admin change: who, which agent, what, outcome. */
  readonly audit: ReturnType<typeof auditApi>;
  readonly agents: ReturnType<typeof agentsApi>;
  readonly apiKeys: ReturnType<typeof apiKeysApi>;
  readonly policies: ReturnType<typeof policiesApi>;
  readonly limits: ReturnType<typeof limitsApi>;
  /** Calls and cost units per user, agent or tool. */
  readonly usage: ReturnType<typeof usageApi>;
  readonly webhooks: ReturnType<typeof webhooksApi>;
  readonly events: ReturnType<typeof eventsApi>;
  readonly mcp: ReturnType<typeof mcpApi>;
  readonly settings: ReturnType<typeof settingsApi>;
  readonly toolkits: ReturnType<typeof toolkitsApi>;
  readonly providers: ReturnType<typeof providersApi>;

  constructor(options: ClientOptions = {}) {
    const http = new HttpClient(options);
    this.http = http;
    this.connectLinks = connectLinksApi(http);
    this.connectedAccounts = connectedAccountsApi(http, this.connectLinks);
    this.authConfigs = authConfigsApi(http);
    this.tools = toolsApi(http);
    this.approvals = approvalsClient(() => http);
    this.audit = auditApi(http);
    this.agents = agentsApi(http);
    this.apiKeys = apiKeysApi(http);
    this.policies = policiesApi(http);
    this.limits = limitsApi(http);
    this.usage = usageApi(http);
    this.webhooks = webhooksApi(http);
    this.events = eventsApi(http);
    this.mcp = mcpApi(http);
    this.settings = settingsApi(http);
    this.toolkits = toolkitsApi(http);
    this.providers = providersApi(http);
  }

  /** The Gatehouse this client talks to. */
  get baseUrl(): string {
    return this.http.baseUrl;
  }

  /**
   * A raw request to the provider's API as a connected account; the path is relative to the
   * provider's base URL. Failures (unknown account, upstream unreachable) throw GatehouseApiError.
   * With an `idempotencyKey`, transient failures are retried (the server replays the first answer).
   */
  proxy(input: ProxyInput) {
    return proxyRequest(this.http, input);
  }

  /**
   * A client for the same project that names `agentId` as the acting agent: with an admin key, audit
   * and policy see that agent. An agent key acts only as its own agent (register agents and get their
   * keys with `agents.create`); a runtime key cannot name one.
   */
  withAgent(agentId: string): Gatehouse {
    return new Gatehouse({ ...this.http.resolved, agentId });
  }
}
