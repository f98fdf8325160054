import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

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

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
