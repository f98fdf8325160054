import { approvalsClient } from './approvals.js';
import { ConnectionFailedError } from './errors.js';
import { type ClientOptions, HttpClient } from './http.js';
import type { ProxyInput } from './tool-types.js';
import { auditApi, proxyRequest, toolsApi } from './tools.js';
import type {
  AccountStatus,
  AuthConfig,
  AuthConfigInput,
  ConnectedAccount,
  ConnectLink,
  Page,
} from './types.js';

export { type Approval, ApprovalNotGrantedError, type ApprovalStatus } from './approvals.js';
export { ConnectionFailedError, GatehouseApiError } from './errors.js';
export type { ClientOptions } from './http.js';
export type * from './tool-types.js';
export { isApprovalRequired, isAuthorizationRequired } from './tools.js';
export type * from './types.js';

export interface LinkInput {
  userId: string;
  authConfigId: string;
  scopes?: string[];
  label?: string;
  callbackUrl?: string;
  /** Reconnect or step up an existing account. */
  connectedAccountId?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Gatehouse client: `new Gatehouse({ baseUrl, apiKey })`. */
export class Gatehouse {
  protected readonly http: HttpClient;
  readonly approvals = approvalsClient(() => this.http);

  readonly authConfigs = {
    create: (input: AuthConfigInput) =>
      this.http.request<AuthConfig>('POST', '/v1/auth-configs', { body: input }),
    get: (id: string) => this.http.request<AuthConfig>('GET', `/v1/auth-configs/${encodeURIComponent(id)}`),
    list: (q: { providerId?: string; cursor?: string; limit?: number } = {}) =>
      this.http.request<Page<AuthConfig>>('GET', '/v1/auth-configs', { query: q }),
    update: (id: string, patch: Partial<Omit<AuthConfigInput, 'providerId'>>) =>
      this.http.request<AuthConfig>('PATCH', `/v1/auth-configs/${encodeURIComponent(id)}`, { body: patch }),
    delete: (id: string) => this.http.request<void>('DELETE', `/v1/auth-configs/${encodeURIComponent(id)}`),
  };

  readonly connectedAccounts = {
    /** Creates a Connect Link; send the user's browser to `redirectUrl`. */
    link: (input: LinkInput) =>
      this.http.request<ConnectLink & { redirectUrl: string }>('POST', '/v1/connect/links', { body: input }),
    getLink: (linkId: string) =>
      this.http.request<ConnectLink>('GET', `/v1/connect/links/${encodeURIComponent(linkId)}`),
    /**
     * User verification: call from your verifier page, with the `assertion` it received and the id
     * of the user signed in to your app there. Only a match saves the connection.
     */
    confirmLink: (linkId: string, input: { userId: string; assertion: string }) =>
      this.http.request<ConnectLink>('POST', `/v1/connect/links/${encodeURIComponent(linkId)}/confirm`, {
        body: input,
      }),
    /**
     * Resolves with the connected account once the link completes; rejects with
     * ConnectionFailedError when it fails, expires, or `timeoutMs` passes.
     */
    waitForConnection: async (
      linkId: string,
      options: { timeoutMs?: number; pollIntervalMs?: number } = {},
    ): Promise<ConnectedAccount> => {
      const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
      let interval = options.pollIntervalMs ?? 500;
      for (;;) {
        const link = await this.connectedAccounts.getLink(linkId);
        if (link.status === 'COMPLETED' && link.connectedAccountId)
          return this.connectedAccounts.get(link.connectedAccountId);
        if (link.status === 'FAILED') {
          throw new ConnectionFailedError(
            link.failure?.code ?? 'link_failed',
            link.failure?.message ?? 'the connection failed',
            linkId,
          );
        }
        if (link.status === 'EXPIRED')
          throw new ConnectionFailedError('link_expired', 'the connect link expired', linkId);
        if (Date.now() >= deadline)
          throw new ConnectionFailedError('timeout', 'timed out waiting for the connection', linkId);
        await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
        interval = Math.min(interval * 1.5, 3_000);
      }
    },
    list: (
      q: {
        userId?: string;
        authConfigId?: string;
        providerId?: string;
        status?: AccountStatus;
        cursor?: string;
        limit?: number;
      } = {},
    ) => this.http.request<Page<ConnectedAccount>>('GET', '/v1/connected-accounts', { query: q }),
    get: (id: string) =>
      this.http.request<ConnectedAccount>('GET', `/v1/connected-accounts/${encodeURIComponent(id)}`),
    delete: (id: string) =>
      this.http.request<{ id: string; deleted: true; revokedAtProvider: boolean }>(
        'DELETE',
        `/v1/connected-accounts/${encodeURIComponent(id)}`,
      ),
  };

  /** Discover tools (with each user's connection status) and execute them as a user. */
  readonly tools: ReturnType<typeof toolsApi>;

  /** Every tool call and proxied request: who, which agent, what, outcome. */
  readonly audit: ReturnType<typeof auditApi>;

  constructor(private readonly options: ClientOptions) {
    this.http = new HttpClient(options);
    this.tools = toolsApi(this.http);
    this.audit = auditApi(this.http);
  }

  /**
   * A raw request to the provider's API as a connected account; the path is relative to the
   * provider's base URL. Failures (unknown account, upstream unreachable) throw GatehouseApiError.
   */
  proxy(input: ProxyInput) {
    return proxyRequest(this.http, input);
  }

  /**
   * A client for the same project that names `agentId` as the acting agent: with an admin key, audit
   * and policy see that agent. An agent key acts only as its own agent (register agents and get their
   * keys with `POST /v1/agents`); a runtime key cannot name one.
   */
  withAgent(agentId: string): Gatehouse {
    return new Gatehouse({ ...this.options, agentId });
  }
}
export * from './webhooks.js';
