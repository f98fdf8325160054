import { z } from 'zod';
import type { AuditEvent } from '../../audit/audit-log.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { defineRoute, json } from '../route.js';

const present = (e: AuditEvent) => ({
  id: e.id,
  occurredAt: e.occurredAt,
  kind: e.kind,
  executionId: e.executionId,
  userId: e.userId,
  agentId: e.agentId,
  tool: e.toolSlug,
  provider: e.providerId,
  connectedAccountId: e.connectedAccountId,
  outcome: e.outcome,
  errorCode: e.errorCode,
  upstreamStatus: e.upstreamStatus,
  latencyMs: Math.round(e.latencyMs * 1000) / 1000,
  attempts: e.attempts,
  traceId: e.traceId,
  detail: e.detail,
});

export const auditRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/audit',
    auth: 'project:runtime',
    query: z.strictObject({
      ...pageQuerySchema,
      userId: z.string().max(256).optional(),
      agentId: z.string().max(128).optional(),
      tool: z.string().max(200).optional(),
      executionId: z.string().max(64).optional(),
      outcome: z.string().max(64).optional(),
      since: z.iso.datetime({ offset: true }).optional(),
      until: z.iso.datetime({ offset: true }).optional(),
    }),
    handler: async ({ principal, query }) => {
      const page = await rt.audit.list(
        principal.projectId,
        {
          userId: query.userId,
          agentId: query.agentId,
          tool: query.tool,
          executionId: query.executionId,
          outcome: query.outcome,
          since: query.since ? new Date(query.since) : undefined,
          until: query.until ? new Date(query.until) : undefined,
        },
        query,
      );
      return json({ items: page.items.map(present), nextCursor: page.nextCursor });
    },
  }),
];
