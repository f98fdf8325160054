/**
 * Types of the Gatehouse HTTP API, generated from the server's OpenAPI document (GET /openapi.json),
 * itself generated from the route table's zod schemas. Do not edit: run `npm run gen:sdk-types`.
 * A test fails when this file is stale (packages/server/test/openapi.test.ts).
 */

export interface GatehouseApi {
  schemas: Schemas;
  operations: Operations;
}
export interface Schemas {
  Agent: Agent;
  AgentPublicKey: AgentPublicKey;
  ApiKey: ApiKey;
  Approval: Approval;
  AuditChainVerdict: AuditChainVerdict;
  AuditEvent: AuditEvent;
  AuthConfig: AuthConfig;
  ConnectedAccount: ConnectedAccount;
  ConnectLink: ConnectLink;
  ConnectSettings: ConnectSettings;
  DelegationSettings: DelegationSettings;
  ErrorBody: ErrorBody;
  Event: Event;
  ExecutionResult: ExecutionResult;
  Failure: Failure;
  JsonRpcError: JsonRpcError;
  JwkSet: JwkSet;
  Limits: Limits;
  McpConsent: McpConsent;
  McpRegisteredClient: McpRegisteredClient;
  McpServer: McpServer;
  McpSession: McpSession;
  NewApiKey: NewApiKey;
  OAuthAuthorizationServerMetadata: OAuthAuthorizationServerMetadata;
  OAuthClientRegistration: OAuthClientRegistration;
  OAuthError: OAuthError;
  OAuthProtectedResourceMetadata: OAuthProtectedResourceMetadata;
  OAuthTokenResponse: OAuthTokenResponse;
  PolicyTestResult: PolicyTestResult;
  PolicyVersion: PolicyVersion;
  Project: Project;
  Provider: Provider;
  ProviderGuide: ProviderGuide;
  ProviderSummary: ProviderSummary;
  ProxyResponse: ProxyResponse;
  ProxySettings: ProxySettings;
  TokenExchangeResponse: TokenExchangeResponse;
  Tool: Tool;
  Toolkit: Toolkit;
  ToolkitPin: ToolkitPin;
  ToolkitSummary: ToolkitSummary;
  ToolkitVersions: ToolkitVersions;
  Usage: Usage;
  Webhook: Webhook;
  WebhookDelivery: WebhookDelivery;
}
/**
 * A registered agent: its calls carry its id into policies, limits and audit.
 */
export interface Agent {
  id: string;
  name: string | null;
  description: string | null;
  createdAt: string;
  disabledAt: string | null;
}
export interface AgentPublicKey {
  id: string;
  agentId: string;
  jwk: {
    [k: string]: unknown;
  } | null;
  jwksUri: string | null;
  createdAt: string;
  revokedAt: string | null;
}
/**
 * A project API key, never its secret.
 */
export interface ApiKey {
  id: string;
  name: string;
  role: 'admin' | 'runtime';
  agentId: string | null;
  /**
   * The first characters of the key, to recognise it
   */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
/**
 * A governed call waiting for (or past) a human decision.
 */
export interface Approval {
  id: string;
  status: 'pending' | 'approved' | 'denied' | 'executing' | 'executed' | 'expired';
  userId: string;
  agentId: string | null;
  tool: string;
  connectedAccountId: string;
  arguments: {
    [k: string]: unknown;
  };
  policies: string[];
  requiredLogin: string | null;
  decidedBy:
    | (
        | {
            kind: 'approval_link';
            userId: string;
          }
        | {
            kind: 'signed_in_user';
            userId: string;
            realm: string;
          }
        | {
            kind: 'verified_user';
            userId: string;
            apiKeyId: string;
          }
        | {
            kind: 'api_key';
            apiKeyId: string;
            approver: string | null;
          }
      )
    | null;
  decidedAt: string | null;
  executionId: string | null;
  executedAt: string | null;
  expiresAt: string;
  createdAt: string;
}
export interface AuditChainVerdict {
  ok: boolean;
  rows: number;
  unchained: number;
  head: {
    seq: number;
    hash: string;
  } | null;
  firstBroken?: {
    id: string | null;
    seq: number;
    reason: string;
  };
}
/**
 * One audited action. Never holds a token or a sensitive argument.
 */
export interface AuditEvent {
  id: string;
  occurredAt: string;
  kind: string;
  executionId: string;
  userId: string | null;
  agentId: string | null;
  tool: string | null;
  provider: string | null;
  connectedAccountId: string | null;
  outcome:
    | 'success'
    | 'idempotent_replay'
    | 'rejected'
    | 'error'
    | 'authorization_required'
    | 'policy_denied'
    | 'approval_required'
    | 'rate_limited'
    | 'budget_exceeded'
    | 'approved'
    | 'denied';
  errorCode: string | null;
  upstreamStatus: number | null;
  latencyMs: number;
  attempts: number;
  traceId: string | null;
  detail: {
    [k: string]: unknown;
  };
  /**
   * The RFC 8693 `act` chain of a call made with an exchanged token
   */
  delegation: {
    [k: string]: unknown;
  } | null;
  seq: number | null;
  hash: string | null;
}
/**
 * A project's OAuth app (or credentials) for one provider. Never the client secret.
 */
export interface AuthConfig {
  id: string;
  providerId: string;
  name: string;
  clientId: string | null;
  hasClientSecret: boolean;
  /**
   * Setting values, except sensitive ones (the provider marks them): those are write-only
   */
  settings: {
    [k: string]: string;
  };
  /**
   * Sensitive settings that hold a value (never returned, to any key). A PATCH that omits one keeps it; "" clears it
   */
  sensitiveSettings: string[];
  defaultScopes: string[] | null;
  allowedScopes: string[] | null;
  branding: {
    displayName?: string;
    logoUrl?: string;
    accentColor?: string;
  };
  createdAt: string;
  updatedAt: string;
}
/**
 * An end user's connected account: status, scopes and expiry, never a token.
 */
export interface ConnectedAccount {
  id: string;
  userId: string;
  groupId: string | null;
  owner: 'user' | 'group';
  authConfigId: string;
  providerId: string;
  label: string | null;
  status: 'INITIATED' | 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'FAILED';
  statusReason: string | null;
  scopes: string[];
  accessTokenExpiresAt: string | null;
  upstreamAccount: {
    id: string;
    displayName: string | null;
  } | null;
  lastRefreshedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
/**
 * A Connect Link: the hosted page an end user opens to connect an account.
 */
export interface ConnectLink {
  id: string;
  status: 'PENDING' | 'OPENED' | 'VERIFYING' | 'COMPLETED' | 'FAILED' | 'EXPIRED';
  userId: string;
  groupId: string | null;
  authConfigId: string;
  scopes: string[];
  label: string | null;
  callbackUrl: string | null;
  connectedAccountId: string | null;
  failure: {
    code: string;
    message: string;
  } | null;
  expiresAt: string;
  completedAt: string | null;
  createdAt: string;
}
export interface ConnectSettings {
  userVerification: {
    enabled: boolean;
    verifierUrl?: string;
  };
  version: number;
  updatedAt: string | null;
}
export interface DelegationSettings {
  tokenTtlSeconds: number;
  maxDepth: number;
  trustedIssuers: {
    issuer: string;
    jwksUri: string;
    audience: string;
    userIdClaim: string;
    scopes?: string[];
  }[];
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  apiAudience: string;
}
/**
 * The body of every error answer.
 */
export interface ErrorBody {
  error: Failure;
}
export interface Failure {
  /**
   * A stable code from the error table
   */
  code: string;
  message: string;
  details?: {
    [k: string]: unknown;
  };
}
/**
 * A connection or approval event: what webhooks deliver. Never a token.
 */
export interface Event {
  id: string;
  type:
    | 'connection.active'
    | 'connection.refreshed'
    | 'connection.expired'
    | 'connection.revoked'
    | 'connection.deleted'
    | 'approval.requested'
    | 'approval.decided';
  createdAt: string;
  data:
    | {
        connectedAccount: {
          id: string;
          userId: string;
          authConfigId: string;
          providerId: string;
          label: string | null;
          status: 'INITIATED' | 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'FAILED' | 'DELETED';
          statusReason: string | null;
          accessTokenExpiresAt: string | null;
        };
      }
    | {
        approval: {
          id: string;
          status: 'pending' | 'approved' | 'denied';
          userId: string;
          agentId: string | null;
          tool: string;
          connectedAccountId: string;
          policies: string[];
          decidedBy:
            | (
                | {
                    kind: 'approval_link';
                    userId: string;
                  }
                | {
                    kind: 'signed_in_user';
                    userId: string;
                    realm: string;
                  }
                | {
                    kind: 'verified_user';
                    userId: string;
                    apiKeyId: string;
                  }
                | {
                    kind: 'api_key';
                    apiKeyId: string;
                    approver: string | null;
                  }
              )
            | null;
          decidedAt: string | null;
          expiresAt: string;
          createdAt: string;
        };
      };
}
/**
 * A tool call as the agent sees it: governance refusals (authorization_required, approval_required, policy_denied, …) are results with `successful: false`, not HTTP errors.
 */
export interface ExecutionResult {
  successful: boolean;
  data: unknown;
  nextCursor: string | null;
  error: Failure | null;
  executionId: string;
}
export interface JsonRpcError {
  jsonrpc: '2.0';
  error: {
    code: number;
    message: string;
    data?: unknown;
  };
  id: null;
}
export interface JwkSet {
  keys: {
    [k: string]: unknown;
  }[];
}
export interface Limits {
  /**
   * @maxItems 50
   */
  rateLimits: {
    per: 'user' | 'agent' | 'tool';
    limit: number;
    windowSeconds: number;
    /**
     * @minItems 1
     * @maxItems 200
     */
    tools?: [string, ...string[]];
  }[];
  budgets: {
    monthlyPerUser?: number;
    monthlyPerAgent?: number;
  };
  version: number;
  counters: 'postgres' | 'redis';
  updatedAt: string | null;
}
/**
 * What one user approved for one MCP client.
 */
export interface McpConsent {
  userId: string;
  clientId: string;
  clientName: string | null;
  scopes: string[];
  /**
   * Grants (token families) not revoked
   */
  activeGrants: number;
  createdAt: string;
  updatedAt: string;
}
/**
 * A client registered (RFC 7591) at a server profile’s authorization server. Never its secret.
 */
export interface McpRegisteredClient {
  clientId: string;
  name: string | null;
  redirectUris: string[];
  tokenEndpointAuthMethod: string;
  /**
   * Grants of this client not revoked, all users
   */
  activeGrants: number;
  createdAt: string;
}
/**
 * An MCP server profile: an MCP URL with its own authorization server and toolkits.
 */
export interface McpServer {
  id: string;
  name: string;
  /**
   * The MCP endpoint to give MCP clients
   */
  url: string;
  authorizationServer: string;
  toolkits: string[];
  login:
    | {
        type: 'oidc';
        issuer: string;
        clientId: string;
        scopes: string[];
        userClaim: 'sub' | 'email' | 'preferred_username';
        hasClientSecret: boolean;
        /**
         * Register it at the identity provider
         */
        redirectUri: string;
      }
    | {
        type: 'handoff';
        loginUrl: string;
        key: 'secret' | 'jwk';
        publicJwk: {
          [k: string]: unknown;
        } | null;
        audience: string;
        returnUrl: string;
      }
    | {
        type: 'dev';
      };
  allowedOrigins: string[];
  toolMode: 'all' | 'search';
  createdAt: string;
  updatedAt: string;
}
/**
 * A per-user MCP URL, for MCP clients that cannot do OAuth.
 */
export interface McpSession {
  id: string;
  userId: string;
  serverId: string | null;
  toolkits: string[] | null;
  agentId: string | null;
  url: string;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
}
export interface NewApiKey {
  id: string;
  name: string;
  role: 'admin' | 'runtime';
  agentId: string | null;
  /**
   * The first characters of the key, to recognise it
   */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /**
   * The secret: shown once, store it now
   */
  key: string;
}
export interface OAuthAuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  response_types_supported: string[];
  [k: string]: unknown;
}
export interface OAuthClientRegistration {
  client_id: string;
  [k: string]: unknown;
}
export interface OAuthError {
  error: string;
  error_description?: string;
  [k: string]: unknown;
}
export interface OAuthProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  [k: string]: unknown;
}
export interface OAuthTokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  [k: string]: unknown;
}
export interface PolicyTestResult {
  /**
   * null when a draft was tested
   */
  version: number | null;
  decision: 'allow' | 'deny' | 'approval_required';
  policies: string[];
  errors: string[];
  shadow: {
    set: string;
    effect: 'allow' | 'deny' | 'approval_required';
    policies: string[];
    errors: string[];
  }[];
  record?: {
    kept: boolean;
    shadowDropped: string[];
  };
}
export interface PolicyVersion {
  /**
   * 0 before any policies were written
   */
  version: number;
  sets: {
    name: string;
    mode: 'enforce' | 'shadow';
    policies: string;
  }[];
  userAttributes: {
    [k: string]: string;
  };
  createdBy: string | null;
  createdAt: string | null;
}
export interface Project {
  id: string;
  name: string;
  createdAt: string;
}
export interface Provider {
  custom: boolean;
  /**
   * A provider definition (the catalog's provider schema)
   */
  definition: {
    [k: string]: unknown;
  };
  guide?: ProviderGuide;
  createdAt?: string;
  updatedAt?: string;
}
/**
 * How to set the provider up: where to register the app, the callback URL, the scopes per toolkit.
 */
export interface ProviderGuide {
  providerId: string;
  displayName: string;
  authType: string;
  consoleUrl: string | null;
  steps: string[];
  callbackUrl: string;
  defaultScopes: string[];
  toolkits: {
    id: string;
    displayName: string;
    tools: number;
    scopes: {
      name: string;
      description: string | null;
      tools: number;
    }[];
  }[];
  docsUrl: string | null;
  notes: string | null;
  markdown: string;
}
export interface ProviderSummary {
  id: string;
  displayName: string;
  description: string | null;
  categories: string[];
  authType: string;
  custom: boolean;
  defaultScopes: string[];
  scopes: {
    name: string;
    description: string;
  }[];
  settings: {
    [k: string]: {
      [k: string]: unknown;
    };
  };
}
/**
 * The upstream's answer, credentials scrubbed.
 */
export interface ProxyResponse {
  status: number;
  headers: {
    [k: string]: string;
  };
  body: unknown;
  bodyEncoding: 'json' | 'text' | 'base64' | 'none';
  executionId: string;
}
export interface ProxySettings {
  enabled: boolean;
  costUnits: number;
  version: number;
  updatedAt: string | null;
}
/**
 * RFC 8693 §2.2.1: a short-lived Gatehouse token naming the user (sub) and the agents (act).
 */
export interface TokenExchangeResponse {
  access_token: string;
  issued_token_type: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}
export interface Tool {
  slug: string;
  name: string;
  description: string;
  toolkit: string;
  provider: string;
  risk: string;
  scopes: string[];
  /**
   * JSON Schema of the tool's arguments
   */
  inputSchema: {
    [k: string]: unknown;
  };
  /**
   * With ?userId=: whether that user has a usable connection
   */
  connection?: {
    status: 'connected' | 'missing_scopes' | 'inactive' | 'not_connected';
    connectedAccountIds: string[];
    missingScopes: string[];
  };
}
export interface Toolkit {
  custom: boolean;
  /**
   * The version this project uses (a pin, or the latest)
   */
  version: string;
  pinned: boolean;
  latestVersion: string;
  source: ('definition' | 'openapi') | null;
  createdAt: string | null;
  updatedAt: string | null;
  /**
   * A toolkit definition (the catalog's toolkit schema)
   */
  definition: {
    [k: string]: unknown;
  };
}
export interface ToolkitPin {
  toolkitId: string;
  version: string;
  pinnedAt: string;
}
export interface ToolkitSummary {
  id: string;
  displayName: string;
  description: string | null;
  provider: string;
  custom: boolean;
  /**
   * The version this project uses
   */
  version: string;
  /**
   * Whether the project pinned this version
   */
  pinned: boolean;
  latestVersion: string;
  source: ('definition' | 'openapi') | null;
  /**
   * How many tools it has
   */
  tools: number;
  createdAt: string | null;
  updatedAt: string | null;
}
export interface ToolkitVersions {
  toolkitId: string;
  latestVersion: string;
  pinnedVersion: string | null;
  /**
   * Newest first
   */
  versions: {
    version: string;
    /**
     * sha256 of the tools' contracts (16 hex digits)
     */
    hash: string;
    latest: boolean;
    /**
     * The version this project uses
     */
    inUse: boolean;
  }[];
}
export interface Usage {
  groupBy: 'user' | 'agent' | 'tool';
  since: string;
  budgetResetAt: string;
  items: {
    userId?: string | null;
    agentId?: string | null;
    tool?: string | null;
    calls: number;
    costUnits: number;
  }[];
  nextCursor: null;
  minItems?: 0;
}
export interface Webhook {
  id: string;
  url: string;
  events: (
    | 'connection.active'
    | 'connection.refreshed'
    | 'connection.expired'
    | 'connection.revoked'
    | 'connection.deleted'
    | 'approval.requested'
    | 'approval.decided'
  )[];
  createdAt: string;
}
export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  /**
   * The delivery this one repeats (a redeliver); null for the first delivery
   */
  redeliveryOf: string | null;
}
export interface Operations {
  getHealth: {
    method: 'GET';
    path: '/healthz';
    responses: {
      '200': {
        status: 'ok';
      };
    };
  };
  getReadiness: {
    method: 'GET';
    path: '/readyz';
    responses: {
      '200': {
        status: 'ready';
        database: 'postgres' | 'pglite';
      };
      '503': ErrorBody;
    };
  };
  getMetrics: {
    method: 'GET';
    path: '/metrics';
    responses: {
      '200': string;
    };
  };
  createProject: {
    method: 'POST';
    path: '/v1/admin/projects';
    body: {
      name: string;
    };
    responses: {
      '201': {
        project: Project;
        apiKey: NewApiKey;
      };
    };
  };
  listProjects: {
    method: 'GET';
    path: '/v1/admin/projects';
    query?: {
      limit?: number;
      cursor?: string;
    };
    responses: {
      '200': {
        items: Project[];
        nextCursor: string | null;
      };
    };
  };
  createApiKey: {
    method: 'POST';
    path: '/v1/api-keys';
    body?: {
      name?: string;
      role?: 'admin' | 'runtime';
    };
    responses: {
      '201': NewApiKey;
    };
  };
  listApiKeys: {
    method: 'GET';
    path: '/v1/api-keys';
    query?: {
      limit?: number;
      cursor?: string;
    };
    responses: {
      '200': {
        items: ApiKey[];
        nextCursor: string | null;
      };
    };
  };
  revokeApiKey: {
    method: 'DELETE';
    path: '/v1/api-keys/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': ApiKey;
    };
  };
  registerAgent: {
    method: 'POST';
    path: '/v1/agents';
    body: {
      id: string;
      name?: string;
      description?: string;
    };
    responses: {
      '201': {
        id: string;
        name: string | null;
        description: string | null;
        createdAt: string;
        disabledAt: string | null;
        key: NewApiKey;
      };
    };
  };
  listAgents: {
    method: 'GET';
    path: '/v1/agents';
    query?: {
      limit?: number;
      cursor?: string;
    };
    responses: {
      '200': {
        items: Agent[];
        nextCursor: string | null;
      };
    };
  };
  getAgent: {
    method: 'GET';
    path: '/v1/agents/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': {
        id: string;
        name: string | null;
        description: string | null;
        createdAt: string;
        disabledAt: string | null;
        keys: ApiKey[];
      };
    };
  };
  deleteAgent: {
    method: 'DELETE';
    path: '/v1/agents/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': Agent;
    };
  };
  createAgentKey: {
    method: 'POST';
    path: '/v1/agents/{id}/keys';
    params: {
      id: string;
    };
    responses: {
      '201': NewApiKey;
    };
  };
  revokeAgentKey: {
    method: 'DELETE';
    path: '/v1/agents/{id}/keys/{keyId}';
    params: {
      id: string;
      keyId: string;
    };
    responses: {
      '200': ApiKey;
    };
  };
  getDelegationSettings: {
    method: 'GET';
    path: '/v1/settings/delegation';
    responses: {
      '200': DelegationSettings;
    };
  };
  putDelegationSettings: {
    method: 'PUT';
    path: '/v1/settings/delegation';
    body: {
      tokenTtlSeconds?: number;
      maxDepth?: number;
      /**
       * @maxItems 20
       */
      trustedIssuers?:
        | []
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ]
        | [
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
            {
              issuer: string;
              jwksUri: string;
              audience: string;
              userIdClaim?: string;
              /**
               * @maxItems 3
               */
              scopes?:
                | []
                | ['tools:read' | 'tools:write' | 'proxy']
                | ['tools:read' | 'tools:write' | 'proxy', 'tools:read' | 'tools:write' | 'proxy']
                | [
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                    'tools:read' | 'tools:write' | 'proxy',
                  ];
            },
          ];
    };
    responses: {
      '200': DelegationSettings;
    };
  };
  rotateDelegationKey: {
    method: 'POST';
    path: '/v1/settings/delegation/rotate-key';
    responses: {
      '200': JwkSet;
    };
  };
  getDelegationJwks: {
    method: 'GET';
    path: '/v1/projects/{projectId}/jwks.json';
    params: {
      projectId: string;
    };
    responses: {
      '200': JwkSet;
    };
  };
  listAgentPublicKeys: {
    method: 'GET';
    path: '/v1/agents/{id}/public-keys';
    params: {
      id: string;
    };
    responses: {
      '200': {
        items: AgentPublicKey[];
        nextCursor: string | null;
      };
    };
  };
  registerAgentPublicKey: {
    method: 'POST';
    path: '/v1/agents/{id}/public-keys';
    params: {
      id: string;
    };
    body:
      | {
          jwk: {
            [k: string]: string;
          };
        }
      | {
          jwksUri: string;
        };
    responses: {
      '201': AgentPublicKey;
    };
  };
  revokeAgentPublicKey: {
    method: 'DELETE';
    path: '/v1/agents/{id}/public-keys/{keyId}';
    params: {
      id: string;
      keyId: string;
    };
    responses: {
      '200': AgentPublicKey;
    };
  };
  listProviders: {
    method: 'GET';
    path: '/v1/providers';
    responses: {
      '200': {
        items: ProviderSummary[];
        nextCursor: string | null;
      };
    };
  };
  getProvider: {
    method: 'GET';
    path: '/v1/providers/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': Provider;
    };
  };
  putCustomProvider: {
    method: 'PUT';
    path: '/v1/providers/{id}';
    params: {
      id: string;
    };
    body: {
      [k: string]: unknown;
    };
    responses: {
      '200': Provider;
    };
  };
  deleteCustomProvider: {
    method: 'DELETE';
    path: '/v1/providers/{id}';
    params: {
      id: string;
    };
    responses: {
      '204': null;
    };
  };
  createAuthConfig: {
    method: 'POST';
    path: '/v1/auth-configs';
    body: {
      providerId: string;
      name?: string;
      clientId?: string;
      clientSecret?: string;
      settings?: {
        [k: string]: string;
      };
      defaultScopes?: string[] | null;
      allowedScopes?: string[] | null;
      branding?: {
        displayName?: string;
        logoUrl?: string;
        accentColor?: string;
      };
    };
    responses: {
      '201': AuthConfig;
    };
  };
  listAuthConfigs: {
    method: 'GET';
    path: '/v1/auth-configs';
    query?: {
      limit?: number;
      cursor?: string;
      providerId?: string;
    };
    responses: {
      '200': {
        items: AuthConfig[];
        nextCursor: string | null;
      };
    };
  };
  getAuthConfig: {
    method: 'GET';
    path: '/v1/auth-configs/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': AuthConfig;
    };
  };
  updateAuthConfig: {
    method: 'PATCH';
    path: '/v1/auth-configs/{id}';
    params: {
      id: string;
    };
    body: {
      name?: string;
      clientId?: string;
      clientSecret?: string;
      settings?: {
        [k: string]: string;
      };
      defaultScopes?: string[] | null;
      allowedScopes?: string[] | null;
      branding?: {
        displayName?: string;
        logoUrl?: string;
        accentColor?: string;
      };
    };
    responses: {
      '200': AuthConfig;
    };
  };
  deleteAuthConfig: {
    method: 'DELETE';
    path: '/v1/auth-configs/{id}';
    params: {
      id: string;
    };
    responses: {
      '204': null;
    };
  };
  createConnectLink: {
    method: 'POST';
    path: '/v1/connect/links';
    body: {
      userId: string;
      groupId?: string;
      authConfigId: string;
      /**
       * @maxItems 100
       */
      scopes?: string[];
      label?: string;
      callbackUrl?: string;
      connectedAccountId?: string;
      /**
       * @minItems 1
       * @maxItems 100
       */
      tools?: [string, ...string[]];
    };
    responses: {
      '201': {
        id: string;
        status: 'PENDING' | 'OPENED' | 'VERIFYING' | 'COMPLETED' | 'FAILED' | 'EXPIRED';
        userId: string;
        groupId: string | null;
        authConfigId: string;
        scopes: string[];
        label: string | null;
        callbackUrl: string | null;
        connectedAccountId: string | null;
        failure: {
          code: string;
          message: string;
        } | null;
        expiresAt: string;
        completedAt: string | null;
        createdAt: string;
        redirectUrl: string;
      };
    };
  };
  getConnectLink: {
    method: 'GET';
    path: '/v1/connect/links/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': ConnectLink;
    };
  };
  confirmConnectLink: {
    method: 'POST';
    path: '/v1/connect/links/{id}/confirm';
    params: {
      id: string;
    };
    body: {
      userId: string;
      assertion: string;
    };
    responses: {
      '200': ConnectLink;
    };
  };
  getConnectSettings: {
    method: 'GET';
    path: '/v1/settings/connect';
    responses: {
      '200': ConnectSettings;
    };
  };
  putConnectSettings: {
    method: 'PUT';
    path: '/v1/settings/connect';
    body: {
      userVerification: {
        enabled: boolean;
        verifierUrl?: string;
      };
    };
    responses: {
      '200': ConnectSettings;
    };
  };
  connectWithCredential: {
    method: 'POST';
    path: '/v1/connected-accounts';
    body: {
      userId: string;
      groupId?: string;
      authConfigId: string;
      label?: string;
      credentials:
        | {
            type: 'api_key';
            apiKey: string;
          }
        | {
            type: 'bearer';
            token: string;
          }
        | {
            type: 'basic';
            username: string;
            password?: string;
          }
        | {
            type: 'oauth2';
            accessToken: string;
            refreshToken?: string;
            expiresAt?: string;
            /**
             * @maxItems 200
             */
            scopes?: string[];
          };
    };
    responses: {
      '201': ConnectedAccount;
    };
  };
  listConnectedAccounts: {
    method: 'GET';
    path: '/v1/connected-accounts';
    query?: {
      limit?: number;
      cursor?: string;
      userId?: string;
      authConfigId?: string;
      providerId?: string;
      groupId?: string;
      status?: 'INITIATED' | 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'FAILED';
    };
    responses: {
      '200': {
        items: ConnectedAccount[];
        nextCursor: string | null;
      };
    };
  };
  getConnectedAccount: {
    method: 'GET';
    path: '/v1/connected-accounts/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': ConnectedAccount;
    };
  };
  deleteConnectedAccount: {
    method: 'DELETE';
    path: '/v1/connected-accounts/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': {
        id: string;
        deleted: true;
        revokedAtProvider: boolean;
      };
    };
  };
  listToolkits: {
    method: 'GET';
    path: '/v1/toolkits';
    responses: {
      '200': {
        items: ToolkitSummary[];
        nextCursor: string | null;
      };
    };
  };
  getToolkit: {
    method: 'GET';
    path: '/v1/toolkits/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': Toolkit;
    };
  };
  putToolkit: {
    method: 'PUT';
    path: '/v1/toolkits/{id}';
    params: {
      id: string;
    };
    body: {
      [k: string]: unknown;
    };
    responses: {
      '200': Toolkit;
    };
  };
  deleteToolkit: {
    method: 'DELETE';
    path: '/v1/toolkits/{id}';
    params: {
      id: string;
    };
    responses: {
      '204': null;
    };
  };
  listToolkitVersions: {
    method: 'GET';
    path: '/v1/toolkits/{id}/versions';
    params: {
      id: string;
    };
    responses: {
      '200': ToolkitVersions;
    };
  };
  getToolkitVersion: {
    method: 'GET';
    path: '/v1/toolkits/{id}/versions/{version}';
    params: {
      id: string;
      version: string;
    };
    responses: {
      /**
       * The toolkit definition at that version
       */
      '200': {
        [k: string]: unknown;
      };
    };
  };
  pinToolkitVersion: {
    method: 'PUT';
    path: '/v1/toolkits/{id}/pin';
    params: {
      id: string;
    };
    body: {
      version: string;
    };
    responses: {
      '200': ToolkitPin;
    };
  };
  unpinToolkitVersion: {
    method: 'DELETE';
    path: '/v1/toolkits/{id}/pin';
    params: {
      id: string;
    };
    responses: {
      '204': null;
    };
  };
  importToolkitFromOpenApi: {
    method: 'POST';
    path: '/v1/toolkits/import-openapi';
    body: {
      openapi: {
        [k: string]: unknown;
      };
      selection: {
        [k: string]: unknown;
      };
    };
    responses: {
      '200': Toolkit;
    };
  };
  listTools: {
    method: 'GET';
    path: '/v1/tools';
    query?: {
      limit?: number;
      cursor?: string;
      userId?: string;
      toolkits?: string;
      /**
       * Only tools of these providers, by provider id or toolkit id: jira, atlassian, gmail
       */
      provider?: string;
      search?: string;
    };
    responses: {
      '200': {
        items: Tool[];
        nextCursor: string | null;
      };
    };
  };
  getTool: {
    method: 'GET';
    path: '/v1/tools/{slug}';
    params: {
      slug: string;
    };
    query?: {
      userId?: string;
    };
    responses: {
      '200': Tool;
    };
  };
  executeTool: {
    method: 'POST';
    path: '/v1/tools/{slug}/execute';
    params: {
      slug: string;
    };
    body: {
      userId: string;
      groupId?: string;
      connectedAccountId?: string;
      arguments?: {
        [k: string]: unknown;
      };
      idempotencyKey?: string;
      userAttributes?: {
        [k: string]: string | number | boolean | string[];
      };
      approvalId?: string;
      adoptApprovedApproval?: boolean;
    };
    responses: {
      '200': ExecutionResult;
    };
  };
  proxyRequest: {
    method: 'POST';
    path: '/v1/proxy';
    body: {
      connectedAccountId: string;
      method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      path: string;
      query?: {
        [k: string]: string | string[];
      };
      headers?: {
        [k: string]: string;
      };
      body?: unknown;
      idempotencyKey?: string;
      userAttributes?: {
        [k: string]: string | number | boolean | string[];
      };
      approvalId?: string;
    };
    responses: {
      '200': ProxyResponse;
    };
  };
  getProxySettings: {
    method: 'GET';
    path: '/v1/settings/proxy';
    responses: {
      '200': ProxySettings;
    };
  };
  putProxySettings: {
    method: 'PUT';
    path: '/v1/settings/proxy';
    body: {
      enabled: boolean;
      costUnits?: number;
    };
    responses: {
      '200': ProxySettings;
    };
  };
  listAuditEvents: {
    method: 'GET';
    path: '/v1/audit';
    query?: {
      limit?: number;
      cursor?: string;
      userId?: string;
      agentId?: string;
      tool?: string;
      executionId?: string;
      outcome?: string;
      since?: string;
      until?: string;
    };
    responses: {
      '200': {
        items: AuditEvent[];
        nextCursor: string | null;
      };
    };
  };
  exportAuditEvents: {
    method: 'GET';
    path: '/v1/audit/export';
    query?: {
      format?: 'ndjson' | 'csv';
      userId?: string;
      agentId?: string;
      tool?: string;
      executionId?: string;
      outcome?: string;
      since?: string;
      until?: string;
    };
    responses: {
      '200': string;
    };
  };
  verifyAuditChain: {
    method: 'GET';
    path: '/v1/audit/verify';
    responses: {
      '200': AuditChainVerdict;
    };
  };
  getPolicies: {
    method: 'GET';
    path: '/v1/policies';
    responses: {
      '200': PolicyVersion;
    };
  };
  putPolicies: {
    method: 'PUT';
    path: '/v1/policies';
    body: {
      /**
       * @maxItems 20
       */
      sets:
        | []
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ]
        | [
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
            {
              name: string;
              mode?: 'enforce' | 'shadow';
              policies: string;
            },
          ];
      userAttributes?: {
        [k: string]: string;
      };
    };
    responses: {
      '200': {
        /**
         * 0 before any policies were written
         */
        version: number;
        sets: {
          name: string;
          mode: 'enforce' | 'shadow';
          policies: string;
        }[];
        userAttributes: {
          [k: string]: string;
        };
        createdBy: string | null;
        createdAt: string | null;
        warnings: {
          set: string;
          policy: string | null;
          message: string;
          help: string | null;
          line: number;
          column: number;
          endLine: number;
          endColumn: number;
        }[];
      };
    };
  };
  listPolicyVersions: {
    method: 'GET';
    path: '/v1/policies/versions';
    query?: {
      limit?: number;
      cursor?: string;
    };
    responses: {
      '200': {
        items: PolicyVersion[];
        nextCursor: string | null;
      };
    };
  };
  getPolicyVersion: {
    method: 'GET';
    path: '/v1/policies/versions/{version}';
    params: {
      version: number;
    };
    responses: {
      '200': PolicyVersion;
    };
  };
  getPolicySchema: {
    method: 'GET';
    path: '/v1/policies/schema';
    responses: {
      '200': string;
    };
  };
  testPolicies: {
    method: 'POST';
    path: '/v1/policies/test';
    body: {
      request: {
        userId: string;
        userAttributes?: {
          [k: string]: string | number | boolean | string[];
        };
        tool: string;
        arguments?: {
          [k: string]: unknown;
        };
        account?: {
          id?: string;
          authConfigId?: string;
          label?: string;
          subject?: string;
          /**
           * @maxItems 100
           */
          scopes?: string[];
          groupId?: string;
          authType?: 'oauth2' | 'api_key' | 'basic' | 'bearer';
        };
        groupId?: string;
        agentId?: string;
        /**
         * @minItems 1
         * @maxItems 8
         */
        delegation?:
          | [string]
          | [string, string]
          | [string, string, string]
          | [string, string, string, string]
          | [string, string, string, string, string]
          | [string, string, string, string, string, string]
          | [string, string, string, string, string, string, string]
          | [string, string, string, string, string, string, string, string];
        time?: string;
        record?: {
          [k: string]: unknown;
        };
      };
      policies?: {
        /**
         * @maxItems 20
         */
        sets:
          | []
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ]
          | [
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
              {
                name: string;
                mode?: 'enforce' | 'shadow';
                policies: string;
              },
            ];
        userAttributes?: {
          [k: string]: string;
        };
      };
    };
    responses: {
      '200': PolicyTestResult;
    };
  };
  listApprovals: {
    method: 'GET';
    path: '/v1/approvals';
    query?: {
      limit?: number;
      cursor?: string;
      userId?: string;
      status?: 'pending' | 'approved' | 'denied' | 'executing' | 'executed';
    };
    responses: {
      '200': {
        items: Approval[];
        nextCursor: string | null;
      };
    };
  };
  getApproval: {
    method: 'GET';
    path: '/v1/approvals/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': Approval;
    };
  };
  approveApproval: {
    method: 'POST';
    path: '/v1/approvals/{id}/approve';
    params: {
      id: string;
    };
    body?: {
      approver?: string;
    };
    responses: {
      '200': Approval;
    };
  };
  denyApproval: {
    method: 'POST';
    path: '/v1/approvals/{id}/deny';
    params: {
      id: string;
    };
    body?: {
      approver?: string;
    };
    responses: {
      '200': Approval;
    };
  };
  confirmApproval: {
    method: 'POST';
    path: '/v1/approvals/{id}/confirm';
    params: {
      id: string;
    };
    body: {
      userId: string;
      assertion: string;
    };
    responses: {
      '200': Approval;
    };
  };
  getLimits: {
    method: 'GET';
    path: '/v1/limits';
    responses: {
      '200': Limits;
    };
  };
  putLimits: {
    method: 'PUT';
    path: '/v1/limits';
    body: {
      /**
       * @maxItems 50
       */
      rateLimits?: {
        per: 'user' | 'agent' | 'tool';
        limit: number;
        windowSeconds: number;
        /**
         * @minItems 1
         * @maxItems 200
         */
        tools?: [string, ...string[]];
      }[];
      budgets?: {
        monthlyPerUser?: number;
        monthlyPerAgent?: number;
      };
    };
    responses: {
      '200': Limits;
    };
  };
  getUsage: {
    method: 'GET';
    path: '/v1/usage';
    query?: {
      groupBy?: 'user' | 'agent' | 'tool';
      since?: string;
    };
    responses: {
      '200': Usage;
    };
  };
  refreshConnectedAccount: {
    method: 'POST';
    path: '/v1/connected-accounts/{id}/refresh';
    params: {
      id: string;
    };
    responses: {
      '200': ConnectedAccount;
    };
  };
  createWebhook: {
    method: 'POST';
    path: '/v1/webhooks';
    body: {
      url: string;
      /**
       * @maxItems 7
       */
      events?:
        | []
        | [
            | 'connection.active'
            | 'connection.refreshed'
            | 'connection.expired'
            | 'connection.revoked'
            | 'connection.deleted'
            | 'approval.requested'
            | 'approval.decided',
          ]
        | [
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
          ]
        | [
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
          ]
        | [
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
          ]
        | [
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
          ]
        | [
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
          ]
        | [
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
            (
              | 'connection.active'
              | 'connection.refreshed'
              | 'connection.expired'
              | 'connection.revoked'
              | 'connection.deleted'
              | 'approval.requested'
              | 'approval.decided'
            ),
          ];
    };
    responses: {
      '201': {
        id: string;
        url: string;
        events: (
          | 'connection.active'
          | 'connection.refreshed'
          | 'connection.expired'
          | 'connection.revoked'
          | 'connection.deleted'
          | 'approval.requested'
          | 'approval.decided'
        )[];
        createdAt: string;
        /**
         * The signing secret: shown once
         */
        secret: string;
      };
    };
  };
  listWebhooks: {
    method: 'GET';
    path: '/v1/webhooks';
    query?: {
      limit?: number;
      cursor?: string;
    };
    responses: {
      '200': {
        items: Webhook[];
        nextCursor: string | null;
      };
    };
  };
  getWebhook: {
    method: 'GET';
    path: '/v1/webhooks/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': Webhook;
    };
  };
  deleteWebhook: {
    method: 'DELETE';
    path: '/v1/webhooks/{id}';
    params: {
      id: string;
    };
    responses: {
      '204': null;
    };
  };
  listWebhookDeliveries: {
    method: 'GET';
    path: '/v1/webhooks/{id}/deliveries';
    params: {
      id: string;
    };
    query?: {
      limit?: number;
      cursor?: string;
    };
    responses: {
      '200': {
        items: WebhookDelivery[];
        nextCursor: string | null;
      };
    };
  };
  redeliverWebhookDelivery: {
    method: 'POST';
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver';
    params: {
      id: string;
      deliveryId: string;
    };
    responses: {
      '202': WebhookDelivery;
    };
  };
  listEvents: {
    method: 'GET';
    path: '/v1/events';
    query?: {
      limit?: number;
      cursor?: string;
      type?:
        | 'connection.active'
        | 'connection.refreshed'
        | 'connection.expired'
        | 'connection.revoked'
        | 'connection.deleted'
        | 'approval.requested'
        | 'approval.decided';
      since?: string;
    };
    responses: {
      '200': {
        items: Event[];
        nextCursor: string | null;
      };
    };
  };
  createMcpServer: {
    method: 'POST';
    path: '/v1/mcp/servers';
    body: {
      name: string;
      /**
       * @minItems 1
       * @maxItems 50
       */
      toolkits: [string, ...string[]];
      toolMode?: 'all' | 'search';
      login:
        | {
            type: 'oidc';
            issuer: string;
            clientId: string;
            clientSecret?: string;
            /**
             * @maxItems 20
             */
            scopes?:
              | []
              | [string]
              | [string, string]
              | [string, string, string]
              | [string, string, string, string]
              | [string, string, string, string, string]
              | [string, string, string, string, string, string]
              | [string, string, string, string, string, string, string]
              | [string, string, string, string, string, string, string, string]
              | [string, string, string, string, string, string, string, string, string]
              | [string, string, string, string, string, string, string, string, string, string]
              | [string, string, string, string, string, string, string, string, string, string, string]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ];
            userClaim?: 'sub' | 'email' | 'preferred_username';
          }
        | {
            type: 'handoff';
            loginUrl: string;
            secret?: string;
            publicJwk?: {
              [k: string]: unknown;
            };
          }
        | {
            type: 'dev';
          };
      /**
       * @maxItems 20
       */
      allowedOrigins?:
        | []
        | [string]
        | [string, string]
        | [string, string, string]
        | [string, string, string, string]
        | [string, string, string, string, string]
        | [string, string, string, string, string, string]
        | [string, string, string, string, string, string, string]
        | [string, string, string, string, string, string, string, string]
        | [string, string, string, string, string, string, string, string, string]
        | [string, string, string, string, string, string, string, string, string, string]
        | [string, string, string, string, string, string, string, string, string, string, string]
        | [string, string, string, string, string, string, string, string, string, string, string, string]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ];
    };
    responses: {
      '201': McpServer;
    };
  };
  listMcpServers: {
    method: 'GET';
    path: '/v1/mcp/servers';
    query?: {
      limit?: number;
      cursor?: string;
    };
    responses: {
      '200': {
        items: McpServer[];
        nextCursor: string | null;
      };
    };
  };
  getMcpServer: {
    method: 'GET';
    path: '/v1/mcp/servers/{id}';
    params: {
      id: string;
    };
    responses: {
      '200': McpServer;
    };
  };
  updateMcpServer: {
    method: 'PATCH';
    path: '/v1/mcp/servers/{id}';
    params: {
      id: string;
    };
    body: {
      name?: string;
      /**
       * @minItems 1
       * @maxItems 50
       */
      toolkits?: [string, ...string[]];
      toolMode?: 'all' | 'search';
      login?:
        | {
            type: 'oidc';
            issuer: string;
            clientId: string;
            clientSecret?: string;
            /**
             * @maxItems 20
             */
            scopes?:
              | []
              | [string]
              | [string, string]
              | [string, string, string]
              | [string, string, string, string]
              | [string, string, string, string, string]
              | [string, string, string, string, string, string]
              | [string, string, string, string, string, string, string]
              | [string, string, string, string, string, string, string, string]
              | [string, string, string, string, string, string, string, string, string]
              | [string, string, string, string, string, string, string, string, string, string]
              | [string, string, string, string, string, string, string, string, string, string, string]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ]
              | [
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                  string,
                ];
            userClaim?: 'sub' | 'email' | 'preferred_username';
          }
        | {
            type: 'handoff';
            loginUrl: string;
            secret?: string;
            publicJwk?: {
              [k: string]: unknown;
            };
          }
        | {
            type: 'dev';
          };
      /**
       * @maxItems 20
       */
      allowedOrigins?:
        | []
        | [string]
        | [string, string]
        | [string, string, string]
        | [string, string, string, string]
        | [string, string, string, string, string]
        | [string, string, string, string, string, string]
        | [string, string, string, string, string, string, string]
        | [string, string, string, string, string, string, string, string]
        | [string, string, string, string, string, string, string, string, string]
        | [string, string, string, string, string, string, string, string, string, string]
        | [string, string, string, string, string, string, string, string, string, string, string]
        | [string, string, string, string, string, string, string, string, string, string, string, string]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ]
        | [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ];
    };
    responses: {
      '200': McpServer;
    };
  };
  deleteMcpServer: {
    method: 'DELETE';
    path: '/v1/mcp/servers/{id}';
    params: {
      id: string;
    };
    responses: {
      '204': null;
    };
  };
  listMcpClients: {
    method: 'GET';
    path: '/v1/mcp/servers/{id}/clients';
    params: {
      id: string;
    };
    responses: {
      '200': {
        items: McpRegisteredClient[];
      };
    };
  };
  revokeMcpClient: {
    method: 'DELETE';
    path: '/v1/mcp/servers/{id}/clients/{clientId}';
    params: {
      id: string;
      clientId: string;
    };
    responses: {
      '204': null;
    };
  };
  listMcpConsents: {
    method: 'GET';
    path: '/v1/mcp/servers/{id}/consents';
    params: {
      id: string;
    };
    query?: {
      userId?: string;
    };
    responses: {
      '200': {
        items: McpConsent[];
      };
    };
  };
  revokeMcpConsent: {
    method: 'DELETE';
    path: '/v1/mcp/servers/{id}/consents';
    params: {
      id: string;
    };
    query: {
      userId: string;
      clientId: string;
    };
    responses: {
      '204': null;
    };
  };
  createMcpSession: {
    method: 'POST';
    path: '/v1/mcp/sessions';
    body: {
      userId: string;
      serverId?: string;
      /**
       * @minItems 1
       * @maxItems 50
       */
      toolkits?: [string, ...string[]];
      expiresIn?: number;
    };
    responses: {
      '201': {
        id: string;
        userId: string;
        serverId: string | null;
        toolkits: string[] | null;
        agentId: string | null;
        url: string;
        expiresAt: string;
        revokedAt: string | null;
        createdAt: string;
        /**
         * Shown once
         */
        credential: string;
      };
    };
  };
  listMcpSessions: {
    method: 'GET';
    path: '/v1/mcp/sessions';
    query?: {
      limit?: number;
      cursor?: string;
      userId?: string;
    };
    responses: {
      '200': {
        items: McpSession[];
        nextCursor: string | null;
      };
    };
  };
  revokeMcpSession: {
    method: 'DELETE';
    path: '/v1/mcp/sessions/{id}';
    params: {
      id: string;
    };
    responses: {
      '204': null;
    };
  };
  getProtectedResourceMetadata: {
    method: 'GET';
    path: '/.well-known/oauth-protected-resource/mcp/{serverId}';
    params: {
      serverId: string;
    };
    responses: {
      '200': OAuthProtectedResourceMetadata;
      '404': OAuthError;
    };
  };
  getRootProtectedResourceMetadata: {
    method: 'GET';
    path: '/.well-known/oauth-protected-resource';
    responses: {
      '404': OAuthError;
    };
  };
  getAuthorizationServerMetadata: {
    method: 'GET';
    path: '/.well-known/oauth-authorization-server/as/{serverId}';
    params: {
      serverId: string;
    };
    responses: {
      '200': OAuthAuthorizationServerMetadata;
      '404': OAuthError;
    };
  };
  getAuthorizationServerMetadataAppended: {
    method: 'GET';
    path: '/as/{serverId}/.well-known/oauth-authorization-server';
    params: {
      serverId: string;
    };
    responses: {
      '200': OAuthAuthorizationServerMetadata;
      '404': OAuthError;
    };
  };
  postMcpEndpoint: {
    method: 'POST';
    path: '/mcp/{serverId}';
    params: {
      serverId: string;
    };
    responses: {
      '200': string;
      '202': null;
      '204': null;
      '400': JsonRpcError;
      '401': JsonRpcError;
      '403': JsonRpcError;
      '404': JsonRpcError;
      '405': JsonRpcError;
      '406': JsonRpcError;
      '413': JsonRpcError;
      '415': ErrorBody | JsonRpcError;
      '500': JsonRpcError;
    };
  };
  getMcpEndpoint: {
    method: 'GET';
    path: '/mcp/{serverId}';
    params: {
      serverId: string;
    };
    responses: {
      '200': string;
      '202': null;
      '204': null;
      '400': JsonRpcError;
      '401': JsonRpcError;
      '403': JsonRpcError;
      '404': JsonRpcError;
      '405': JsonRpcError;
      '406': JsonRpcError;
      '413': JsonRpcError;
      '415': ErrorBody | JsonRpcError;
      '500': JsonRpcError;
    };
  };
  deleteMcpEndpoint: {
    method: 'DELETE';
    path: '/mcp/{serverId}';
    params: {
      serverId: string;
    };
    responses: {
      '200': string;
      '202': null;
      '204': null;
      '400': JsonRpcError;
      '401': JsonRpcError;
      '403': JsonRpcError;
      '404': JsonRpcError;
      '405': JsonRpcError;
      '406': JsonRpcError;
      '413': JsonRpcError;
      '415': ErrorBody | JsonRpcError;
      '500': JsonRpcError;
    };
  };
  postMcpUserEndpoint: {
    method: 'POST';
    path: '/mcp/u/{sessionId}';
    params: {
      sessionId: string;
    };
    responses: {
      '200': string;
      '202': null;
      '204': null;
      '400': JsonRpcError;
      '401': JsonRpcError;
      '403': JsonRpcError;
      '404': JsonRpcError;
      '405': JsonRpcError;
      '406': JsonRpcError;
      '413': JsonRpcError;
      '415': ErrorBody | JsonRpcError;
      '500': JsonRpcError;
    };
  };
  getMcpUserEndpoint: {
    method: 'GET';
    path: '/mcp/u/{sessionId}';
    params: {
      sessionId: string;
    };
    responses: {
      '200': string;
      '202': null;
      '204': null;
      '400': JsonRpcError;
      '401': JsonRpcError;
      '403': JsonRpcError;
      '404': JsonRpcError;
      '405': JsonRpcError;
      '406': JsonRpcError;
      '413': JsonRpcError;
      '415': ErrorBody | JsonRpcError;
      '500': JsonRpcError;
    };
  };
  deleteMcpUserEndpoint: {
    method: 'DELETE';
    path: '/mcp/u/{sessionId}';
    params: {
      sessionId: string;
    };
    responses: {
      '200': string;
      '202': null;
      '204': null;
      '400': JsonRpcError;
      '401': JsonRpcError;
      '403': JsonRpcError;
      '404': JsonRpcError;
      '405': JsonRpcError;
      '406': JsonRpcError;
      '413': JsonRpcError;
      '415': ErrorBody | JsonRpcError;
      '500': JsonRpcError;
    };
  };
  createSelfServiceLink: {
    method: 'POST';
    path: '/v1/users/{userId}/self-service-links';
    params: {
      userId: string;
    };
    body?: {
      ttlSeconds?: number;
    };
    responses: {
      '201': {
        url: string;
        expiresAt: string;
      };
    };
  };
  getOpenApiDocument: {
    method: 'GET';
    path: '/openapi.json';
    responses: {
      /**
       * An OpenAPI 3.1 document
       */
      '200': {
        [k: string]: unknown;
      };
    };
  };
  getApiReference: {
    method: 'GET';
    path: '/docs';
    responses: {
      '200': string;
    };
  };
  getApiReferenceAsset: {
    method: 'GET';
    path: '/docs/{asset}';
    params: {
      asset: string;
    };
    responses: {
      '200': string;
    };
  };
  connectLinkPage: {
    method: 'GET';
    path: '/connect/{id}';
    params: {
      id: string;
    };
    query: {
      key: string;
    };
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '404': string;
    };
  };
  startConnectLink: {
    method: 'POST';
    path: '/connect/{id}/start';
    params: {
      id: string;
    };
    body: {
      key: string;
    };
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '404': string;
    };
  };
  submitConnectCredentials: {
    method: 'POST';
    path: '/connect/{id}/credentials';
    params: {
      id: string;
    };
    body: {
      key: string;
      csrf: string;
      apiKey?: string;
      token?: string;
      username?: string;
      password?: string;
    };
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '403': string;
      '404': string;
    };
  };
  oauthCallback: {
    method: 'GET';
    path: '/oauth/callback';
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '404': string;
    };
  };
  approvalPage: {
    method: 'GET';
    path: '/approvals/{id}';
    params: {
      id: string;
    };
    query: {
      key: string;
    };
    responses: {
      '200': string;
      '303': null;
      '403': string;
      '404': string;
      '503': string;
    };
  };
  decideApprovalPage: {
    method: 'POST';
    path: '/approvals/{id}/decision';
    params: {
      id: string;
    };
    body: {
      key: string;
      csrf: string;
      decision: 'approve' | 'deny';
    };
    responses: {
      '200': string;
      '303': null;
      '403': string;
      '404': string;
      '409': string;
      '503': string;
    };
  };
  oauthAuthorize: {
    method: 'GET';
    path: '/as/{serverId}/authorize';
    params: {
      serverId: string;
    };
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '404': string;
    };
  };
  oauthAuthorizeContinue: {
    method: 'GET';
    path: '/as/{serverId}/authorize/continue';
    params: {
      serverId: string;
    };
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '404': string;
    };
  };
  oauthConsent: {
    method: 'POST';
    path: '/as/{serverId}/consent';
    params: {
      serverId: string;
    };
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '404': string;
    };
  };
  oauthToken: {
    method: 'POST';
    path: '/as/{serverId}/token';
    params: {
      serverId: string;
    };
    responses: {
      '200': OAuthTokenResponse;
      '400': OAuthError;
      '401': OAuthError;
      '404': OAuthError;
      '429': OAuthError;
    };
  };
  oauthRevoke: {
    method: 'POST';
    path: '/as/{serverId}/revoke';
    params: {
      serverId: string;
    };
    responses: {
      '200': {};
      '400': OAuthError;
      '401': OAuthError;
      '404': OAuthError;
      '429': OAuthError;
    };
  };
  oauthRegisterClient: {
    method: 'POST';
    path: '/as/{serverId}/register';
    params: {
      serverId: string;
    };
    responses: {
      '201': OAuthClientRegistration;
      '400': OAuthError;
      '404': OAuthError;
      '429': OAuthError;
    };
  };
  mcpLoginPage: {
    method: 'GET';
    path: '/as/{serverId}/login';
    params: {
      serverId: string;
    };
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '401': string;
      '403': string;
      '404': string;
      '503': string;
    };
  };
  mcpDevLogin: {
    method: 'POST';
    path: '/as/{serverId}/login/dev';
    params: {
      serverId: string;
    };
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '401': string;
      '403': string;
      '404': string;
      '503': string;
    };
  };
  mcpOidcLoginCallback: {
    method: 'GET';
    path: '/as/{serverId}/login/oidc/callback';
    params: {
      serverId: string;
    };
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '401': string;
      '403': string;
      '404': string;
      '503': string;
    };
  };
  mcpHandoffLogin: {
    method: 'GET';
    path: '/as/{serverId}/login/handoff';
    params: {
      serverId: string;
    };
    responses: {
      '200': string;
      '303': null;
      '400': string;
      '401': string;
      '403': string;
      '404': string;
      '503': string;
    };
  };
  exchangeToken: {
    method: 'POST';
    path: '/v1/projects/{projectId}/token';
    params: {
      projectId: string;
    };
    responses: {
      '200': TokenExchangeResponse;
      '400': OAuthError;
      '401': OAuthError;
      '403': OAuthError;
      '404': OAuthError;
      '429': OAuthError;
      '502': OAuthError;
      '503': OAuthError;
    };
  };
  selfServicePage: {
    method: 'GET';
    path: '/my/connections';
    query?: {
      token?: string;
      notice?: 'revoked';
    };
    responses: {
      '200': string;
      '303': null;
      '401': string;
    };
  };
  selfServiceRevoke: {
    method: 'POST';
    path: '/my/connections/{id}/revoke';
    params: {
      id: string;
    };
    body: {
      csrf: string;
    };
    responses: {
      '200': string;
      '303': null;
      '401': string;
      '403': string;
      '404': string;
    };
  };
}

/** Every error code the server answers with, and its HTTP status (packages/server/src/shared/errors.ts). */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  invalid_path: 400,
  unauthorized: 401,
  invalid_api_key: 401,
  api_key_revoked: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  not_ready: 503,
  invalid_provider: 400,
  unsupported_provider: 400,
  provider_unavailable: 400,
  invalid_settings: 400,
  address_not_allowed: 400,
  invalid_toolkit: 400,
  invalid_openapi: 400,
  unknown_toolkit_version: 422,
  unknown_scope: 400,
  scope_not_allowed: 400,
  no_auth_config: 409,
  auth_config_unavailable: 409,
  link_not_found: 404,
  link_used: 410,
  link_expired: 410,
  link_failed: 409,
  state_unknown: 400,
  state_replayed: 400,
  state_mismatch: 400,
  browser_mismatch: 400,
  user_mismatch: 403,
  login_required: 401,
  invalid_callback: 400,
  provider_denied: 403,
  provider_error: 502,
  provider_unreachable: 502,
  provider_invalid_response: 502,
  token_exchange_failed: 502,
  connection_config_failed: 502,
  credential_rejected: 422,
  credential_check_failed: 502,
  credential_kind_mismatch: 400,
  account_missing: 404,
  account_mismatch: 409,
  account_inactive: 409,
  account_revoked: 409,
  token_expired: 409,
  token_refresh_failed: 502,
  secret_unreadable: 500,
  tool_not_found: 404,
  invalid_arguments: 400,
  account_provider_mismatch: 400,
  ambiguous_account: 409,
  no_connection: 409,
  unsupported_operation: 400,
  authorization_required: 403,
  idempotency_key_reused: 409,
  idempotency_in_progress: 409,
  proxy_disabled: 403,
  upstream_blocked: 403,
  upstream_error: 502,
  upstream_rate_limited: 429,
  upstream_unreachable: 502,
  upstream_response_too_large: 502,
  upstream_timeout: 504,
  invalid_policy: 400,
  policy_denied: 403,
  approval_required: 403,
  approval_not_found: 404,
  approval_pending: 409,
  approval_denied: 403,
  approval_used: 409,
  approval_mismatch: 409,
  approval_expired: 410,
  budget_exceeded: 429,
  limits_unavailable: 503,
  invalid_client: 401,
  invalid_grant: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_client_metadata: 400,
  invalid_redirect_uri: 400,
  invalid_scope: 400,
  invalid_target: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  login_failed: 401,
  login_unavailable: 503,
} as const;
