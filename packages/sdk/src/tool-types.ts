/** Wire types of tools, tool execution, the proxy and the audit log (dates are ISO strings). */

import type { Api, Body, Query } from './wire.js';

export type Tool = Api.Tool;
export type ToolRisk = Tool['risk'];
/** Whether the user can run a tool now, and if not, why (present when listed for a user). */
export type ToolConnection = NonNullable<Tool['connection']>;
export type ToolConnectionStatus = ToolConnection['status'];

/** `tools.list` / `tools.iterate` options: the query of `GET /v1/tools`, with toolkit ids as an array. */
export type ToolQuery = Omit<Query<'listTools'>, 'toolkits' | 'provider'> & {
  /** Toolkit ids, e.g. `['acme']`. */
  toolkits?: string[];
  /** Provider or toolkit ids, e.g. `['jira']` or `['atlassian']`. */
  providers?: string[];
};

export type ExecuteInput = Body<'executeTool'>;

/** A call that waits for a human: relay `approvalUrl` to the user (see `isApprovalRequired`). */
export interface ApprovalRequired {
  approvalId: string;
  approvalUrl: string;
  expiresAt: string;
  policies: string[];
}

export interface ApprovalRequiredError extends ToolError {
  code: 'approval_required';
  details: ApprovalRequired & Record<string, unknown>;
}

/** Why the user must (re)connect, and the Connect Link that fixes it. */
export interface AuthorizationRequired {
  reason: 'no_account' | 'missing_scopes' | 'reconnect';
  provider: string;
  missingScopes: string[];
  connectedAccountId: string | null;
  connectLink: { id: string; redirectUrl: string; expiresAt: string };
}

/** A tool-level failure: the request was fine, the action did not happen. */
export interface ToolError {
  /** `authorization_required`, `upstream_error`, `upstream_rate_limited`, `upstream_timeout`, ... */
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface AuthorizationRequiredError extends ToolError {
  code: 'authorization_required';
  details: AuthorizationRequired & Record<string, unknown>;
}

export interface ToolSuccess<T = unknown> {
  successful: true;
  data: T;
  nextCursor: string | null;
  error: null;
  executionId: string;
}

export interface ToolFailure<E extends ToolError = ToolError> {
  successful: false;
  data: null;
  nextCursor: null;
  error: E;
  executionId: string;
}

/** What `tools.execute` resolves with: success or a tool-level failure (never thrown). */
export type ToolExecution<T = unknown> = ToolSuccess<T> | ToolFailure;

export type ProxyInput = Body<'proxyRequest'>;
export type HttpMethod = ProxyInput['method'];
export type ProxyResponse = Api.ProxyResponse;

/** One audited action. Never holds a token; sensitive arguments are redacted. */
export type AuditEvent = Api.AuditEvent;
/** What became of a call (`success`, `policy_denied`, …), or `approved`/`denied` for a decision. */
export type AuditOutcome = AuditEvent['outcome'];
/** A tool call, a proxied request, an approval decision, or a project admin's change (`admin.*`). */
export type AuditKind = AuditEvent['kind'];

export interface AuditFilter {
  userId?: string;
  agentId?: string;
  /** A tool slug. */
  tool?: string;
  executionId?: string;
  outcome?: AuditOutcome;
  since?: Date | string;
  until?: Date | string;
}

export interface AuditQuery extends AuditFilter {
  cursor?: string;
  limit?: number;
}

/** `audit.verify()`: the project's hash chain recomputed from its rows. */
export type AuditVerification = Api.AuditChainVerdict;
