/** Wire types of tools, tool execution, the proxy and the audit log (dates are ISO strings). */

export type ToolRisk = 'read' | 'write' | 'destructive' | 'financial' | (string & {});

/** Whether the user can run a tool now, and if not, why. */
export type ToolConnectionStatus = 'connected' | 'missing_scopes' | 'inactive' | 'not_connected';

export interface ToolConnection {
  status: ToolConnectionStatus;
  /** The accounts that can run it (when connected), otherwise the user's accounts for the provider. */
  connectedAccountIds: string[];
  /** Scopes a step-up would add; empty when connected. */
  missingScopes: string[];
}

export interface Tool {
  slug: string;
  name: string;
  description: string;
  toolkit: string;
  provider: string;
  risk: ToolRisk;
  scopes: string[];
  /** JSON Schema of the tool's arguments. */
  inputSchema: Record<string, unknown>;
  /** Present when the tool was listed or retrieved for a user. */
  connection?: ToolConnection;
}

export interface ToolQuery {
  /** Adds `connection` to every tool: what this user can run now. */
  userId?: string;
  /** Toolkit ids, e.g. `['acme']`. */
  toolkits?: string[];
  /** Words that must all appear in the slug, name or description. */
  search?: string;
  /** Page size for `list` (1–200, server default 50). */
  limit?: number;
  /** `nextCursor` of the previous page, for `list`. */
  cursor?: string;
}

export interface ExecuteInput {
  userId: string;
  arguments?: Record<string, unknown>;
  /** Which of the user's accounts acts; needed when the user has several for the provider. */
  connectedAccountId?: string;
  /** Retries with the same key return the first outcome instead of acting twice. */
  idempotencyKey?: string;
  /** Attributes of the end user for the project's policies (declared with the policies). */
  userAttributes?: Record<string, unknown>;
  /** Runs a call a human approved (the `approvalId` of an `approval_required` error). */
  approvalId?: string;
  /**
   * Without `approvalId`: runs the call if the user already approved this exact call (same tool,
   * arguments and account) and that approval is unused; a pending one answers `approval_pending`.
   */
  adoptApprovedApproval?: boolean;
}

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

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface ProxyInput {
  connectedAccountId: string;
  method: HttpMethod;
  /** Relative to the provider's API base URL; cannot leave it. */
  path: string;
  query?: Record<string, string | string[]>;
  /** `authorization`, `cookie`, `host`, hop-by-hop and method-override headers are dropped by the server. */
  headers?: Record<string, string>;
  /** JSON-encoded unless it is a string. */
  body?: unknown;
  /** A repeat with the same key replays the stored response instead of calling the upstream again. */
  idempotencyKey?: string;
  /** Attributes of the end user for the project's policies (declared with the policies). */
  userAttributes?: Record<string, unknown>;
  /** Runs a request a human approved (the `approvalId` of an `approval_required` error). */
  approvalId?: string;
}

export interface ProxyResponse {
  status: number;
  /** The allow-listed response headers only. */
  headers: Record<string, string>;
  /** Parsed JSON, text, base64 (binary) or null, as `bodyEncoding` says. */
  body: unknown;
  bodyEncoding: 'json' | 'text' | 'base64' | 'none';
  executionId: string;
}

export interface AuditQuery {
  userId?: string;
  agentId?: string;
  /** A tool slug. */
  tool?: string;
  executionId?: string;
  /** `success`, `error`, `authorization_required`, `rejected`, `idempotent_replay`. */
  outcome?: string;
  since?: Date | string;
  until?: Date | string;
  cursor?: string;
  limit?: number;
}

/** One tool call or proxied request. Never holds a token; sensitive arguments are redacted. */
export interface AuditEvent {
  id: string;
  occurredAt: string;
  kind: 'tool.execute' | 'proxy.request';
  executionId: string;
  userId: string | null;
  agentId: string | null;
  tool: string | null;
  provider: string | null;
  connectedAccountId: string | null;
  outcome: string;
  errorCode: string | null;
  upstreamStatus: number | null;
  latencyMs: number;
  attempts: number;
  traceId: string | null;
  detail: Record<string, unknown>;
}
