import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectWithConnectedUsers, sandboxFor } from '../support/broker.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { AGENT, ALL_SCOPES, example, setPolicies } from './support.js';

interface Proxied {
  status: number;
  text: string;
  body: {
    status?: number;
    body?: unknown;
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
}

/**
 * The proxy is the widest door to a provider: any path under its API. An agent holding a runtime key
 * and a generic "HTTP request" tool tries every way around the project's rules; none may work.
 */
describeEachDatabase('proxy under governance: no side door around policies, approvals and limits', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let client: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    ({ sandbox, client } = await sandboxFor(gh));
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const project = async () => {
    const p = await projectWithConnectedUsers(gh, sandbox, client, ['alice'], ALL_SCOPES);
    const proxy = async (
      request: Record<string, unknown>,
      headers: Record<string, string> = AGENT,
    ): Promise<Proxied> => {
      const res = await gh.call('POST', '/v1/proxy', {
        key: p.apiKey,
        headers,
        body: { connectedAccountId: p.accounts.alice, method: 'GET', ...request },
      });
      return { status: res.status, text: res.text, body: res.body as Proxied['body'] };
    };
    return { ...p, proxy };
  };
  const createdTasks = () => sandbox.stats().apiRequests;

  it('amounts-up-to-100: a proxied POST /tasks over 100 is refused however the agent dresses it up', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('amounts-up-to-100') }]);
    const small = await p.proxy({ method: 'POST', path: '/tasks', body: { title: 'ok', amount: 50 } });
    expect(small.status, small.text).toBe(200);
    expect(small.body.status).toBe(201);

    const before = createdTasks();
    const attempts: Array<Record<string, unknown>> = [
      { method: 'POST', path: '/tasks', body: { title: 'big', amount: 9999 } },
      { method: 'POST', path: '/tasks', body: JSON.stringify({ title: 'as text', amount: 9999 }) },
      { method: 'POST', path: '/TASKS', body: { title: 'upper case', amount: 9999 } },
      { method: 'POST', path: '/tasks/', body: { title: 'trailing slash', amount: 9999 } },
      { method: 'POST', path: '/%74asks', body: { title: 'encoded', amount: 9999 } },
      { method: 'POST', path: '/./tasks', body: { title: 'dot segment', amount: 9999 } },
      { method: 'POST', path: '/tasks', query: { x: '1' }, body: { title: 'query', amount: 9999 } },
      { method: 'POST', path: '/tasks', body: { title: 'string amount', amount: '9999' } },
      {
        method: 'POST',
        path: '/tasks',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'title=form&amount=9999',
      },
    ];
    for (const attempt of attempts) {
      const res = await p.proxy(attempt);
      expect(res.status, `${JSON.stringify(attempt)} → ${res.text}`).toBe(403);
      expect(res.body.error?.code).toBe('policy_denied');
    }
    expect(createdTasks()).toBe(before); // the upstream never saw one of them
    const patch = await p.proxy({ method: 'PATCH', path: '/tasks/t1', body: { amount: 1000 } });
    expect(patch.body.error?.code).toBe('policy_denied');
  });

  it('a JSON text body is forwarded as the policy read it: a key given twice cannot hide an amount', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('amounts-up-to-100') }]);
    const hidden = await p.proxy({
      method: 'POST',
      path: '/tasks',
      body: '{"title":"dup","amount":1,"amount":9999}',
    });
    expect(hidden.body.error?.code).toBe('policy_denied');
    // The other order is read as amount 1 and sent as exactly that, whatever the upstream's parser keeps.
    const shown = await p.proxy({
      method: 'POST',
      path: '/tasks',
      body: '{"title":"dup","amount":9999,"amount":1}',
    });
    expect(shown.body.status, shown.text).toBe(201);
    expect(shown.body.body).toMatchObject({ title: 'dup', amount: 1 });
  });

  it('a custom tool that makes the same upstream call is governed as the built-in tool too', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('amounts-up-to-100') }]);
    const alias = {
      id: 'alias',
      displayName: 'Tasks under another name',
      provider: 'sandbox',
      tools: [
        {
          slug: 'alias.tasks.make',
          name: 'Make a task',
          description: 'Creates a task',
          input: {
            type: 'object',
            properties: { title: { type: 'string' }, amount: { type: 'number' } },
            required: ['title'],
            additionalProperties: false,
          },
          scopes: ['tasks:write'],
          risk: 'write',
          http: { method: 'POST', path: '/tasks', body: { fields: { title: 'title', amount: 'amount' } } },
        },
      ],
    };
    const put = await gh.call('PUT', '/v1/toolkits/alias', { key: p.apiKey, body: alias });
    expect(put.status, put.text).toBe(200);
    const before = createdTasks();
    const run = (amount: number) =>
      gh.call('POST', '/v1/tools/alias.tasks.make/execute', {
        key: p.apiKey,
        body: { userId: 'alice', arguments: { title: 'alias', amount } },
      });
    const big = (await run(9999)).body as { error: { code: string; details: { policies: string[] } } };
    expect(big.error).toMatchObject({
      code: 'policy_denied',
      details: { policies: ['amounts up to 100 only'] },
    });
    expect(createdTasks()).toBe(before);
    expect(((await run(5)).body as { successful: boolean }).successful).toBe(true);
  });

  it('a custom tool that lists the same records cannot return them unfiltered past a record-level forbid', async () => {
    const p = await project();
    const lister = {
      id: 'lister',
      displayName: 'Tasks, listed raw',
      provider: 'sandbox',
      tools: [
        {
          slug: 'lister.tasks.all',
          name: 'All tasks',
          description: 'Lists tasks without declaring them as records',
          input: { type: 'object', properties: {}, additionalProperties: false },
          scopes: ['tasks:read'],
          risk: 'read',
          http: { method: 'GET', path: '/tasks' },
        },
      ],
    };
    expect((await gh.call('PUT', '/v1/toolkits/lister', { key: p.apiKey, body: lister })).status).toBe(200);
    const run = async () =>
      (
        await gh.call('POST', '/v1/tools/lister.tasks.all/execute', {
          key: p.apiKey,
          body: { userId: 'alice', arguments: {} },
        })
      ).body as { successful: boolean; error: { code: string; details?: Record<string, unknown> } | null };
    expect((await run()).successful).toBe(true);
    await setPolicies(gh, p.apiKey, [{ policies: example('private-tasks-stay-private') }], {
      role: 'String?',
    });
    expect((await run()).error).toMatchObject({
      code: 'policy_denied',
      details: { reason: 'records', tools: ['acme.tasks.list'] },
    });
  });

  it('no-deletes and agents-read-only: proxy:DELETE is destructive, proxy:POST is a write', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('no-deletes') }]);
    const del = await p.proxy({ method: 'DELETE', path: '/tasks/anything' });
    expect(del.body.error).toMatchObject({ code: 'policy_denied', details: { policies: ['no deletes'] } });
    // A path no catalog tool covers is still governed as proxy:DELETE.
    const odd = await p.proxy({ method: 'DELETE', path: '/debug/whatever' });
    expect(odd.body.error?.code).toBe('policy_denied');

    await setPolicies(gh, p.apiKey, [{ policies: example('agents-read-only') }]);
    expect((await p.proxy({ path: '/tasks' })).body.status).toBe(200);
    const write = await p.proxy({ method: 'POST', path: '/tasks', body: { title: 'x' } });
    expect(write.body.error?.code).toBe('policy_denied');
    const human = await p.proxy({ method: 'POST', path: '/tasks', body: { title: 'by hand' } }, {});
    expect(human.body.status).toBe(201);
  });

  it('a method-override header cannot turn a governed POST into an upstream DELETE', async () => {
    const p = await project();
    const echo = await p.proxy({
      method: 'POST',
      path: '/debug/echo',
      headers: { 'X-HTTP-Method-Override': 'DELETE', 'x-method-override': 'DELETE', 'x-kept': 'yes' },
      body: {},
    });
    const seen = (echo.body.body as { headers: Record<string, string> }).headers;
    expect(seen['x-kept']).toBe('yes');
    expect(Object.keys(seen).filter((h) => h.includes('override'))).toEqual([]);
  });

  it('proxy-only-tasks: a policy can name the proxy itself and confine it to some paths', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('proxy-only-tasks') }]);
    expect((await p.proxy({ method: 'POST', path: '/tasks', body: { title: 'x' } })).body.status).toBe(201);
    expect((await p.proxy({ path: '/tasks/t_missing' })).body.status).toBe(404);
    for (const path of ['/me', '/debug/echo', '/tasksx', '/tasks/../me']) {
      const res = await p.proxy({ method: 'POST', path, body: {} });
      expect(res.body.error, path).toMatchObject({
        code: 'policy_denied',
        details: { policies: ['the proxy reaches only /tasks'] },
      });
    }
    // Tools are not affected.
    const me = await gh.call('POST', '/v1/tools/acme.me.get/execute', {
      key: p.apiKey,
      body: { userId: 'alice', arguments: {} },
    });
    expect((me.body as { successful: boolean }).successful).toBe(true);
  });

  it('approval-for-writes: a proxied write waits for the human and then runs exactly once', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('approval-for-writes') }]);
    expect((await p.proxy({ path: '/tasks' })).body.status).toBe(200);
    const request = { method: 'POST', path: '/tasks', body: { title: 'needs a yes', amount: 5 } };
    const asked = await p.proxy(request);
    expect(asked.status).toBe(403);
    expect(asked.body.error?.code).toBe('approval_required');
    const approvalId = asked.body.error?.details?.approvalId as string;
    expect(asked.body.error?.details?.approvalUrl).toEqual(expect.any(String));
    // The agent cannot slip other arguments under the approval.
    const pending = await p.proxy({ ...request, approvalId });
    expect(pending.body.error?.code).toBe('approval_pending');

    const decided = await gh.call('POST', `/v1/approvals/${approvalId}/approve`, {
      key: p.apiKey,
      body: { approver: 'alice' },
    });
    expect(decided.status, decided.text).toBe(200);
    const other = await p.proxy({ ...request, body: { title: 'something else', amount: 5 }, approvalId });
    expect(other.body.error?.code).toBe('approval_mismatch');
    const ran = await p.proxy({ ...request, approvalId });
    expect(ran.body.status, ran.text).toBe(201);
    const again = await p.proxy({ ...request, approvalId });
    expect(again.body.error?.code).toBe('approval_used');
  });

  it('record filters: a proxied read of records a forbid would filter is refused (the proxy cannot filter)', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('private-tasks-stay-private') }], {
      role: 'String?',
    });
    const list = await p.proxy({ path: '/tasks' });
    expect(list.body.error).toMatchObject({ code: 'policy_denied', details: { reason: 'records' } });
    const one = await p.proxy({ path: '/tasks/t_1' });
    expect(one.body.error?.code).toBe('policy_denied');
    // records-this-week as a shadow set only observes: the proxy still answers.
    await setPolicies(gh, p.apiKey, [
      { policies: 'permit (principal, action, resource);' },
      { mode: 'shadow', policies: example('records-this-week') },
    ]);
    expect((await p.proxy({ path: '/tasks' })).body.status).toBe(200);
  });

  it('shadow sets decide proxied calls too, in audit, without blocking', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [
      { policies: 'permit (principal, action, resource);' },
      { mode: 'shadow', name: 'trial', policies: example('no-deletes') },
    ]);
    const del = await p.proxy({ method: 'DELETE', path: '/tasks/nope' });
    expect(del.status, del.text).toBe(200);
    expect(del.body.status).toBe(404);
    const audit = await gh.call('GET', '/v1/audit?tool=proxy:DELETE', { key: p.apiKey });
    const rows = (
      audit.body as { items: Array<{ tool: string; detail: { policy?: { shadow?: unknown[] } } }> }
    ).items;
    const row = rows.find((r) => r.tool === 'proxy:DELETE');
    expect(row?.detail.policy?.shadow).toEqual([
      expect.objectContaining({ set: 'trial', effect: 'deny', policies: ['no deletes'] }),
    ]);
  });

  it('rate limits and budgets count proxied calls (cost units per call are a project setting)', async () => {
    const p = await project();
    await gh.call('PUT', '/v1/limits', {
      key: p.apiKey,
      body: { rateLimits: [{ per: 'tool', limit: 2, windowSeconds: 3600, tools: ['acme.tasks.list'] }] },
    });
    // A per-agent rule catches the proxy like any tool.
    const limited = await gh.call('PUT', '/v1/limits', {
      key: p.apiKey,
      body: { rateLimits: [{ per: 'agent', limit: 2, windowSeconds: 3600 }] },
    });
    expect(limited.status, limited.text).toBe(200);
    expect((await p.proxy({ path: '/tasks' })).body.status).toBe(200);
    expect((await p.proxy({ path: '/me' })).body.status).toBe(200);
    const third = await p.proxy({ path: '/tasks' });
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({ code: 'rate_limited', details: { per: 'agent' } });

    await gh.call('PUT', '/v1/limits', { key: p.apiKey, body: { budgets: { monthlyPerUser: 10 } } });
    const settings = await gh.call('PUT', '/v1/settings/proxy', {
      key: p.apiKey,
      body: { enabled: true, costUnits: 4 },
    });
    expect(settings.body).toMatchObject({ enabled: true, costUnits: 4 });
    // 4 + 4 fit in 10 (the two calls above cost 1 each: 2 + 8 = 10); the next one does not.
    expect((await p.proxy({ path: '/tasks' }, {})).body.status).toBe(200);
    expect((await p.proxy({ path: '/tasks' }, {})).body.status).toBe(200);
    const over = await p.proxy({ path: '/tasks' }, {});
    expect(over.status).toBe(429);
    expect(over.body.error?.code).toBe('budget_exceeded');
    const usage = await gh.call('GET', '/v1/usage?groupBy=tool', { key: p.apiKey });
    expect(JSON.stringify(usage.body)).toContain('proxy:GET');
  });

  it('a proxied write with an idempotency key runs once; the same key with another body is refused', async () => {
    const p = await project();
    const before = createdTasks();
    const write = { method: 'POST', path: '/tasks', body: { title: 'once' }, idempotencyKey: 'order-7' };
    const first = await p.proxy(write);
    const second = await p.proxy(write);
    expect(first.body.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(createdTasks() - before).toBe(1);
    const reused = await p.proxy({ ...write, body: { title: 'twice' } });
    expect(reused.status).toBe(409);
    expect(reused.body.error?.code).toBe('idempotency_key_reused');
  });

  it('a project can close the proxy: every proxied call answers proxy_disabled, tools still run', async () => {
    const p = await project();
    const closed = await gh.call('PUT', '/v1/settings/proxy', { key: p.apiKey, body: { enabled: false } });
    expect(closed.status, closed.text).toBe(200);
    const res = await p.proxy({ path: '/tasks' });
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe('proxy_disabled');
    expect(res.body.error?.message).toContain('/v1/settings/proxy');
    const bad = await gh.call('PUT', '/v1/settings/proxy', { key: p.apiKey, body: { enabled: 'yes' } });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { code: string } }).error.code).toBe('invalid_request');
  });
});
