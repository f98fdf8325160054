import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { defineRoute } from '../src/http/route.js';
import { openPglite } from '../src/store/db.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

let gh: TestGatehouse;
let key: string;
beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite(), { GATEHOUSE_BODY_LIMIT_BYTES: '4096' });
  key = (await gh.createProject('http')).apiKey;
});
afterAll(async () => {
  await gh.close();
  await gh.server.runtime.db.close();
});

const err = (body: unknown) => (body as { error: { code: string; message: string } }).error;

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await gh.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await gh.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', database: 'pglite' });
  });
});

describe('bad input gets a clear 4xx JSON error, never a 500', () => {
  const cases: Array<{
    label: string;
    body: string;
    contentType?: string;
    status: number;
    code: string;
    message?: RegExp;
  }> = [
    { label: 'malformed JSON', body: '{"name": ', status: 400, code: 'invalid_json' },
    { label: 'empty JSON body', body: '', status: 400, code: 'invalid_json' },
    {
      label: 'wrong type',
      body: '{"name": 42}',
      status: 400,
      code: 'invalid_request',
      message: /body\.name/,
    },
    {
      label: 'unknown field',
      body: '{"name": "x", "admin": true}',
      status: 400,
      code: 'invalid_request',
      message: /admin/,
    },
    { label: 'array instead of object', body: '[1,2]', status: 400, code: 'invalid_request' },
    {
      label: 'oversized body',
      body: JSON.stringify({ name: 'x'.repeat(10_000) }),
      status: 413,
      code: 'payload_too_large',
    },
    {
      label: 'unsupported media type',
      body: 'name=x',
      contentType: 'text/plain',
      status: 415,
      code: 'unsupported_media_type',
    },
  ];
  for (const c of cases) {
    it(c.label, async () => {
      const res = await gh.call('POST', '/v1/api-keys', {
        key,
        body: c.body,
        headers: { 'content-type': c.contentType ?? 'application/json' },
      });
      expect(res.status).toBe(c.status);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(err(res.body).code).toBe(c.code);
      if (c.message) expect(err(res.body).message).toMatch(c.message);
    });
  }

  it('bad query parameters and unknown routes', async () => {
    const badLimit = await gh.call('GET', '/v1/api-keys?limit=0', { key });
    expect(badLimit.status).toBe(400);
    expect(err(badLimit.body).message).toMatch(/query\.limit/);
    const unknown = await gh.call('GET', '/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(err(unknown.body).code).toBe('not_found');
    const badAdmin = await gh.call('POST', '/v1/admin/projects', { key: gh.adminToken, body: { name: '' } });
    expect(badAdmin.status).toBe(400);
  });

  it('no failed request left a half-written row', async () => {
    const { rows } = await gh.server.runtime.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM api_keys WHERE name <> 'default'",
    );
    expect(rows[0]?.n).toBe(0);
  });
});

describe('tracing and telemetry', () => {
  it('continues a W3C traceparent and logs one line per request with trace, project, route, status and duration', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await gh.call('GET', '/v1/api-keys', {
      key,
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const line = gh.logs.records().find((r) => r.trace_id === traceId);
    expect(line).toMatchObject({
      request_id: res.headers.get('x-request-id'),
      route: '/v1/api-keys',
      status: 200,
      method: 'GET',
      project_id: expect.stringMatching(/^prj_/),
    });
    expect(typeof line?.duration_ms).toBe('number');
  });

  it('an unhandled error is logged with the request id and trace id its 500 response carries', async () => {
    const app = await buildApp(gh.server.runtime, [
      defineRoute({
        method: 'GET',
        url: '/test/broken',
        auth: 'none',
        responses: {},
        handler: async () => {
          throw new Error('disk on fire');
        },
      }),
    ]);
    try {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const res = await app.inject({
        method: 'GET',
        url: '/test/broken',
        headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      });
      expect(res.statusCode).toBe(500);
      const requestId = String(res.headers['x-request-id']);
      expect(requestId).toMatch(/^[0-9a-f]{16}$/);
      // The request id is this request's span: the traceparent sent back names the same one.
      expect(res.headers.traceparent).toBe(`00-${traceId}-${requestId}-01`);
      expect(err(res.json()).message).toContain(requestId);
      const line = gh.logs.records().find((r) => r.msg === 'unhandled error');
      expect(line).toMatchObject({ level: 'error', request_id: requestId, trace_id: traceId });
    } finally {
      await app.close();
    }
  });

  it('issues a fresh trace id when traceparent is absent or invalid', async () => {
    const res = await gh.call('GET', '/healthz', {
      headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' },
    });
    expect(res.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(res.headers.get('traceparent')).not.toContain('00000000000000000000000000000000');
  });

  it('never writes bearer tokens, API keys or body secrets to the logs', async () => {
    const bodySecret = 'sup3r-s3cret-client-value-9f8e7d';
    await gh.call('POST', '/v1/api-keys', { key, body: { name: 'x', clientSecret: bodySecret } });
    await gh.call('POST', '/v1/api-keys', { key: `${key.slice(0, -3)}zzz`, body: { token: bodySecret } });
    await gh.call('GET', '/v1/admin/projects', { key: gh.adminToken });
    await gh.call('POST', '/v1/api-keys', { key, body: `{"broken": "${bodySecret}` });
    gh.server.runtime.log.info(
      { req: { headers: { authorization: `Bearer ${key}` } }, note: `leak ${key}` },
      'probe',
    );
    await new Promise((r) => setTimeout(r, 50));
    const text = gh.logs.text();
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(7));
    expect(text).not.toContain(bodySecret);
    expect(text).not.toContain(gh.adminToken);
  });

  it('exposes Prometheus metrics by route and status', async () => {
    await gh.call('GET', '/v1/api-keys', { key });
    const res = await gh.call('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /gatehouse_http_requests_total\{method="GET",route="\/v1\/api-keys",status="200"\} \d+/,
    );
    expect(res.text).toMatch(
      /gatehouse_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/api-keys",status="200"\}/,
    );
    expect(res.text).not.toContain(key);
  });
});
