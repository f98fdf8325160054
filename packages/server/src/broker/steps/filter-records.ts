import { filterRecords } from '../../policy/records.js';
import type { ExecutionContext, Halt } from '../types.js';
import { refusal } from '../types.js';

/**
 * Record-level policies over the shaped output, before anything reaches the agent: records an
 * enforced forbid matches are dropped; shadow sets only count what they would drop.
 */
export function filterOutput(ctx: ExecutionContext): Halt | undefined {
  const result = ctx.result!;
  if (!ctx.policy || !result.successful) return undefined;
  const filtered = filterRecords(ctx.policy.policies, ctx.policy.input, result.data);
  if (filtered.dropped > 0) ctx.notes.recordsDropped = filtered.dropped;
  if (Object.keys(filtered.shadowDropped).length > 0) ctx.notes.shadowRecordsDropped = filtered.shadowDropped;
  if (filtered.hidden) {
    return refusal({
      code: 'policy_denied',
      message: "the project's policies hide this record from the agent",
      details: { reason: 'record' },
    });
  }
  ctx.result = Object.assign({}, result, { data: filtered.data });
  return undefined;
}
