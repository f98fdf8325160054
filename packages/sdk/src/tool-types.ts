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
  /** Provider or toolkit ids, e.g. `['jira']` or `['atlassian']`. */
  providers?: string[];
  /** An intent in words ("open a ticket"): tools ranked by relevance, best first. */
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
  userAttributes?: Record<string, string | number | boolean | string[]>;
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
  userAttributes?: Record<string, string | number | boolean | string[]>;
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

/**
 * What became of a call. The first nine are the broker's (tool calls and proxied requests):
 * `success`, `error` (the upstream or the token failed), `rejected` (the request was refused before
 * any decision: a wrong account, a reused idempotency key), `idempotent_replay`, and the governance
 * answers `authorization_required`, `policy_denied`, `approval_required`, `rate_limited`,
 * `budget_exceeded`. `approval.decided` rows carry `approved` or `denied`.
 */
export type AuditOutcome =
  | 'success'
  | 'error'
  | 'rejected'
  | 'idempotent_replay'
  | 'authorization_required'
  | 'policy_denied'
  | 'approval_required'
  | 'rate_limited'
  | 'budget_exceeded'
  | 'approved'
  | 'denied';

/** A tool call, a proxied request, an approval decision, or a project admin's change (`admin.*`). */
export type AuditKind = 'tool.execute' | 'proxy.request' | 'approval.decided' | `admin.${string}`;

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

/** One audited action. Never holds a token; sensitive arguments are redacted. */
export interface AuditEvent {
  id: string;
  occurredAt: string;
  kind: AuditKind;
  executionId: string;
  userId: string | null;
  agentId: string | null;
  tool: string | null;
  provider: string | null;
  connectedAccountId: string | null;
  outcome: AuditOutcome;
  errorCode: string | null;
  upstreamStatus: number | null;
  latencyMs: number;
  attempts: number;
  traceId: string | null;
  detail: Record<string, unknown>;
  /** The row's place in the project's hash chain; null for rows older than the chain. */
  seq: number | null;
  /** Hex SHA-256 linking the row to its predecessor; null outside the chain. */
  hash: string | null;
}

/** `audit.verify()`: the project's hash chain recomputed from its rows. */
export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** Rows written before the chain existed, which no hash covers. */
  unchained: number;
  /** Publish the head elsewhere to pin everything up to it. */
  head: { seq: number; hash: string } | null;
  firstBroken?: { id: string | null; seq: number; reason: string };
}
