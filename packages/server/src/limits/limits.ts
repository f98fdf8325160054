import { createHash } from 'node:crypto';
import type { Failure } from '../shared/result.js';
import type { Counter, CounterCheck } from './counter.js';
import type { LimitSettingsStore, RateLimitRule } from './settings.js';

export interface LimitedCall {
  userId: string;
  agentId: string | null;
  tool: string;
  /** Other names the call goes by (a unified call's `unified.tasks.create`): per-tool rules naming them apply. */
  alsoTools?: readonly string[];
  costUnits: number;
  now: Date;
  /**
   * Only one kind of counter: a call counted against rate limits before it read upstream (its task's
   * project) is charged its budgets alone once policies allowed it. Unset: both.
   */
  only?: 'rates' | 'budgets';
}

type Source =
  | { kind: 'rate'; rule: RateLimitRule; subject: string }
  | { kind: 'budget'; per: 'user' | 'agent'; subject: string; budget: number };

export type LimitOutcome = { ok: true; charged: number } | { ok: false; error: Failure };

// Changing a rule's numbers starts its counters afresh instead of reinterpreting old counts.
const fingerprint = (rule: RateLimitRule): string =>
  createHash('sha256').update(JSON.stringify(rule)).digest('hex').slice(0, 12);

/** How a refusal or a usage row names what it counts: `userId`, `agentId` or `tool`. */
export const subjectField = (per: 'user' | 'agent' | 'tool'): string =>
  per === 'tool' ? 'tool' : `${per}Id`;

/** Month windows are calendar months in UTC: budgets reset at 00:00 UTC on the 1st. */
export const monthEnd = (now: Date): Date =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));

/**
 * Rate limits and budgets for one call. Calls without an agent id skip per-agent rules and budgets.
 * A call is charged (its cost added to every counter) only when it fits all of them.
 */
export class Limits {
  constructor(
    private readonly settings: LimitSettingsStore,
    readonly counter: Counter,
  ) {}

  async check(projectId: string, call: LimitedCall): Promise<LimitOutcome> {
    const stored = await this.settings.get(projectId);
    if (!stored) return { ok: true, charged: 0 };
    const { rateLimits, budgets } = stored.config;
    const checks: CounterCheck[] = [];
    const sources: Source[] = [];
    const nowMs = call.now.getTime();
    const names = [call.tool, ...(call.alsoTools ?? [])];
    rateLimits.forEach((rule, i) => {
      if (call.only === 'budgets') return;
      // The name the rule counts the call under: the first of its names the rule lists.
      const tool = rule.tools ? names.find((n) => rule.tools!.includes(n)) : call.tool;
      if (tool === undefined) return;
      const subject = rule.per === 'user' ? call.userId : rule.per === 'agent' ? call.agentId : tool;
      if (subject === null) return;
      const windowMs = rule.windowSeconds * 1000;
      checks.push({
        key: `rate:${i}:${fingerprint(rule)}:${rule.per}:${subject}`,
        limit: rule.limit,
        cost: 1,
        windowEnd: new Date((Math.floor(nowMs / windowMs) + 1) * windowMs),
      });
      sources.push({ kind: 'rate', rule, subject });
    });
    const month = monthEnd(call.now);
    const budget = (per: 'user' | 'agent', subject: string | null, limit: number | undefined) => {
      if (limit === undefined || subject === null || call.only === 'rates') return;
      checks.push({ key: `budget:${per}:${subject}`, limit, cost: call.costUnits, windowEnd: month });
      sources.push({ kind: 'budget', per, subject, budget: limit });
    };
    budget('user', call.userId, budgets.monthlyPerUser);
    budget('agent', call.agentId, budgets.monthlyPerAgent);
    if (checks.length === 0) return { ok: true, charged: 0 };

    const consumed = await this.counter.consume(projectId, checks);
    if (consumed.ok) return { ok: true, charged: call.only === 'rates' ? 0 : call.costUnits };
    const check = checks[consumed.index]!;
    const source = sources[consumed.index]!;
    const resetAt = check.windowEnd.toISOString();
    const retryAfterSeconds = Math.max(1, Math.ceil((check.windowEnd.getTime() - nowMs) / 1000));
    if (source.kind === 'rate') {
      const { per, limit, windowSeconds } = source.rule;
      return {
        ok: false,
        error: {
          code: 'rate_limited',
          message: `rate limit reached: ${limit} calls per ${windowSeconds} s per ${per}; try again after ${resetAt}`,
          details: {
            per,
            [subjectField(per)]: source.subject,
            limit,
            windowSeconds,
            resetAt,
            retryAfterSeconds,
          },
        },
      };
    }
    return {
      ok: false,
      error: {
        code: 'budget_exceeded',
        message: `monthly budget of ${source.budget} cost units per ${source.per} reached (${consumed.used} used, this call costs ${call.costUnits}); it resets at ${resetAt}`,
        details: {
          per: source.per,
          [subjectField(source.per)]: source.subject,
          budget: source.budget,
          used: consumed.used,
          costUnits: call.costUnits,
          resetAt,
          retryAfterSeconds,
        },
      },
    };
  }
}
