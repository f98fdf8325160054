import { taskProjectOf, taskProjectRead } from '@gatehouse/catalog';
import type { PolicyEngine } from '../../policy/engine.js';
import { type ExecutionContext, type Halt, refusal } from '../types.js';
import type { CallDeps } from './call-tool.js';
import { countRates, type LimitDeps } from './check-limits.js';
import { readWith } from './unified-lookups.js';
import { type UnifiedDeps, unifiedCallOf } from './unified-tasks.js';

export interface TaskProjectDeps extends CallDeps, UnifiedDeps {
  policies: PolicyEngine;
}

/**
 * The read of a task's project a call needs before policies decide it, or none (see
 * `lookUpTaskProject`). Both steps below ask it, so the read counted is the read made.
 */
async function projectReadOf(ctx: ExecutionContext, d: TaskProjectDeps) {
  const call = unifiedCallOf(ctx);
  const action = ctx.alsoGovernedAs?.find((a) => a.task !== undefined);
  const task = action?.task;
  if (!call || !action || !task || task.project !== null) return undefined;
  const read = taskProjectRead(call.mapping, call.args);
  if (!read) return undefined;
  if (!(await d.policies.forProject(ctx.request.projectId)).mentions('project')) return undefined;
  return { call, action, task, read };
}

const noteRead = (ctx: ExecutionContext, tool: string, outcome: Record<string, unknown>) => {
  ctx.notes.unified = {
    ...(ctx.notes.unified as Record<string, unknown>),
    projectLookup: { tool, ...outcome },
  };
};

/**
 * The read is the agent's upstream call as much as the call itself, and it happens before policies
 * (which may refuse) and limits: the call is counted against its rate limits before the read, so
 * repeating a call policies refuse reads no more than the limits allow. Budgets are charged only
 * when the call runs (`checkLimits`). A call refused here makes no read; audit says so.
 */
export async function countProjectRead(
  ctx: ExecutionContext,
  d: TaskProjectDeps & LimitDeps,
): Promise<Halt | undefined> {
  const planned = await projectReadOf(ctx, d);
  if (!planned) return undefined;
  const halt = await countRates(ctx, d);
  if (halt && 'refusal' in halt) noteRead(ctx, planned.read.tool, { notMade: halt.refusal.code });
  return halt;
}

/**
 * A unified call that names only a task, on a provider whose task ids do not carry the project
 * (Asana, Trello, Linear; a Jira numeric id), reaches policies with the task's project read from the
 * provider (the mapping's `taskProjectLookup`): "only my projects" must not let a guessed task id of
 * another project through. The read is a read tool on the call's connection, with the user's token,
 * its scopes checked like the call's own; it is made only when a policy could look at the project
 * (none names `project`: skipped). A task whose project cannot be read (unknown id, upstream error,
 * an answer without it) is refused: never decided without its project. Audit names the read.
 */
export async function lookUpTaskProject(
  ctx: ExecutionContext,
  d: TaskProjectDeps,
): Promise<Halt | undefined> {
  const planned = await projectReadOf(ctx, d);
  if (!planned) return undefined;
  const { call, action, task, read } = planned;
  const note = (outcome: Record<string, unknown>) => noteRead(ctx, read.tool, outcome);
  const answer = await readWith(ctx, d, read.tool, read.arguments);
  if ('halt' in answer) {
    const failure = 'refusal' in answer.halt ? answer.halt.refusal : undefined;
    // A missing scope for the read is the user's to grant (a step-up link), like the call's own.
    if (!failure || failure.code === 'authorization_required') return answer.halt;
    note({ failed: failure.code });
    return unknownProject(call.mapping.toolkit, task.id, failure.message, failure.code);
  }
  const project = taskProjectOf(call.mapping, call.args, answer.data);
  if (project === undefined) {
    note({ failed: 'no_project' });
    return unknownProject(call.mapping.toolkit, task.id, `${read.tool} answered without one`);
  }
  note({ project });
  action.task = { ...task, project };
  return undefined;
}

const unknownProject = (toolkit: string, id: string | null, why: string, cause?: string): Halt =>
  refusal({
    code: 'policy_denied',
    message: `policies decide this ${toolkit} task (${id}) by its project, which could not be read: ${why}`,
    details: { reason: 'task_project_unknown', ...(cause ? { cause } : {}) },
  });
