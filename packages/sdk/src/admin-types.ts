/**
 * Wire types of the project-management API: keys, agents, policies, limits, webhooks, MCP, settings.
 * They are the generated API types (`generated/api.ts`), named for the SDK.
 */
import type { Answer, Api, Body } from './wire.js';

/** An API key as listed: never the secret, which only creation returns (`key`). */
export type ApiKey = Api.ApiKey;
export type KeyRole = ApiKey['role'];
/** Returned once, at creation: store `key` now, it is never shown again. */
export type ApiKeyWithSecret = Api.NewApiKey;

export type Agent = Api.Agent;
export type Project = Api.Project;

/** What `policies.put` takes: named Cedar policy sets and the end-user attributes they read. */
export type PolicyDocument = Body<'putPolicies'>;
export type PolicySet = PolicyDocument['sets'][number];
export type PolicyMode = NonNullable<PolicySet['mode']>;
/** Cedar types of end-user attributes: `String`, `Long`, `Boolean`, `decimal`, `datetime`, `Set<String>`, optionally with `?`. */
export type UserAttributeType = string;
export type PolicyVersion = Api.PolicyVersion;

/** A validation error in a policy, at its line and column (the `details.issues` of `invalid_policy`). */
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
export type PolicyTestRequest = Body<'testPolicies'>['request'];
export type PolicyTestResult = Api.PolicyTestResult;
export type PolicyEffect = PolicyTestResult['decision'];

export type LimitsConfig = Body<'putLimits'>;
export type RateLimitRule = NonNullable<LimitsConfig['rateLimits']>[number];
export type Limits = Api.Limits;
export type UsageGroup = Api.Usage['groupBy'];
export type Usage = Api.Usage;

export type ProxySettings = Body<'putProxySettings'>;
export type StoredProxySettings = Api.ProxySettings;
export type ConnectSettings = Body<'putConnectSettings'>;
export type StoredConnectSettings = Api.ConnectSettings;

export type WebhookEndpoint = Api.Webhook;
/** Returned once, at creation: the signing secret for `verifyWebhook`. */
export type WebhookEndpointWithSecret = Answer<'createWebhook', '201'>;
export type WebhookDelivery = Api.WebhookDelivery;

export type McpServerInput = Body<'createMcpServer'>;
/** How end users sign in at an MCP server profile (secrets are write-only). */
export type McpLoginInput = McpServerInput['login'];
export type McpServer = Api.McpServer;
export type McpLogin = McpServer['login'];

export type McpSessionInput = Body<'createMcpSession'>;
/** A per-user MCP URL, for MCP clients that cannot do OAuth. */
export type McpSession = Api.McpSession;
/** Returned once, at creation: the bearer credential the MCP client sends. */
export type McpSessionWithCredential = Answer<'createMcpSession', '201'>;

export type ToolkitSummary = Api.ToolkitSummary;
export type ToolkitEntry = Api.Toolkit;
export type ProviderSummary = Api.ProviderSummary;
export type ProviderEntry = Api.Provider;
// Toolkit versions and pins (merge of feat/tk-versions into generated types): hand-written until generated.
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
