import type { Limits } from '../../limits/limits.js';
import type { Logger } from '../../telemetry/logger.js';
import { type CallContext, type Halt, refusal } from '../types.js';

export interface LimitDeps {
  limits: Limits;
  log: Logger;
}

/**
 * Rate limits and budgets (per user, per agent, per tool); a call that fits is charged its cost.
 * A call already counted against rate limits (`countRates`, before an upstream read) is charged its
 * budgets only: one call, counted once.
 */
export async function checkLimits(ctx: CallContext, d: LimitDeps): Promise<Halt | undefined> {
  const halt = await consume(ctx, d, ctx.ratesCounted ? 'budgets' : undefined);
  if (!halt) ctx.notes.costUnits = ctx.tool!.tool.costUnits;
  return halt;
}

/**
 * Counts the call against its rate limits now, without charging budgets: for a call that reads
 * upstream before policies decide it, so calls policies refuse cannot read without limit.
 */
export async function countRates(ctx: CallContext, d: LimitDeps): Promise<Halt | undefined> {
  const halt = await consume(ctx, d, 'rates');
  if (!halt) ctx.ratesCounted = true;
  return halt;
}

async function consume(
  ctx: CallContext,
  d: LimitDeps,
  only: 'rates' | 'budgets' | undefined,
): Promise<Halt | undefined> {
  const { projectId, agentId } = ctx.request;
  const userId = ctx.userId!;
  const { slug, costUnits } = ctx.tool!.tool;
  let outcome: Awaited<ReturnType<Limits['check']>>;
  try {
    // A unified call counts under its unified tool's name too (a rule on unified.tasks.create).
    const alsoTools = (ctx.alsoGovernedAs ?? []).filter((a) => a.task).map((a) => a.tool.tool.slug);
    outcome = await d.limits.check(projectId, {
      userId,
      agentId,
      tool: slug,
      alsoTools,
      costUnits,
      now: new Date(),
      ...(only ? { only } : {}),
    });
  } catch (err) {
    // Limits are a control: when their store is down, calls stop rather than run unmetered.
    d.log.error({ err, project_id: projectId, counter: d.limits.counter.kind }, 'limit counters unavailable');
    return refusal({
      code: 'limits_unavailable',
      message: 'rate limits and budgets cannot be checked right now; try again shortly',
    });
  }
  return outcome.ok ? undefined : refusal(outcome.error);
}
