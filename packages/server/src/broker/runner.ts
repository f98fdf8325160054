import type { Approvals } from '../approvals/approvals.js';
import type { AuditLog } from '../audit/audit-log.js';
import { actOf } from '../delegation/chain.js';
import { newId } from '../shared/ids.js';
import type { Failure } from '../shared/result.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { inSpan, tracingOn } from '../telemetry/tracing.js';
import { type IdempotencyStore, requestHash } from './idempotency.js';
import { scrub, scrubberFor } from './scrub.js';
import { type CallContext, type GovernedRequest, type Halt, rejection } from './types.js';

export interface RunnerDeps {
  audit: AuditLog;
  idempotency: IdempotencyStore;
  approvals: Approvals;
  log: Logger;
  metrics: Metrics;
}

export type Step<C, D> = (ctx: C, d: D) => Halt | undefined | Promise<Halt | undefined>;

export type Outcome<O> =
  | { kind: 'result'; result: O }
  | { kind: 'rejected'; error: Failure; executionId: string };

/** One way in to the upstream (execute, proxy): its steps, and how it answers and records. */
export interface Door<C extends CallContext, O, D> {
  /** The audit event kind. */
  kind: 'tool.execute' | 'proxy.request';
  steps: readonly Step<C, D>[];
  /** The answer once a step said `done`. */
  output(ctx: C): O;
  /** A refusal (policy, approval, limits, upstream) as this door answers it. */
  refused(ctx: C, error: Failure): Outcome<O>;
  /** The action the audit row names (the requested tool, or `proxy:<METHOD>`). */
  toolSlug(ctx: C): string | null;
  /** What the door adds to the audit detail (arguments, method and path). */
  detail(ctx: C): Record<string, unknown>;
  count(ctx: C, outcome: string, latencyMs: number, d: D): void;
}

/** Answers that are decisions rather than failures, kept apart in audit and metrics. */
const OWN_OUTCOMES = new Set([
  'authorization_required',
  'policy_denied',
  'approval_required',
  'rate_limited',
  'budget_exceeded',
]);

/**
 * The one governed runner every path to an upstream goes through. It runs a door's steps in order
 * until one halts, then owns what every call shares: scrubbing the answer of every secret the call
 * touched, settling a claimed approval (used once the upstream was reached, else handed back),
 * completing or releasing an idempotency key, audit and metrics.
 */
export async function runGoverned<C extends CallContext, O, D extends RunnerDeps>(
  door: Door<C, O, D>,
  ctx: C,
  d: D,
): Promise<Outcome<O>> {
  if (!tracingOn()) return runCall(door, ctx, d, (step) => step(ctx, d));
  const { traceId, spanId, sampled } = ctx.request;
  return inSpan(
    `gatehouse ${door.kind}`,
    { 'gatehouse.execution_id': ctx.executionId, 'gatehouse.project_id': ctx.request.projectId },
    async (span) => {
      const outcome = await runCall(door, ctx, d, (step) =>
        inSpan(`step ${step.name}`, {}, async () => step(ctx, d)),
      );
      span.setAttributes({
        'gatehouse.outcome': ctx.outcome ?? 'unknown',
        'gatehouse.tool': door.toolSlug(ctx) ?? '',
        'gatehouse.user_id': ctx.userId ?? '',
        'gatehouse.agent_id': ctx.request.agentId ?? '',
        'gatehouse.attempts': ctx.attempts,
      });
      if (ctx.upstream) span.setAttribute('gatehouse.upstream_status', ctx.upstream.status);
      return outcome;
    },
    { parent: traceId && spanId ? { traceId, spanId, sampled: sampled ?? true } : undefined },
  );
}

async function runCall<C extends CallContext, O, D extends RunnerDeps>(
  door: Door<C, O, D>,
  ctx: C,
  d: D,
  run: (step: Step<C, D>) => Halt | undefined | Promise<Halt | undefined>,
): Promise<Outcome<O>> {
  let halt: Halt | undefined;
  for (const step of door.steps) {
    halt = await run(step);
    if (halt) break;
  }
  halt ??= rejection('internal_error', 'the pipeline ended without an outcome');
  const outcome: Outcome<O> =
    'done' in halt
      ? { kind: 'result', result: scrubbedOutput(door, ctx) }
      : 'refusal' in halt
        ? scrubOutcome(door.refused(ctx, halt.refusal), ctx.secrets)
        : { kind: 'rejected', error: scrub(halt.rejection, ctx.secrets), executionId: ctx.executionId };

  // The call's bookkeeping writes are independent: they overlap instead of paying round trips in turn.
  await Promise.all([settle(ctx, d, outcome), record(door, ctx, d, halt)]);
  return outcome;
}

/** Settles a claimed approval and completes or releases the idempotency key. */
async function settle<C extends CallContext, O>(ctx: C, d: RunnerDeps, outcome: Outcome<O>): Promise<void> {
  const reached = ctx.upstream !== undefined || ctx.attempts > 0;
  if (ctx.approval)
    await d.approvals.settle(ctx.request.projectId, ctx.approval.id, ctx.executionId, reached);
  if (ctx.idempotency && !ctx.replayed) {
    // Only calls that reached the upstream are remembered; a rejected request may be fixed and retried.
    const { key } = ctx.idempotency;
    if (ctx.upstream && outcome.kind === 'result')
      await d.idempotency.complete(ctx.request.projectId, ctx.userId!, key, outcome.result);
    else await d.idempotency.release(ctx.request.projectId, ctx.userId!, key);
  }
}

function scrubbedOutput<C extends CallContext, O, D>(door: Door<C, O, D>, ctx: C): O {
  const output = door.output(ctx);
  const scrubber = scrubberFor(ctx.secrets);
  return ctx.outputScrubbedBy === scrubber ? output : scrubber.value(output);
}

function scrubOutcome<O>(outcome: Outcome<O>, secrets: readonly string[]): Outcome<O> {
  return outcome.kind === 'result'
    ? { kind: 'result', result: scrub(outcome.result, secrets) }
    : { ...outcome, error: scrub(outcome.error, secrets) };
}

/**
 * Claims the request's idempotency key (per project and user): a repeat of a finished call replays
 * its stored answer without touching the upstream; a different request under the same key, or one
 * still running, is refused. `parts` name the request the key stands for.
 */
export async function claimIdempotencyKey<C extends CallContext<GovernedRequest> & { userId?: string }>(
  ctx: C,
  d: RunnerDeps,
  parts: unknown[],
  /** Puts the stored answer in the context; returns the execution id it came from. */
  replay: (ctx: C, stored: unknown) => string,
): Promise<Halt | undefined> {
  const key = ctx.request.idempotencyKey;
  if (!key) return undefined;
  const { projectId } = ctx.request;
  const claim = await d.idempotency.claim(projectId, ctx.userId!, key, requestHash(parts), ctx.executionId);
  if (claim.kind === 'replay') {
    ctx.replayed = { executionId: replay(ctx, claim.result) };
    return { done: true };
  }
  if (claim.kind === 'conflict') {
    return claim.reason === 'in_progress'
      ? rejection('idempotency_in_progress', `a call with idempotency key "${key}" is still running`)
      : rejection('idempotency_key_reused', `idempotency key "${key}" was used for a different request`);
  }
  ctx.idempotency = { key };
  return undefined;
}

async function record<C extends CallContext, O, D extends RunnerDeps>(
  door: Door<C, O, D>,
  ctx: C,
  d: D,
  halt: Halt,
): Promise<void> {
  const latencyMs = performance.now() - ctx.startedAt;
  const error = 'done' in halt ? undefined : 'refusal' in halt ? halt.refusal : halt.rejection;
  const outcome = ctx.replayed
    ? 'idempotent_replay'
    : 'done' in halt
      ? 'success'
      : 'rejection' in halt
        ? 'rejected'
        : OWN_OUTCOMES.has(halt.refusal.code)
          ? halt.refusal.code
          : 'error';
  ctx.outcome = outcome;
  door.count(ctx, outcome, latencyMs, d);
  const callLog = ctx.request.callLog;
  if (callLog) {
    callLog.executionId = ctx.replayed?.executionId ?? ctx.executionId;
    callLog.userId = ctx.userId ?? null;
    callLog.agentId = ctx.request.agentId;
    callLog.tool = door.toolSlug(ctx);
    callLog.outcome = outcome;
    const upstreamMs = ctx.api?.upstreamMs;
    if (upstreamMs !== undefined) callLog.upstreamMs = upstreamMs;
  }
  const providerId = ctx.auth?.provider.id ?? ctx.tool?.toolkit.provider ?? null;
  countUpstream(d.metrics, providerId ?? 'unknown', ctx, error);
  await d.audit.record({
    projectId: ctx.request.projectId,
    kind: door.kind,
    executionId: ctx.replayed?.executionId ?? ctx.executionId,
    userId: ctx.userId ?? null,
    agentId: ctx.request.agentId,
    toolSlug: door.toolSlug(ctx),
    providerId,
    connectedAccountId: ctx.account?.id ?? null,
    outcome,
    errorCode: error?.code ?? null,
    upstreamStatus: ctx.upstream?.status ?? null,
    latencyMs,
    attempts: ctx.attempts,
    traceId: ctx.request.traceId,
    delegation: ctx.request.delegation ? actOf(ctx.request.delegation.chain) : null,
    detail: scrub(
      Object.assign(
        {},
        door.detail(ctx),
        error ? { error: { code: error.code, message: error.message } } : undefined,
        ctx.notes,
      ),
      ctx.secrets,
    ),
  });
}

/** The upstream's final answer per provider (`error`: no answer came — timeout, unreachable). */
function countUpstream(
  metrics: Metrics,
  provider: string,
  ctx: CallContext,
  error: Failure | undefined,
): void {
  if (ctx.upstream) {
    const status = ctx.upstream.status;
    metrics.upstreamResponses.inc({
      provider,
      status_class: `${Math.floor(status / 100)}xx`,
      status: `${status}`,
    });
  } else if (ctx.attempts > 0)
    metrics.upstreamResponses.inc({ provider, status_class: 'error', status: error?.code ?? 'error' });
}

export function newContext<R extends GovernedRequest>(request: R): CallContext<R> {
  return {
    request,
    executionId: newId('exe'),
    startedAt: performance.now(),
    attempts: 0,
    secrets: [],
    notes: {},
  };
}
