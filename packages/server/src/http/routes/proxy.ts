import { z } from 'zod';
import type { Runtime } from '../../runtime.js';
import { GatehouseError } from '../../shared/errors.js';
import { defineRoute, json } from '../route.js';
import { agentIdOf } from './agent.js';

export const proxyRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/proxy',
    auth: 'project',
    body: z.strictObject({
      connectedAccountId: z.string().min(1).max(64),
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']),
      path: z.string().min(1).max(4000),
      query: z
        .record(z.string().max(200), z.union([z.string().max(4000), z.array(z.string().max(4000)).max(50)]))
        .optional(),
      headers: z.record(z.string().max(200), z.string().max(8000)).optional(),
      body: z.unknown().optional(),
    }),
    handler: async ({ principal, body, request }) => {
      const result = await rt.broker.proxy({
        projectId: principal.projectId,
        agentId: agentIdOf(request),
        traceId: request.trace.traceId,
        ...body,
      });
      if (!result.ok) {
        throw new GatehouseError(
          result.error.code,
          result.error.message,
          result.error.details ? { details: result.error.details } : {},
        );
      }
      return json(result.value);
    },
  }),
];
