import { z } from 'zod';
import type { Runtime } from '../../runtime.js';
import { schemaIsCurrent } from '../../store/migrate.js';
import { errorBody } from '../errors.js';
import { errorBodySchema, text } from '../responses.js';
import { defineRoute, json } from '../route.js';

export const healthRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/healthz',
    auth: 'none',
    operationId: 'getHealth',
    responses: { 200: z.strictObject({ status: z.literal('ok') }) },
    handler: async () => json({ status: 'ok' }),
  }),
  defineRoute({
    method: 'GET',
    url: '/readyz',
    auth: 'none',
    operationId: 'getReadiness',
    responses: {
      200: z.strictObject({ status: z.literal('ready'), database: z.enum(['postgres', 'pglite']) }),
      503: errorBodySchema,
    },
    handler: async () => {
      const starting = rt.readiness.pending();
      if (starting.length > 0) return json(errorBody('not_ready', `starting: ${starting.join(', ')}`), 503);
      try {
        if (await schemaIsCurrent(rt.db)) return json({ status: 'ready', database: rt.db.kind });
        return json(errorBody('not_ready', 'database migrations are not applied'), 503);
      } catch {
        return json(errorBody('not_ready', 'database is not reachable'), 503);
      }
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/metrics',
    auth: 'none',
    operationId: 'getMetrics',
    responses: { 200: text('text/plain', 'Prometheus metrics in the text exposition format') },
    handler: async () => ({
      status: 200,
      body: await rt.metrics.render(),
      headers: { 'content-type': rt.metrics.registry.contentType },
    }),
  }),
];
