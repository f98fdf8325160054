import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

type CountedKind = 'accounts' | 'approvals' | 'webhooks';

/** One registry per server instance (not prom-client's global), so tests can run several servers. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'gatehouse_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly callOwnDuration = new Histogram({
    name: 'gatehouse_call_own_duration_seconds',
    help: "A governed call's duration less the time it waited on the provider's API, by route pattern",
    labelNames: ['route'] as const,
    buckets: [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly toolExecutions = new Counter({
    name: 'gatehouse_tool_executions_total',
    help: 'Tool executions by tool and outcome',
    labelNames: ['tool', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly toolLatency = new Histogram({
    name: 'gatehouse_tool_execution_duration_seconds',
    help: 'End-to-end tool execution latency inside Gatehouse (including the upstream call)',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly proxyRequests = new Counter({
    name: 'gatehouse_proxy_requests_total',
    help: 'Proxied requests by provider and outcome',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly policyDecisions = new Counter({
    name: 'gatehouse_policy_decisions_total',
    help: 'Policy decisions on tool calls, enforced and shadow',
    labelNames: ['mode', 'decision'] as const,
    registers: [this.registry],
  });

  readonly refreshAttempts = new Counter({
    name: 'gatehouse_token_refresh_attempts_total',
    help: 'Token refreshes sent to a provider, by provider and trigger (proactive, expiring, rejected, forced, recovery)',
    labelNames: ['provider', 'trigger'] as const,
    registers: [this.registry],
  });
  readonly refreshResults = new Counter({
    name: 'gatehouse_token_refresh_results_total',
    help: 'Token refresh results by provider, outcome (success, failure) and reason (ok or an error code)',
    labelNames: ['provider', 'outcome', 'reason'] as const,
    registers: [this.registry],
  });
  readonly secondsToExpiryAtRefresh = new Histogram({
    name: 'gatehouse_token_seconds_to_expiry_at_refresh',
    help: 'Seconds the old access token had left when a refresh was sent (negative: it had expired)',
    labelNames: ['provider', 'trigger'] as const,
    buckets: [-60, -1, 0, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  readonly leaseContention = new Counter({
    name: 'gatehouse_token_lease_contention_total',
    help: 'A refresh lease found taken: inline_wait (a request waited for another refresh), claim_raced (another caller claimed first), lease_lost, takeover (an expired lease taken over)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'gatehouse_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (delivered, retry, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly upstreamResponses = new Counter({
    name: 'gatehouse_upstream_responses_total',
    help: 'Final upstream answers of governed calls (execute, proxy, MCP) by provider, status class (2xx..5xx) and status',
    labelNames: ['provider', 'status_class', 'status'] as const,
    registers: [this.registry],
  });

  /** Filled on scrape from the sources given to `countWith` (cached database counts). */
  readonly accountsByStatus = this.#countedGauge(
    'accounts',
    'gatehouse_connected_accounts',
    'Connected accounts by status (all projects)',
  );
  readonly approvalsPending = this.#countedGauge(
    'approvals',
    'gatehouse_approvals_pending',
    'Approvals waiting for a decision, unexpired (all projects)',
  );
  readonly webhookBacklog = this.#countedGauge(
    'webhooks',
    'gatehouse_webhook_backlog',
    'Webhook deliveries waiting to be sent or retried (all projects)',
  );
  #sources: Partial<Record<CountedKind, () => Promise<Record<string, number>>>> = {};

  /** Where a counted gauge reads from (the database, once the runtime has one): label value → count. */
  countWith(kind: CountedKind, source: () => Promise<Record<string, number>>): void {
    this.#sources[kind] = source;
  }

  #countedGauge(kind: CountedKind, name: string, help: string): Gauge<'status'> {
    const gauge: Gauge<'status'> = new Gauge({
      name,
      help,
      labelNames: ['status'] as const,
      registers: [this.registry],
      collect: async () => {
        const counts = await this.#sources[kind]?.().catch(() => undefined);
        if (!counts) return;
        gauge.reset();
        for (const [status, n] of Object.entries(counts)) gauge.set({ status }, n);
      },
    });
    return gauge;
  }

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
