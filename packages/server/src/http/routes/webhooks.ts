import { z } from 'zod';
import { EVENT_TYPES } from '../../events/event-log.js';
import type { WebhookEndpoint } from '../../events/webhook-store.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { empty, named, page, timestamp } from '../responses.js';
import { defineRoute, json, noContent, unwrap } from '../route.js';

const webhookSchema = named(
  'Webhook',
  z.strictObject({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    createdAt: timestamp,
  }),
);
const deliverySchema = named(
  'WebhookDelivery',
  z.strictObject({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: timestamp.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: timestamp.nullable(),
    deliveredAt: timestamp.nullable(),
    createdAt: timestamp,
    redeliveryOf: z
      .string()
      .nullable()
      .meta({ description: 'The delivery this one repeats (a redeliver); null for the first delivery' }),
  }),
);

const presentEndpoint = (e: WebhookEndpoint) => ({
  id: e.id,
  url: e.url,
  events: e.events ?? [...EVENT_TYPES],
  createdAt: e.createdAt,
});

const idParams = z.strictObject({ id: z.string().min(1).max(64) });
const deliveryParams = idParams.extend({ deliveryId: z.string().min(1).max(64) });

/** Webhook endpoints of a project and their delivery log. The signing secret is returned once, at creation. */
export const webhookRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/webhooks',
    auth: 'project:admin',
    operationId: 'createWebhook',
    body: z.strictObject({
      url: z.string().min(1).max(2048),
      events: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).optional(),
    }),
    responses: {
      201: webhookSchema.extend({
        secret: z.string().meta({ description: 'The signing secret: shown once' }),
      }),
    },
    handler: async ({ principal, body }) =>
      rt.db.atomically(async () => {
        const { endpoint, secret } = unwrap(await rt.webhooks.create(principal.projectId, body));
        // The origin only: some receivers put a secret in the URL's path or query.
        await rt.audit.admin(principal, 'admin.webhook.created', {
          webhookId: endpoint.id,
          origin: new URL(endpoint.url).origin,
          events: endpoint.events,
        });
        return json({ ...presentEndpoint(endpoint), secret }, 201);
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/webhooks',
    auth: 'project:admin',
    operationId: 'listWebhooks',
    query: z.strictObject({ ...pageQuerySchema }),
    responses: { 200: page(webhookSchema) },
    handler: async ({ principal, query }) => {
      const page = await rt.webhooks.list(principal.projectId, query);
      return json({ items: page.items.map(presentEndpoint), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/webhooks/:id',
    auth: 'project:admin',
    operationId: 'getWebhook',
    params: idParams,
    responses: { 200: webhookSchema },
    handler: async ({ principal, params }) =>
      json(presentEndpoint(unwrap(await rt.webhooks.get(principal.projectId, params.id)))),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/webhooks/:id',
    auth: 'project:admin',
    operationId: 'deleteWebhook',
    params: idParams,
    responses: { 204: empty() },
    handler: async ({ principal, params }) =>
      rt.db.atomically(async () => {
        unwrap(await rt.webhooks.delete(principal.projectId, params.id));
        await rt.audit.admin(principal, 'admin.webhook.deleted', { webhookId: params.id });
        return noContent();
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/webhooks/:id/deliveries',
    auth: 'project:admin',
    operationId: 'listWebhookDeliveries',
    params: idParams,
    query: z.strictObject({ ...pageQuerySchema }),
    responses: { 200: page(deliverySchema) },
    handler: async ({ principal, params, query }) =>
      json(unwrap(await rt.webhooks.deliveries(principal.projectId, params.id, query))),
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    auth: 'project:admin',
    operationId: 'redeliverWebhookDelivery',
    // The delivery's event (same id and payload) queued to the endpoint again as a new delivery with
    // `redeliveryOf`, signed afresh when sent. 409 while it, or a redelivery of it, is still pending.
    summary: 'Sends a past delivery again',
    params: deliveryParams,
    responses: { 202: deliverySchema },
    handler: async ({ principal, params }) =>
      rt.db.atomically(async () => {
        const queued = unwrap(await rt.webhooks.redeliver(principal.projectId, params.id, params.deliveryId));
        await rt.audit.admin(principal, 'admin.webhook.redelivered', {
          webhookId: params.id,
          deliveryId: params.deliveryId,
          redeliveryId: queued.id,
          eventId: queued.eventId,
        });
        // This replica sends it now; any replica's next tick would otherwise.
        rt.workers.webhooks.nudge();
        return json(queued, 202);
      }),
  }),
];
