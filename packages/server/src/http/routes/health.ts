import type { Runtime } from '../../runtime.js';
import { schemaIsCurrent } from '../../store/migrate.js';
import { errorBody } from '../errors.js';
import { defineRoute, json } from '../route.js';

export const healthRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/healthz',
    auth: 'none',
    handler: async () => json({ status: 'ok' }),
  }),
  defineRoute({
    method: 'GET',
    url: '/readyz',
    auth: 'none',
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
    handler: async () => ({
      status: 200,
      body: await rt.metrics.render(),
      headers: { 'content-type': rt.metrics.registry.contentType },
    }),
  }),
];
