import type { ConnectedAccount } from '../accounts/store.js';
import type { AuthConfig } from '../auth-configs/store.js';
import type { ToolEntry } from '../catalog/tool-catalog.js';
import type { Chain } from '../delegation/chain.js';
import type { UpstreamResponse } from '../outbound/upstream-call.js';
import type { ProjectPolicies } from '../policy/engine.js';
import type { DecisionInput } from '../policy/request.js';
import type { OAuthClient } from '../providers/oauth-client.js';
import type { ProviderApi } from '../providers/provider-api.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import type { Failure } from '../shared/result.js';
import type { Scrubber } from './scrub.js';

/** A call made with an exchanged token (delegation/): verified before the call reaches a door. */
export interface DelegatedCall {
  /** The user the token names (`sub`): the call acts for them only. */
  userId: string;
  /** Agent ids, outermost (the acting agent, `agentId`) first. */
  chain: Chain;
  scopes: ReadonlySet<string>;
}

/** What every governed call carries, whichever door it came through. */
export interface GovernedRequest {
  projectId: string;
  agentId: string | null;
  /** Set when the credential was an exchanged token: policies see the chain, audit records it. */
  delegation?: DelegatedCall | undefined;
  traceId: string | null;
  /** The HTTP request's span (`x-request-id`, the span in `traceparent`): the parent of the call's trace spans. */
  spanId?: string | undefined;
  /** The caller's sampling decision (`traceparent` flags); true when Gatehouse started the trace. */
  sampled?: boolean | undefined;
  idempotencyKey?: string | undefined;
  /** Attributes of the end user from the developer's app, for policies (declared in the project's policies). */
  userAttributes?: Record<string, unknown> | undefined;
  /** Runs a call a human approved (the id from an `approval_required` answer). */
  approvalId?: string | undefined;
  /**
   * Without `approvalId`, runs the call if the user already approved this exact call (same tool,
   * arguments and account) and the approval is unused; a still-pending one answers `approval_pending`.
   * For doors that cannot carry an approval id (MCP).
   */
  adoptApprovedApproval?: boolean | undefined;
  /**
   * The login realm (MCP server profile) where the caller's user is signed in. An approval this call
   * asks for is then decided only in a browser signed in there as that user.
   */
  loginRealm?: string | undefined;
  /** Filled by the runner when it records the call, for the HTTP access log line (`http/app.ts`). */
  callLog?: CallLog | undefined;
}

/** Who did what, for the access log: ids Gatehouse validated or minted, never arguments or answers. */
export interface CallLog {
  executionId?: string;
  userId?: string | null;
  agentId?: string | null;
  tool?: string | null;
  outcome?: string;
  /** Time the call waited on the provider's API (`ProviderApi.upstreamMs`); absent when it was never called. */
  upstreamMs?: number;
}

export interface ExecuteRequest extends GovernedRequest {
  userId: string;
  /** The group (team, workspace) the user acts for: its organisation-owned connections may be used. */
  groupId?: string | undefined;
  slug: string;
  arguments: unknown;
  connectedAccountId?: string | undefined;
}

export const PROXY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ProxyMethod = (typeof PROXY_METHODS)[number];

export interface ProxyRequest extends GovernedRequest {
  connectedAccountId: string;
  method: ProxyMethod;
  path: string;
  query?: Record<string, string | string[]> | undefined;
  headers?: Record<string, string> | undefined;
  body?: unknown;
}

/** A tool call's outcome as the agent sees it. `error` is set exactly when `successful` is false. */
export interface ExecutionResult {
  successful: boolean;
  data: unknown;
  nextCursor: string | null;
  error: Failure | null;
  executionId: string;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  bodyEncoding: 'json' | 'text' | 'base64' | 'none';
  executionId: string;
}

/**
 * Ends a governed call. `done`: the output is in the context. `refusal`: governance or the upstream
 * said no (execute answers it as a tool result, proxy as an HTTP error). `rejection`: a bad request (4xx).
 */
export type Halt = { done: true } | { refusal: Failure } | { rejection: Failure };

/** A governed action and its arguments, as policies see them. */
export interface GovernedAction {
  tool: ToolEntry;
  args: Record<string, unknown>;
  /** A unified tasks action: decided on a `Gatehouse::Task` resource (see policy/request.ts). */
  task?: DecisionInput['task'];
}

/** What the steps learn as a call moves through a door's pipeline. */
export interface CallContext<R extends GovernedRequest = GovernedRequest> {
  readonly request: R;
  readonly executionId: string;
  readonly startedAt: number;
  /** The end user: from the request (execute) or the connected account (proxy). */
  userId?: string;
  /** The group the request acts for (execute), or that owns the proxied account (proxy). */
  groupId?: string;
  /** The governed action: a catalog tool, or `proxy:<METHOD>`. */
  tool?: ToolEntry;
  args?: Record<string, unknown>;
  /** What a human approves and an approval is bound to, when it is more than `args` (a proxied body). */
  approvalArguments?: Record<string, unknown>;
  /** Further actions the same call is decided as (a proxied request that does what a catalog tool does). */
  alsoGovernedAs?: GovernedAction[];
  /** Catalog tools this request is the call of, whose arguments its (non-JSON) body hides. */
  unreadableFor?: string[];
  account?: ConnectedAccount;
  auth?: { config: AuthConfig; provider: ResolvedProvider; client: OAuthClient };
  api?: ProviderApi;
  upstream?: UpstreamResponse;
  /** The policies that decided this call and what they saw (record filtering reuses both). */
  policy?: { policies: ProjectPolicies; input: DecisionInput };
  /** An approval this call claimed: settled after the pipeline (used, or handed back). */
  approval?: { id: string };
  /** An idempotency key this call claimed: completed or released after the pipeline. */
  idempotency?: { key: string };
  /** Set when an idempotency key replayed a stored answer (of that execution) instead of running. */
  replayed?: { executionId: string };
  /** Rate limits already counted this call (before an upstream read policies needed): budgets remain. */
  ratesCounted?: true;
  /** What governance steps add to the audit record (policy decision, approval, cost units). */
  notes: Record<string, unknown>;
  attempts: number;
  /** How the call ended, as audit and metrics name it (set when it is recorded). */
  outcome?: string;
  /** Every secret value this call touched, scrubbed from anything returned or recorded. */
  secrets: string[];
  /**
   * The scrubber the successful output was built with, every part scrubbed; the runner does not
   * walk it again while the call's secrets are still the ones it was built for.
   */
  outputScrubbedBy?: Scrubber;
}

export interface ExecutionContext extends CallContext<ExecuteRequest> {
  /** The upstream request the tool's HTTP mapping makes of the arguments. */
  outgoing?: { method: string; url: URL; headers: Record<string, string>; body: string | undefined };
  /** The successful, shaped outcome (record filtering narrows it). */
  result?: ExecutionResult;
}

export interface ProxyContext extends CallContext<ProxyRequest> {
  /** Budget units one proxied call costs (project setting). */
  costUnits?: number;
  target?: URL;
  /** The body as forwarded: a JSON string body is sent as policies read it (no duplicate keys). */
  forwardBody?: string | undefined;
  response?: ProxyResponse;
}

export const done: Halt = { done: true };

export const refusal = (error: Failure): Halt => ({ refusal: error });

export const rejection = (
  code: Failure['code'],
  message: string,
  details?: Record<string, unknown>,
): Halt => ({
  rejection: details === undefined ? { code, message } : { code, message, details },
});
