import type { Limits } from '../../limits/limits.js';
import type { Logger } from '../../telemetry/logger.js';
import { type CallContext, type Halt, refusal } from '../types.js';

export interface LimitDeps {
  limits: Limits;
  log: Logger;
}

/** Rate limits and budgets (per user, per agent, per tool); a call that fits is charged its cost. */
export async function checkLimits(ctx: CallContext, d: LimitDeps): Promise<Halt | undefined> {
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
    });
  } catch (err) {
    // Limits are a control: when their store is down, calls stop rather than run unmetered.
    d.log.error({ err, project_id: projectId, counter: d.limits.counter.kind }, 'limit counters unavailable');
    return refusal({
      code: 'limits_unavailable',
      message: 'rate limits and budgets cannot be checked right now; try again shortly',
    });
  }
  if (!outcome.ok) return refusal(outcome.error);
  ctx.notes.costUnits = costUnits;
  return undefined;
}
