import type { AuditLog } from '../audit/audit-log.js';
import { newId } from '../shared/ids.js';
import type { Failure } from '../shared/result.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { type IdempotencyStore, requestHash } from './idempotency.js';
import { scrub } from './scrub.js';
import { acquireToken, type CallDeps, invokeUpstream, shapeResult } from './steps/call-tool.js';
import { checkLimits, type LimitDeps } from './steps/check-limits.js';
import { checkPolicy, type PolicyDeps } from './steps/check-policy.js';
import { filterOutput } from './steps/filter-records.js';
import { checkScopes, resolveAccount } from './steps/resolve-account.js';
import { resolveTool, type ToolDeps, validateArguments } from './steps/resolve-tool.js';
import type { ExecuteRequest, ExecutionContext, ExecutionResult, Halt } from './types.js';

export interface BrokerDeps extends ToolDeps, CallDeps, PolicyDeps, LimitDeps {
  audit: AuditLog;
  idempotency: IdempotencyStore;
  log: Logger;
  metrics: Metrics;
}

type Step = (ctx: ExecutionContext, d: BrokerDeps) => Halt | undefined | Promise<Halt | undefined>;

/**
 * What happens when an agent executes a tool, in order. Each step may end the call with a tool
 * result (returned to the agent) or a rejection (a 4xx for the caller); the last one always ends it.
 */
const PIPELINE: readonly Step[] = [
  resolveTool, //        the tool exists
  validateArguments, //  arguments match its JSON Schema
  resolveAccount, //     which of the user's connections acts (or a Connect Link)
  checkScopes, //        granted scopes cover the tool's (or a step-up link)
  checkPolicy, //        Cedar policies: allow, deny, or approval required
  checkLimits, //        rate limits and budgets; charges the call's cost units
  acquireToken, //       a fresh access token, refreshed under lock if needed
  invokeUpstream, //     the call, with timeouts, retries and one refresh on 401
  shapeResult, //        output shaping, secrets scrubbed
  filterOutput, //       record-level policies drop what the agent may not see
]; //                    then: audit (below)

export type ExecuteOutcome =
  | { kind: 'result'; result: ExecutionResult }
  | { kind: 'rejected'; error: Failure; executionId: string };

export async function execute(req: ExecuteRequest, d: BrokerDeps): Promise<ExecuteOutcome> {
  const ctx: ExecutionContext = {
    request: req,
    executionId: newId('exe'),
    startedAt: performance.now(),
    attempts: 0,
    secrets: [],
    notes: {},
  };
  const key = req.idempotencyKey;
  if (key) {
    const hash = requestHash([req.slug, req.connectedAccountId ?? null, req.arguments ?? {}]);
    const claim = await d.idempotency.claim(req.projectId, req.userId, key, hash, ctx.executionId);
    if (claim.kind === 'replay') {
      await audit(ctx, d, { kind: 'result', result: claim.result }, 'idempotent_replay');
      return { kind: 'result', result: claim.result };
    }
    if (claim.kind === 'conflict') {
      const error =
        claim.reason === 'in_progress'
          ? {
              code: 'idempotency_in_progress',
              message: `a call with idempotency key "${key}" is still running`,
            }
          : {
              code: 'idempotency_key_reused',
              message: `idempotency key "${key}" was used for a different request`,
            };
      return { kind: 'rejected', error, executionId: ctx.executionId };
    }
  }

  let outcome: ExecuteOutcome | undefined;
  for (const step of PIPELINE) {
    const halt = await step(ctx, d);
    if (!halt) continue;
    outcome =
      'result' in halt
        ? { kind: 'result', result: scrub(halt.result, ctx.secrets) }
        : { kind: 'rejected', error: scrub(halt.rejection, ctx.secrets), executionId: ctx.executionId };
    break;
  }
  outcome ??= {
    kind: 'rejected',
    error: { code: 'internal_error', message: 'the pipeline ended without an outcome' },
    executionId: ctx.executionId,
  };

  // An approval is used once the call reached the upstream; a call stopped before that hands it back.
  if (ctx.approval)
    await d.approvals.settle(
      req.projectId,
      ctx.approval.id,
      ctx.executionId,
      ctx.upstream !== undefined || ctx.attempts > 0,
    );
  if (key) {
    // Only calls that reached the upstream are remembered; a rejected request may be fixed and retried.
    if (ctx.upstream && outcome.kind === 'result')
      await d.idempotency.complete(req.projectId, req.userId, key, outcome.result);
    else await d.idempotency.release(req.projectId, req.userId, key);
  }
  await audit(ctx, d, outcome);
  return outcome;
}

/** Answers that are decisions rather than failures, kept apart in audit and metrics. */
const OWN_OUTCOMES = new Set([
  'authorization_required',
  'policy_denied',
  'approval_required',
  'rate_limited',
  'budget_exceeded',
]);

async function audit(
  ctx: ExecutionContext,
  d: BrokerDeps,
  outcome: ExecuteOutcome,
  label?: string,
): Promise<void> {
  const latencyMs = performance.now() - ctx.startedAt;
  const error = outcome.kind === 'result' ? outcome.result.error : outcome.error;
  const result =
    label ??
    (outcome.kind === 'rejected'
      ? 'rejected'
      : error
        ? OWN_OUTCOMES.has(error.code)
          ? error.code
          : 'error'
        : 'success');
  const tool = ctx.tool?.tool;
  d.metrics.toolExecutions.inc({ tool: tool ? ctx.request.slug : 'unknown', outcome: result });
  d.metrics.toolLatency.observe({ outcome: result }, latencyMs / 1000);
  await d.audit.record({
    projectId: ctx.request.projectId,
    kind: 'tool.execute',
    executionId: outcome.kind === 'result' ? outcome.result.executionId : ctx.executionId,
    userId: ctx.request.userId,
    agentId: ctx.request.agentId,
    toolSlug: ctx.request.slug,
    providerId: ctx.tool?.toolkit.provider ?? null,
    connectedAccountId: ctx.account?.id ?? null,
    outcome: result,
    errorCode: error?.code ?? null,
    upstreamStatus: ctx.upstream?.status ?? null,
    latencyMs,
    attempts: ctx.attempts,
    traceId: ctx.request.traceId,
    detail: scrub(
      {
        arguments: redactArguments(ctx.args ?? {}, tool?.sensitiveArguments ?? []),
        ...(error ? { error: { code: error.code, message: error.message } } : {}),
        ...ctx.notes,
      },
      ctx.secrets,
    ),
  });
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
