/** Wire types of the project-management API: keys, agents, policies, limits, webhooks, MCP, settings. */

export type KeyRole = 'admin' | 'runtime';

/** An API key as listed: never the secret, which only creation returns (`key`). */
export interface ApiKey {
  id: string;
  name: string;
  role: KeyRole;
  /** The agent an agent key belongs to; null for project keys. */
  agentId: string | null;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Returned once, at creation: store `key` now, it is never shown again. */
export interface ApiKeyWithSecret extends ApiKey {
  key: string;
}

export interface Agent {
  id: string;
  name: string | null;
  description: string | null;
  createdAt: string;
  disabledAt: string | null;
}

export interface Project {
  id: string;
  name: string;
  createdAt: string;
}

export type PolicyMode = 'enforce' | 'shadow';

export interface PolicySet {
  name: string;
  mode?: PolicyMode;
  /** Cedar source. */
  policies: string;
}

/** Cedar types of end-user attributes: `String`, `Long`, `Boolean`, `decimal`, `datetime`, `Set<String>`, optionally with `?`. */
export type UserAttributeType = string;

export interface PolicyDocument {
  sets: PolicySet[];
  userAttributes?: Record<string, UserAttributeType>;
}

export interface PolicyVersion {
  /** 0 before any policies were written. */
  version: number;
  sets: Array<Required<PolicySet>>;
  userAttributes: Record<string, UserAttributeType>;
  createdBy: string | null;
  createdAt: string | null;
}

export interface PolicyIssue {
  set: string;
  policy: string | null;
  message: string;
  help: string | null;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type UserAttributeValue = string | number | boolean | string[];

/** A hypothetical call for `policies.test`. */
export interface PolicyTestRequest {
  userId: string;
  userAttributes?: Record<string, UserAttributeValue>;
  tool: string;
  arguments?: Record<string, unknown>;
  account?: { id?: string; authConfigId?: string; label?: string; subject?: string; scopes?: string[] };
  agentId?: string;
  time?: string;
  record?: Record<string, unknown>;
}

export type PolicyEffect = 'allow' | 'deny' | 'approval_required';

export interface PolicyTestResult {
  version: number | null;
  decision: PolicyEffect;
  policies: string[];
  errors: string[];
  shadow: Array<{ set: string; effect: PolicyEffect; policies: string[]; errors: string[] }>;
  record?: { kept: boolean; shadowDropped: string[] };
}

export interface RateLimitRule {
  per: 'user' | 'agent' | 'tool';
  limit: number;
  windowSeconds: number;
  /** Only these tool slugs; all tools when omitted. */
  tools?: string[];
}

export interface LimitsConfig {
  rateLimits?: RateLimitRule[];
  budgets?: { monthlyPerUser?: number; monthlyPerAgent?: number };
}

export interface Limits {
  rateLimits: RateLimitRule[];
  budgets: { monthlyPerUser?: number; monthlyPerAgent?: number };
  version: number;
  /** Where counters live: `memory` (one replica) or `redis`. */
  counters: string;
  updatedAt: string | null;
}

export type UsageGroup = 'user' | 'agent' | 'tool';

export interface Usage {
  groupBy: UsageGroup;
  since: string;
  budgetResetAt: string;
  /** One row per user, agent or tool (the key is `userId`, `agentId` or `tool`). */
  items: Array<{ userId?: string; agentId?: string; tool?: string; calls: number; costUnits: number }>;
  nextCursor: null;
}

export interface ProxySettings {
  enabled: boolean;
  /** What one proxied call costs in budgets. Default 1. */
  costUnits?: number;
}

export interface StoredProxySettings extends Required<ProxySettings> {
  version: number;
  updatedAt: string | null;
}

export interface ConnectSettings {
  /** Hold a finished Connect Link until the app at `verifierUrl` confirms its user is the link's user. */
  userVerification: { enabled: boolean; verifierUrl?: string };
}

export interface StoredConnectSettings extends ConnectSettings {
  version: number;
  updatedAt: string | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

/** Returned once, at creation: the signing secret for `verifyWebhook`. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
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
}

/** How end users sign in at an MCP server profile (secrets are write-only). */
export type McpLoginInput =
  | {
      type: 'oidc';
      issuer: string;
      clientId: string;
      clientSecret?: string;
      scopes?: string[];
      userClaim?: 'sub' | 'email' | 'preferred_username';
    }
  | { type: 'handoff'; loginUrl: string; secret?: string; publicJwk?: Record<string, unknown> }
  | { type: 'dev' };

export type McpLogin =
  | {
      type: 'oidc';
      issuer: string;
      clientId: string;
      scopes: string[];
      userClaim: 'sub' | 'email' | 'preferred_username';
      hasClientSecret: boolean;
      /** Register this redirect URI at the identity provider. */
      redirectUri: string;
    }
  | {
      type: 'handoff';
      loginUrl: string;
      key: 'secret' | 'jwk';
      publicJwk: Record<string, unknown> | null;
      audience: string;
      returnUrl: string;
    }
  | { type: 'dev' };

export interface McpServerInput {
  name: string;
  toolkits: string[];
  login: McpLoginInput;
  allowedOrigins?: string[];
}

export interface McpServer {
  id: string;
  name: string;
  /** The MCP endpoint to give MCP clients. */
  url: string;
  authorizationServer: string;
  toolkits: string[];
  login: McpLogin;
  allowedOrigins: string[];
  createdAt: string;
  updatedAt: string;
}

export interface McpSessionInput {
  userId: string;
  serverId?: string;
  toolkits?: string[];
  /** Seconds, 60 to 7 days; default 1 hour. */
  expiresIn?: number;
}

/** A per-user MCP URL, for MCP clients that cannot do OAuth. */
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

/** Returned once, at creation: the bearer credential the MCP client sends. */
export interface McpSessionWithCredential extends McpSession {
  credential: string;
}

export interface ToolkitSummary {
  id: string;
  displayName: string;
  description: string | null;
  provider: string;
  custom: boolean;
  /** The version the project uses (its pin, or the latest); a custom toolkit's content hash. */
  version: string;
  pinned: boolean;
  latestVersion: string;
  source: 'definition' | 'openapi' | null;
  /** How many tools. */
  tools: number;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ToolkitEntry {
  custom: boolean;
  version: string;
  pinned: boolean;
  latestVersion: string;
  source: 'definition' | 'openapi' | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** The toolkit in the catalog's schema (packages/catalog). */
  definition: Record<string, unknown> & { id: string; provider: string; tools: unknown[] };
}

/** A shipped toolkit's released versions, newest first, and which one the project uses. */
export interface ToolkitVersions {
  toolkitId: string;
  latestVersion: string;
  pinnedVersion: string | null;
  versions: Array<{ version: string; hash: string; latest: boolean; inUse: boolean }>;
}

export interface ToolkitPin {
  toolkitId: string;
  version: string;
  pinnedAt: string;
}

export interface ProviderSummary {
  id: string;
  displayName: string;
  description: string | null;
  categories: string[];
  authType: string;
  custom: boolean;
  defaultScopes: string[];
  scopes: unknown[];
  settings: unknown;
}

export interface ProviderEntry {
  custom: boolean;
  /** The provider in the catalog's schema (packages/catalog). */
  definition: Record<string, unknown> & { id: string };
  createdAt?: string;
  updatedAt?: string;
}
