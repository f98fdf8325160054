import type { Limits } from '../../limits/limits.js';
import type { Logger } from '../../telemetry/logger.js';
import { type ExecutionContext, type Halt, toolFailure } from '../types.js';

export interface LimitDeps {
  limits: Limits;
  log: Logger;
}

/** 6. Rate limits and budgets (per user, per agent, per tool); a call that fits is charged its cost. */
export async function checkLimits(ctx: ExecutionContext, d: LimitDeps): Promise<Halt | undefined> {
  const { projectId, userId, agentId, slug } = ctx.request;
  const costUnits = ctx.tool!.tool.costUnits;
  let outcome: Awaited<ReturnType<Limits['check']>>;
  try {
    outcome = await d.limits.check(projectId, { userId, agentId, tool: slug, costUnits, now: new Date() });
  } catch (err) {
    // Limits are a control: when their store is down, calls stop rather than run unmetered.
    d.log.error({ err, project_id: projectId, counter: d.limits.counter.kind }, 'limit counters unavailable');
    return toolFailure(ctx, {
      code: 'limits_unavailable',
      message: 'rate limits and budgets cannot be checked right now; try again shortly',
    });
  }
  if (!outcome.ok) return toolFailure(ctx, outcome.error);
  ctx.notes.costUnits = costUnits;
  return undefined;
}
