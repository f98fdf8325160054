import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from './admin-types.js';
import type { HttpClient } from './http.js';
import { paginate, seg } from './pagination.js';
import type { Page } from './types.js';
import type { WebhookEvent, WebhookEventType } from './webhooks.js';

type PageQuery = { cursor?: string; limit?: number };

/** `gatehouse.webhooks` (admin key): endpoints that receive signed events, and their delivery log. */
export function webhooksApi(http: HttpClient) {
  const list = (q: PageQuery = {}) =>
    http.request<Page<WebhookEndpoint>>('GET', '/v1/webhooks', { query: q });
  const deliveries = (id: string, q: PageQuery = {}) =>
    http.request<Page<WebhookDelivery>>('GET', `/v1/webhooks/${seg(id)}/deliveries`, { query: q });
  return {
    /** `secret` (for `verifyWebhook`) is in the answer, this once. All event types when `events` is omitted. */
    create: (input: { url: string; events?: WebhookEventType[] }) =>
      http.request<WebhookEndpointWithSecret>('POST', '/v1/webhooks', { body: input }),
    list,
    iterate: (q: Omit<PageQuery, 'cursor'> = {}) => paginate(list, q),
    get: (id: string) => http.request<WebhookEndpoint>('GET', `/v1/webhooks/${seg(id)}`),
    delete: (id: string) => http.request<void>('DELETE', `/v1/webhooks/${seg(id)}`),
    deliveries,
    iterateDeliveries: (id: string, q: Omit<PageQuery, 'cursor'> = {}) =>
      paginate((p: PageQuery) => deliveries(id, p), q),
    /**
     * Sends a past delivery's event again (same event id and payload, signed afresh): the answer is
     * the new delivery, with `redeliveryOf` naming the one it repeats. 409 while it is still pending.
     */
    redeliver: (id: string, deliveryId: string) =>
      http.request<WebhookDelivery>(
        'POST',
        `/v1/webhooks/${seg(id)}/deliveries/${seg(deliveryId)}/redeliver`,
      ),
  };
}

export type EventQuery = PageQuery & { type?: WebhookEventType; since?: Date | string };

/** `gatehouse.events`: the project's events, newest first, with the payloads webhooks deliver. */
export function eventsApi(http: HttpClient) {
  const list = (q: EventQuery = {}) =>
    http.request<Page<WebhookEvent>>('GET', '/v1/events', {
      query: { ...q, since: q.since instanceof Date ? q.since.toISOString() : q.since },
    });
  return { list, iterate: (q: Omit<EventQuery, 'cursor'> = {}) => paginate(list, q) };
}
