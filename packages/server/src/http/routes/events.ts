import { z } from 'zod';
import { EVENT_TYPES } from '../../events/event-log.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { defineRoute, json } from '../route.js';

/** The connection events of a project, newest first: the same payloads the webhooks deliver. */
export const eventRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/events',
    auth: 'project:runtime',
    query: z.strictObject({
      ...pageQuerySchema,
      type: z.enum(EVENT_TYPES).optional(),
      since: z.iso.datetime({ offset: true }).optional(),
    }),
    handler: async ({ principal, query }) =>
      json(
        await rt.events.list(principal.projectId, {
          type: query.type,
          since: query.since === undefined ? undefined : new Date(query.since),
          cursor: query.cursor,
          limit: query.limit,
        }),
      ),
  }),
];
