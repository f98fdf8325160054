import type { BuiltInTool } from '@gatehouse/catalog';
import type { AccountRow } from '../accounts/store.js';
import type { AuthConfig } from '../auth-configs/store.js';
import type { ProjectPolicies } from '../policy/engine.js';
import type { DecisionInput } from '../policy/request.js';
import type { OAuthClient } from '../providers/oauth-client.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import type { Failure } from '../shared/result.js';
import type { UsableToken } from '../tokens/token-service.js';
import type { UpstreamResponse } from './upstream.js';

export interface ExecuteRequest {
  projectId: string;
  userId: string;
  agentId: string | null;
  traceId: string | null;
  slug: string;
  arguments: unknown;
  connectedAccountId?: string | undefined;
  idempotencyKey?: string | undefined;
  /** Attributes of the end user from the developer's app, for policies (declared in the project's policies). */
  userAttributes?: Record<string, unknown> | undefined;
  /** Runs a call a human approved (the id from an `approval_required` result). */
  approvalId?: string | undefined;
}

/** A tool call's outcome as the agent sees it. `error` is set exactly when `successful` is false. */
export interface ExecutionResult {
  successful: boolean;
  data: unknown;
  nextCursor: string | null;
  error: Failure | null;
  executionId: string;
}

/** Ends the pipeline. A `result` is a tool outcome (HTTP 200); a `rejection` is a bad request (4xx). */
export type Halt = { result: ExecutionResult } | { rejection: Failure };

/** What the steps learn as the call moves through the pipeline. */
export interface ExecutionContext {
  readonly request: ExecuteRequest;
  readonly executionId: string;
  readonly startedAt: number;
  tool?: BuiltInTool;
  args?: Record<string, unknown>;
  account?: AccountRow;
  auth?: { config: AuthConfig; provider: ResolvedProvider; client: OAuthClient };
  token?: UsableToken;
  upstream?: UpstreamResponse;
  /** The successful, shaped outcome before record filtering. */
  result?: ExecutionResult;
  /** The policies that decided this call and what they saw (record filtering reuses both). */
  policy?: { policies: ProjectPolicies; input: DecisionInput };
  /** An approval this call claimed: settled after the pipeline (used, or handed back). */
  approval?: { id: string };
  /** What governance steps add to the audit record (policy decision, approval, cost units). */
  notes: Record<string, unknown>;
  attempts: number;
  /** Every secret value this call touched, scrubbed from anything returned or recorded. */
  secrets: string[];
}

export const toolFailure = (ctx: ExecutionContext, error: Failure): Halt => ({
  result: { successful: false, data: null, nextCursor: null, error, executionId: ctx.executionId },
});

export const rejection = (code: string, message: string, details?: Record<string, unknown>): Halt => ({
  rejection: details === undefined ? { code, message } : { code, message, details },
});
