import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Fault, InvalidFaultSpec, type Sandbox, type SandboxStats, startSandbox } from '../src/index.js';
import { api, confidentialClient, json, type OAuthClient, oauthClient, refresh, signIn } from './support.js';

let sandbox: Sandbox;
let app: OAuthClient;
let alice: { access_token: string; refresh_token?: string };

beforeAll(async () => {
  sandbox = await startSandbox({ clients: [confidentialClient] });
  app = await oauthClient(sandbox);
  alice = await signIn(app, 'alice');
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

const control = (method: string, path: string, body?: unknown) =>
  fetch(`${sandbox.url}/control${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

describe('status faults', () => {
  it('answers 429 with Retry-After once, set over HTTP, then serves normally', async () => {
    const before = sandbox.stats();
    const added = await control('POST', '/faults', {
      match: { pathPrefix: '/api/tasks' },
      kind: 'status',
      status: 429,
      retryAfterSeconds: 7,
    });
    expect(added.status).toBe(201);
    expect(await json<Fault>(added)).toMatchObject({ id: expect.stringMatching(/^fault_/) });

    const limited = await api(sandbox, alice.access_token, 'GET', '/tasks');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({ error: 'too_many_requests' });
    expect((await api(sandbox, alice.access_token, 'GET', '/tasks')).status).toBe(200);

    const stats = await json<SandboxStats>(await control('GET', '/stats'));
    expect(stats.faultsApplied - before.faultsApplied).toBe(1);
    expect(stats.apiRequests - before.apiRequests).toBe(1);
  });

  it('fails the token endpoint with a 500 before oidc-provider sees the request', async () => {
    const tokenRequests = sandbox.stats().tokenRequests;
    sandbox.faults.add({
      match: { method: 'POST', pathPrefix: '/oauth/token' },
      kind: 'status',
      status: 500,
    });
    const failed = await refresh(app, alice.refresh_token ?? '');
    expect(failed.status).toBe(500);
    expect(sandbox.stats().tokenRequests).toBe(tokenRequests);

    // The refresh token was not consumed: a retry succeeds.
    const retried = await refresh(app, alice.refresh_token ?? '');
    expect(retried.status).toBe(200);
    alice = await json(retried);
  });

  it('applies a fault `times` times, or until cleared with times 0', async () => {
    sandbox.faults.add({ match: { pathPrefix: '/api/me' }, kind: 'status', status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api(sandbox, alice.access_token, 'GET', '/me')).status);
    expect(statuses).toEqual([503, 503, 200]);

    sandbox.faults.add({ match: { pathPrefix: '/api/me' }, kind: 'status', status: 502, times: 0 });
    for (let i = 0; i < 4; i++)
      expect((await api(sandbox, alice.access_token, 'GET', '/me')).status).toBe(502);
    expect(await json(await control('GET', '/faults'))).toMatchObject({
      faults: [{ applied: 4, remaining: null }],
    });
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await api(sandbox, alice.access_token, 'GET', '/me')).status).toBe(200);
  });

  it('matches on method, checks faults in creation order, and never faults /control', async () => {
    sandbox.faults.add({ match: { method: 'post' }, kind: 'status', status: 418 });
    sandbox.faults.add({ kind: 'status', status: 500, body: 'first catch-all' });
    sandbox.faults.add({ kind: 'status', status: 501 });
    expect((await control('GET', '/stats')).status).toBe(200);

    const get = await api(sandbox, alice.access_token, 'GET', '/me');
    expect(get.status).toBe(500);
    expect(await get.text()).toBe('first catch-all');
    expect((await api(sandbox, alice.access_token, 'POST', '/tasks', { title: 'x' })).status).toBe(418);
    expect((await api(sandbox, alice.access_token, 'GET', '/me')).status).toBe(501);
    expect(sandbox.faults.list()).toEqual([]);
  });

  it('rejects an invalid fault', async () => {
    const response = await control('POST', '/faults', { kind: 'status' });
    expect(response.status).toBe(400);
    expect(() => sandbox.faults.add({ kind: 'latency' })).toThrow(InvalidFaultSpec);
    expect(() => sandbox.faults.add({ kind: 'status', status: 429, latencyMs: 5 })).toThrow(InvalidFaultSpec);
  });
});

describe('latency and timeout faults', () => {
  it('delays a request and then serves it normally', async () => {
    sandbox.faults.add({ match: { pathPrefix: '/api/me' }, kind: 'latency', latencyMs: 300 });
    const started = performance.now();
    const response = await api(sandbox, alice.access_token, 'GET', '/me');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'alice' });
  });

  it('never answers a timed-out request; the client gives up and the next request is served', async () => {
    sandbox.faults.add({ match: { pathPrefix: '/api/tasks' }, kind: 'timeout' });
    const started = performance.now();
    const hung = fetch(`${sandbox.apiBaseUrl}/tasks`, {
      headers: { authorization: `Bearer ${alice.access_token}` },
      signal: AbortSignal.timeout(250),
    });
    await expect(hung).rejects.toThrow(/aborted|timeout/i);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect((await api(sandbox, alice.access_token, 'GET', '/tasks')).status).toBe(200);
  });

  it('close() ends hung requests promptly', async () => {
    const doomed = await startSandbox();
    doomed.faults.add({ kind: 'timeout', times: 0 });
    const hung = [fetch(`${doomed.url}/api/me`), fetch(`${doomed.url}/oauth/jwks`)];
    const outcomes = Promise.allSettled(hung);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await doomed.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect((await outcomes).map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});
