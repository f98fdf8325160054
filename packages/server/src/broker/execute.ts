import type { Failure } from '../shared/result.js';
import {
  claimIdempotencyKey,
  type Door,
  newContext,
  type Outcome,
  type RunnerDeps,
  runGoverned,
} from './runner.js';
import {
  acquireToken,
  buildUpstreamRequest,
  type CallDeps,
  invokeUpstream,
  shapeResult,
} from './steps/call-tool.js';
import { checkDelegatedScope } from './steps/check-delegation.js';
import { checkLimits, type LimitDeps } from './steps/check-limits.js';
import { checkPolicy, type PolicyDeps } from './steps/check-policy.js';
import { filterOutput } from './steps/filter-records.js';
import { guardUnseen } from './steps/governed-as.js';
import { checkScopes, resolveAccount } from './steps/resolve-account.js';
import { resolveTool, type ToolDeps, validateArguments } from './steps/resolve-tool.js';
import { readBack, runLookups } from './steps/unified-lookups.js';
import { countProjectRead, lookUpTaskProject } from './steps/unified-project.js';
import { resolveUnified, type UnifiedDeps, unifyResult } from './steps/unified-tasks.js';
import type { ExecuteRequest, ExecutionContext, ExecutionResult, Halt } from './types.js';

export interface BrokerDeps extends RunnerDeps, ToolDeps, CallDeps, PolicyDeps, LimitDeps, UnifiedDeps {}

/** 0. A repeated idempotency key replays the stored result without running anything. */
const claimKey = (ctx: ExecutionContext, d: BrokerDeps): Promise<Halt | undefined> =>
  claimIdempotencyKey(
    ctx,
    d,
    [ctx.request.slug, ctx.request.connectedAccountId ?? null, ctx.request.arguments ?? {}],
    (c, stored) => {
      c.result = stored as ExecutionResult;
      return c.result.executionId;
    },
  );

/**
 * What happens when an agent executes a tool, in order. Each step may end the call with a tool
 * result (returned to the agent) or a rejection (a 4xx for the caller); the last one always ends it.
 * The governed runner (`runner.ts`) then scrubs, settles approvals and idempotency keys, and audits.
 */
const EXECUTE_STEPS = [
  claimKey, //           idempotency: a repeated key replays the stored result
  resolveTool, //        the tool exists
  checkDelegatedScope, // an exchanged token's scopes allow it (insufficient_scope)
  validateArguments, //  arguments match its JSON Schema
  resolveUnified, //     a unified tool becomes its provider tool's call (the ticketing connection's)
  resolveAccount, //     which of the user's connections acts (or a Connect Link)
  checkScopes, //        granted scopes cover the tool's (or a step-up link)
  buildUpstreamRequest, // the HTTP request; governed also as every tool making the same request
  guardUnseen, //        records policies filter do not pass unfiltered
  countProjectRead, //   a call about to read its task's project (next) counts against rate limits first
  lookUpTaskProject, //  a task id without its project: the task's project read for policies
  checkPolicy, //        Cedar policies: allow, deny, or approval required
  checkLimits, //        rate limits (unless counted before the read) and budgets; charges cost units
  acquireToken, //       a fresh access token, refreshed under lock if needed
  runLookups, //         reads a unified call's provider needs first (Jira's transition to Done)
  invokeUpstream, //     the call, with timeouts, retries and one refresh on 401
  shapeResult, //        output shaping, secrets scrubbed
  filterOutput, //       record-level policies drop what the agent may not see
  readBack, //           a unified write answered with nothing (Jira's 204) is read back
  unifyResult, //        a unified tool's answer: the unified object, unsupported fields, raw
] as const;

const failed = (ctx: ExecutionContext, error: Failure): ExecutionResult => ({
  successful: false,
  data: null,
  nextCursor: null,
  error,
  executionId: ctx.executionId,
});

const EXECUTE: Door<ExecutionContext, ExecutionResult, BrokerDeps> = {
  kind: 'tool.execute',
  steps: EXECUTE_STEPS,
  output: (ctx) => ctx.result!,
  refused: (ctx, error) => ({ kind: 'result', result: failed(ctx, error) }),
  toolSlug: (ctx) => ctx.request.slug,
  detail: (ctx) => ({
    arguments: redactArguments(ctx.args ?? {}, ctx.tool?.tool.sensitiveArguments ?? []),
    // The toolkit version that ran (a project may pin an older one).
    ...(ctx.tool?.version ? { toolkitVersion: ctx.tool.version } : {}),
  }),
  count: (ctx, outcome, latencyMs, d) => {
    d.metrics.toolExecutions.inc({ tool: ctx.tool ? ctx.request.slug : 'unknown', outcome });
    d.metrics.toolLatency.observe({ outcome }, latencyMs / 1000);
  },
};

export type ExecuteOutcome = Outcome<ExecutionResult>;

export function execute(req: ExecuteRequest, d: BrokerDeps): Promise<ExecuteOutcome> {
  // Not `{ ...newContext(req), userId }`: on Node 20 a spread copy keeps what it refers to alive
  // through young collections (README, "Call overhead"), and the context refers to the whole call.
  const ctx: ExecutionContext = newContext(req);
  ctx.userId = req.userId;
  return runGoverned(EXECUTE, ctx, d);
}

/** Sensitive arguments (a message body, a password field) are never written to audit. */
function redactArguments(
  args: Record<string, unknown>,
  sensitive: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) out[k] = sensitive.includes(k) ? '[SENSITIVE]' : v;
  return out;
}
