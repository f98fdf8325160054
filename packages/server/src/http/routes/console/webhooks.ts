import { z } from 'zod';
import {
  consolePage,
  csrfField,
  escapeHtml,
  type Notice,
  statusBadge,
  table,
  when,
} from '../../../console/layout.js';
import { roleAllows } from '../../../console/roles.js';
import { type ConsoleSession, principalOf } from '../../../console/sessions.js';
import type { WebhookDelivery } from '../../../events/webhook-store.js';
import type { Runtime } from '../../../runtime.js';
import { consoleActionRoute, consoleHtml, consolePageRoute, notFoundPage, seeOther } from './guard.js';

// Notices are chosen from this table by code: nothing from the URL is echoed into the page.
const NOTICES: Record<string, Notice> = {
  redelivered: {
    kind: 'ok',
    text: 'The event was queued for delivery again; the new row shows its outcome.',
  },
  pending: {
    kind: 'error',
    text: 'That delivery (or a redelivery of it) is still pending: it is retried without a redeliver.',
  },
};

function redeliverControl(endpointId: string, d: WebhookDelivery, session: ConsoleSession): string {
  // Viewers get no control at all; the server refuses them anyway (guard.ts).
  if (!roleAllows(session.role, 'operator')) return '';
  if (d.status === 'pending') return '<span class="muted">retrying</span>';
  return `<form method="post" action="/console/webhooks/${escapeHtml(endpointId)}/deliveries/${escapeHtml(d.id)}/redeliver" class="inline">${csrfField(session)}
<button type="submit" class="secondary" aria-label="Redeliver ${escapeHtml(d.eventType)} delivery ${escapeHtml(d.id)}">Redeliver</button></form>`;
}

/**
 * Webhook endpoints and their latest deliveries (status, attempts, last answer); an operator sends a
 * finished delivery again through the same service operation as the REST redeliver route.
 */
export const consoleWebhookRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/webhooks',
    operationId: 'consoleWebhooks',
    summary: 'Webhook endpoints and their deliveries',
    query: z.object({ notice: z.string().max(32).optional() }),
    handler: async ({ session, query }) => {
      const canAct = roleAllows(session.role, 'operator');
      const endpoints = await rt.webhooks.list(session.projectId, { limit: 50 });
      const sections = await Promise.all(
        endpoints.items.map(async (e) => {
          const found = await rt.webhooks.deliveries(session.projectId, e.id, { limit: 20 });
          const rows = (found.ok ? found.value.items : []).map((d) => [
            escapeHtml(when(d.createdAt)),
            `<code>${escapeHtml(d.eventType)}</code>${d.redeliveryOf ? `<br><span class="muted">redelivery of <code>${escapeHtml(d.redeliveryOf)}</code></span>` : ''}`,
            statusBadge(d.status),
            String(d.attempts),
            d.lastStatusCode === null ? '' : String(d.lastStatusCode),
            escapeHtml(d.lastError ?? ''),
            escapeHtml(when(d.deliveredAt ?? d.nextAttemptAt)),
            ...(canAct ? [redeliverControl(e.id, d, session)] : []),
          ]);
          const headers = ['Created', 'Event', 'Status', 'Attempts', 'Last answer', 'Last error'];
          headers.push('Delivered / next try', ...(canAct ? ['Actions'] : []));
          return `<section aria-labelledby="wh-${escapeHtml(e.id)}"><h2 id="wh-${escapeHtml(e.id)}"><code>${escapeHtml(e.url)}</code></h2>
<p class="muted">Events: ${e.events ? e.events.map((t) => `<code>${escapeHtml(t)}</code>`).join(' ') : 'all'} · since ${escapeHtml(when(e.createdAt))}</p>
${table(`Latest deliveries to ${e.url}`, headers, rows, 'No deliveries yet.')}</section>`;
        }),
      );
      const readOnly = canAct ? '' : '<p class="muted">Operators and admins can redeliver.</p>';
      return consoleHtml(
        200,
        consolePage(
          'Webhooks',
          readOnly +
            (sections.join('') ||
              '<p class="muted">No webhook endpoints. Create one with POST /v1/webhooks.</p>'),
          session,
          '/console/webhooks',
          query.notice ? NOTICES[query.notice] : undefined,
        ),
      );
    },
  }),
  consoleActionRoute(rt, {
    url: '/console/webhooks/:id/deliveries/:deliveryId/redeliver',
    operationId: 'consoleRedeliverWebhook',
    summary: 'Sends a past delivery again (as POST /v1/webhooks/:id/deliveries/:deliveryId/redeliver does)',
    role: 'operator',
    params: z.strictObject({ id: z.string().min(1).max(64), deliveryId: z.string().min(1).max(64) }),
    body: z.object({ csrf: z.string().max(100) }),
    handler: async ({ session, params }) =>
      rt.db.atomically(async () => {
        const queued = await rt.webhooks.redeliver(session.projectId, params.id, params.deliveryId);
        if (!queued.ok) {
          if (queued.error.code === 'conflict') return seeOther('/console/webhooks?notice=pending');
          return notFoundPage(session, 'That delivery');
        }
        await rt.audit.admin(principalOf(session), 'admin.webhook.redelivered', {
          webhookId: params.id,
          deliveryId: params.deliveryId,
          redeliveryId: queued.value.id,
          eventId: queued.value.eventId,
          via: 'console',
          operator: session.operatorName,
        });
        rt.workers.webhooks.nudge();
        return seeOther('/console/webhooks?notice=redelivered');
      }),
  }),
];
