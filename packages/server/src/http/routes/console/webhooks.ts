import { consolePage, escapeHtml, statusBadge, table, when } from '../../../console/layout.js';
import type { Runtime } from '../../../runtime.js';
import { consoleHtml, consolePageRoute } from './guard.js';

/**
 * Webhook endpoints and their latest deliveries (read only: status, attempts, last answer). There is
 * no redeliver yet: the webhook service has no such operation, and the console adds none of its own.
 */
export const consoleWebhookRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/webhooks',
    operationId: 'consoleWebhooks',
    summary: 'Webhook endpoints and their deliveries',
    handler: async ({ session }) => {
      const endpoints = await rt.webhooks.list(session.projectId, { limit: 50 });
      const sections = await Promise.all(
        endpoints.items.map(async (e) => {
          const found = await rt.webhooks.deliveries(session.projectId, e.id, { limit: 20 });
          const rows = (found.ok ? found.value.items : []).map((d) => [
            escapeHtml(when(d.createdAt)),
            `<code>${escapeHtml(d.eventType)}</code>`,
            statusBadge(d.status),
            String(d.attempts),
            d.lastStatusCode === null ? '' : String(d.lastStatusCode),
            escapeHtml(d.lastError ?? ''),
            escapeHtml(when(d.deliveredAt ?? d.nextAttemptAt)),
          ]);
          return `<section aria-labelledby="wh-${escapeHtml(e.id)}"><h2 id="wh-${escapeHtml(e.id)}"><code>${escapeHtml(e.url)}</code></h2>
<p class="muted">Events: ${e.events ? e.events.map((t) => `<code>${escapeHtml(t)}</code>`).join(' ') : 'all'} · since ${escapeHtml(when(e.createdAt))}</p>
${table(`Latest deliveries to ${e.url}`, ['Created', 'Event', 'Status', 'Attempts', 'Last answer', 'Last error', 'Delivered / next try'], rows, 'No deliveries yet.')}</section>`;
        }),
      );
      return consoleHtml(
        200,
        consolePage(
          'Webhooks',
          sections.join('') ||
            '<p class="muted">No webhook endpoints. Create one with POST /v1/webhooks.</p>',
          session,
          '/console/webhooks',
        ),
      );
    },
  }),
];
