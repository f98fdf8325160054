import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectWithConnectedUsers, sandboxFor } from '../support/broker.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** An in-process OTLP/HTTP collector: keeps every JSON export it is sent. */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; raw: string[]; server: Server }> {
  const spans: OtlpSpan[] = [];
  const raw: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      raw.push(body);
      const doc = JSON.parse(body) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
      };
      for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/traces`, spans, raw, server };
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v ? Object.values(v)[0] : undefined;
};

describeEachDatabase('OpenTelemetry: a governed call is a span with a child per pipeline step', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;

  beforeAll(async () => {
    collector = await startCollector();
    gh = await startTestGatehouse(t.db(), { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url });
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    p = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice']);
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
    collector?.server.close();
  });

  it('execute under the caller’s traceparent: steps and the upstream attempt are children, no secrets', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await gh.call('POST', '/v1/tools/acme.tasks.list/execute', {
      key: p.apiKey,
      body: { userId: 'alice', arguments: {} },
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.status, res.text).toBe(200);
    const requestSpan = res.headers.get('x-request-id')!;
    await gh.server.tracing.forceFlush();

    const mine = collector.spans.filter((s) => s.traceId === traceId);
    const root = mine.find((s) => s.name === 'gatehouse tool.execute')!;
    expect(root).toBeDefined();
    // Its parent is the HTTP request's span, the one `traceparent` and `x-request-id` name.
    expect(root.parentSpanId).toBe(requestSpan);
    expect(attr(root, 'gatehouse.tool')).toBe('acme.tasks.list');
    expect(attr(root, 'gatehouse.user_id')).toBe('alice');
    expect(attr(root, 'gatehouse.outcome')).toBe('success');

    const steps = mine.filter((s) => s.parentSpanId === root.spanId).map((s) => s.name);
    expect(steps).toEqual(
      expect.arrayContaining([
        'step resolveTool',
        'step validateArguments',
        'step resolveAccount',
        'step checkPolicy',
        'step acquireToken',
        'step invokeUpstream',
        'step shapeResult',
      ]),
    );
    const invoke = mine.find((s) => s.name === 'step invokeUpstream')!;
    const upstream = mine.find((s) => s.name === 'upstream GET')!;
    expect(upstream.parentSpanId).toBe(invoke.spanId);
    expect(attr(upstream, 'http.response.status_code')).toBe(200);
    expect(attr(upstream, 'server.address')).toBe('127.0.0.1');

    // Spans carry no credentials: no bearer header, none of the tokens the provider issued.
    const exported = collector.raw.join('\n');
    expect(exported).not.toMatch(/bearer/i);
    const tokens = [...sandbox.issuedTokens().accessTokens, ...sandbox.issuedTokens().refreshTokens];
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(exported).not.toContain(token);
  });

  it('without a traceparent Gatehouse starts the trace (sampled) and the proxy door is traced too', async () => {
    const accounts = await gh.call('GET', '/v1/connected-accounts?userId=alice', { key: p.apiKey });
    const accountId = (accounts.body as { items: Array<{ id: string }> }).items[0]!.id;
    const res = await gh.call('POST', '/v1/proxy', {
      key: p.apiKey,
      body: { connectedAccountId: accountId, method: 'GET', path: '/tasks' },
    });
    expect(res.status, res.text).toBe(200);
    const traceId = /^00-([0-9a-f]{32})-/.exec(res.headers.get('traceparent')!)![1]!;
    await gh.server.tracing.forceFlush();
    const root = collector.spans.find((s) => s.traceId === traceId && s.name === 'gatehouse proxy.request');
    expect(root).toBeDefined();
    expect(
      collector.spans.some((s) => s.parentSpanId === root!.spanId && s.name === 'step forwardRequest'),
    ).toBe(true);
  });

  it('metrics: upstream answers per provider and status class; approvals pending and webhook backlog gauges', async () => {
    const metrics = (await gh.call('GET', '/metrics')).text;
    expect(metrics).toMatch(
      /gatehouse_upstream_responses_total\{provider="sandbox",status_class="2xx",status="200"\} [1-9]/,
    );
    expect(metrics).toMatch(/^gatehouse_approvals_pending\{status="pending"\} 0$/m);
    expect(metrics).toContain('# TYPE gatehouse_webhook_backlog gauge');
  });
});
