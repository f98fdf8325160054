import { z } from 'zod';
import { EVENT_TYPES } from '../../events/event-log.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { named, page, timestamp } from '../responses.js';
import { defineRoute, json } from '../route.js';
import { decidedBySchema } from './approvals.js';

const eventAccount = z.strictObject({
  id: z.string(),
  userId: z.string(),
  authConfigId: z.string(),
  providerId: z.string(),
  label: z.string().nullable(),
  status: z.enum(['INITIATED', 'ACTIVE', 'EXPIRED', 'REVOKED', 'FAILED', 'DELETED']),
  statusReason: z.string().nullable(),
  accessTokenExpiresAt: timestamp.nullable(),
});
const eventApproval = z.strictObject({
  id: z.string(),
  status: z.enum(['pending', 'approved', 'denied']),
  userId: z.string(),
  agentId: z.string().nullable(),
  tool: z.string(),
  connectedAccountId: z.string(),
  policies: z.array(z.string()),
  decidedBy: decidedBySchema.nullable(),
  decidedAt: timestamp.nullable(),
  expiresAt: timestamp,
  createdAt: timestamp,
});

/** The webhook body, and an item of GET /v1/events. */
export const eventSchema = named(
  'Event',
  z.strictObject({
    id: z.string(),
    type: z.enum(EVENT_TYPES),
    createdAt: timestamp,
    data: z.union([
      z.strictObject({ connectedAccount: eventAccount }),
      z.strictObject({ approval: eventApproval }),
    ]),
  }),
  'A connection or approval event: what webhooks deliver. Never a token.',
);

/** The connection events of a project, newest first: the same payloads the webhooks deliver. */
export const eventRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/events',
    auth: 'project:runtime',
    operationId: 'listEvents',
    query: z.strictObject({
      ...pageQuerySchema,
      type: z.enum(EVENT_TYPES).optional(),
      since: z.iso.datetime({ offset: true }).optional(),
    }),
    responses: { 200: page(eventSchema) },
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
