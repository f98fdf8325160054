import { z } from 'zod';
import { monthEnd, subjectField } from '../../limits/limits.js';
import { limitsConfigSchema } from '../../limits/settings.js';
import { usage } from '../../limits/usage.js';
import type { Runtime } from '../../runtime.js';
import { named, timestamp } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';

const limitsSchema = named(
  'Limits',
  limitsConfigSchema.extend({
    version: z.number().int(),
    counters: z.enum(['postgres', 'redis']),
    updatedAt: timestamp.nullable(),
  }),
);

const usageSchema = named(
  'Usage',
  z.strictObject({
    groupBy: z.enum(['user', 'agent', 'tool']),
    since: timestamp,
    budgetResetAt: timestamp,
    items: z.array(
      z.strictObject({
        // One of the three, after groupBy; null for calls without one (no agent, a proxy call's tool).
        userId: z.string().nullable().optional(),
        agentId: z.string().nullable().optional(),
        tool: z.string().nullable().optional(),
        calls: z.number().int(),
        costUnits: z.number(),
      }),
    ),
    nextCursor: z.null(),
  }),
);

/** Rate limits and budgets per project, and what was used. */
export const limitRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/limits',
    auth: 'project:runtime',
    operationId: 'getLimits',
    responses: { 200: limitsSchema },
    handler: async ({ principal }) => {
      const stored = await rt.limitSettings.get(principal.projectId);
      return json({
        ...(stored?.config ?? { rateLimits: [], budgets: {} }),
        version: stored?.version ?? 0,
        counters: rt.limits.counter.kind,
        updatedAt: stored?.updatedAt ?? null,
      });
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/v1/limits',
    auth: 'project:admin',
    operationId: 'putLimits',
    body: limitsConfigSchema,
    responses: { 200: limitsSchema },
    handler: async ({ principal, body }) =>
      rt.db.atomically(async () => {
        const stored = unwrap(await rt.limitSettings.put(principal.projectId, body));
        await rt.audit.admin(principal, 'admin.limits.updated', { version: stored.version });
        return json({
          ...stored.config,
          version: stored.version,
          counters: rt.limits.counter.kind,
          updatedAt: stored.updatedAt,
        });
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/usage',
    auth: 'project:runtime',
    operationId: 'getUsage',
    query: z.strictObject({
      groupBy: z.enum(['user', 'agent', 'tool']).default('user'),
      since: z.iso.datetime({ offset: true }).optional(),
    }),
    responses: { 200: usageSchema },
    handler: async ({ principal, query }) => {
      const now = new Date();
      // Default: the current budget month.
      const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const since = query.since ? new Date(query.since) : monthStart;
      await rt.audit.settled(); // usage is read from this replica's audit rows
      const rows = await usage(rt.db, principal.projectId, query.groupBy, since);
      return json({
        groupBy: query.groupBy,
        since: since.toISOString(),
        budgetResetAt: monthEnd(now).toISOString(),
        items: rows.map((r) => ({
          [subjectField(query.groupBy)]: r.key,
          calls: r.calls,
          costUnits: r.costUnits,
        })),
        nextCursor: null,
      });
    },
  }),
];
