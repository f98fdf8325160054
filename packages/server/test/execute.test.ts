import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execute, projectWithConnectedUsers, sandboxFor, type Task } from './support/broker.js';
import { completeLink } from './support/connect.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

describeEachDatabase('execute: agents act for each user with that user’s credentials', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let acme: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
  let other: Awaited<ReturnType<typeof projectWithConnectedUsers>>;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    acme = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice', 'bob']);
    other = await projectWithConnectedUsers(gh, sandbox, started.client, ['carol']);
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  it('alice and bob each create and list tasks and never see each other’s private tasks', async () => {
    const agent = { 'gatehouse-agent-id': 'planner-1' };
    const a = await execute(
      gh,
      acme.apiKey,
      'acme.tasks.create',
      { userId: 'alice', arguments: { title: 'alice: renew passport' } },
      agent,
    );
    expect(a.status, a.text).toBe(200);
    expect(a.result).toMatchObject({
      successful: true,
      error: null,
      data: { title: 'alice: renew passport', ownerId: 'alice', visibility: 'private' },
    });
    expect(a.result.executionId).toMatch(/^exe_/);
    // Its access log line says who did what: user, agent, tool and the execution it became.
    expect(gh.logs.records().find((r) => r.execution_id === a.result.executionId)).toMatchObject({
      msg: 'request',
      route: '/v1/tools/:slug/execute',
      user_id: 'alice',
      agent_id: 'planner-1',
      tool: 'acme.tasks.create',
      outcome: 'success',
      status: 200,
    });
    const b = await execute(
      gh,
      acme.apiKey,
      'acme.tasks.create',
      { userId: 'bob', arguments: { title: 'bob: dentist' } },
      agent,
    );
    expect(b.result).toMatchObject({ successful: true, data: { ownerId: 'bob' } });

    const aliceList = await execute(gh, acme.apiKey, 'acme.tasks.list', {
      userId: 'alice',
      arguments: { limit: 100 },
    });
    const bobList = await execute(gh, acme.apiKey, 'acme.tasks.list', {
      userId: 'bob',
      arguments: { limit: 100 },
    });
    const aliceTitles = (aliceList.result.data as Task[]).map((x) => x.title);
    const bobTasks = bobList.result.data as Task[];
    expect(aliceTitles).toContain('alice: renew passport');
    expect(aliceTitles).not.toContain('bob: dentist');
    expect(bobTasks.map((x) => x.title)).toContain('bob: dentist');
    expect(bobTasks.map((x) => x.title)).not.toContain('alice: renew passport');
    // Bob sees only his own tasks and teammates' team tasks, never another user's private ones.
    expect(bobTasks.every((x) => x.ownerId === 'bob' || x.visibility === 'team')).toBe(true);
  });

  it('a key of another project asking for alice’s account gets 404, not 403', async () => {
    const res = await execute(gh, other.apiKey, 'acme.tasks.list', {
      userId: 'alice',
      connectedAccountId: acme.accounts.alice,
      arguments: {},
    });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('alice:');
    const proxied = await gh.call('POST', '/v1/proxy', {
      key: other.apiKey,
      body: { connectedAccountId: acme.accounts.alice, method: 'GET', path: '/tasks' },
    });
    expect(proxied.status).toBe(404);
    // Inside the project, bob cannot name alice's account either.
    const bobAsAlice = await execute(gh, acme.apiKey, 'acme.tasks.list', {
      userId: 'bob',
      connectedAccountId: acme.accounts.alice,
      arguments: {},
    });
    expect(bobAsAlice.status).toBe(404);
  });

  it('a user without a connection gets authorization_required with a Connect Link, not a crash', async () => {
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'dave', arguments: {} });
    expect(res.status).toBe(200);
    expect(res.result.successful).toBe(false);
    expect(res.result.error).toMatchObject({
      code: 'authorization_required',
      details: {
        reason: 'no_account',
        provider: 'sandbox',
        missingScopes: ['tasks:read'],
        connectLink: { redirectUrl: expect.stringContaining('/connect/cl_') },
      },
    });
  });

  it('a missing scope gets a step-up link for exactly that scope; after consent the call works', async () => {
    const created = await execute(gh, acme.apiKey, 'acme.tasks.create', {
      userId: 'alice',
      arguments: { title: 'to delete' },
    });
    const taskId = (created.result.data as Task).id;
    const denied = await execute(gh, acme.apiKey, 'acme.tasks.delete', {
      userId: 'alice',
      arguments: { id: taskId },
    });
    expect(denied.result.error).toMatchObject({
      code: 'authorization_required',
      details: {
        reason: 'missing_scopes',
        missingScopes: ['tasks:delete'],
        connectedAccountId: acme.accounts.alice,
      },
    });
    const link = (denied.result.error!.details as { connectLink: { redirectUrl: string } }).connectLink;
    const done = await completeLink(link.redirectUrl, { username: 'alice' });
    expect(done.status, done.text).toBe(200);
    const account = (
      await gh.call('GET', `/v1/connected-accounts/${acme.accounts.alice}`, { key: acme.apiKey })
    ).body as { scopes: string[] };
    expect(account.scopes).toEqual(expect.arrayContaining(['tasks:read', 'tasks:write', 'tasks:delete']));
    const deleted = await execute(gh, acme.apiKey, 'acme.tasks.delete', {
      userId: 'alice',
      arguments: { id: taskId },
    });
    expect(deleted.result).toMatchObject({ successful: true });
    const gone = await execute(gh, acme.apiKey, 'acme.tasks.get', {
      userId: 'alice',
      arguments: { id: taskId },
    });
    expect(gone.result.error).toMatchObject({ code: 'upstream_error', details: { status: 404 } });
  });

  it('a call says where its time went: the provider API, and Gatehouse itself', async () => {
    // The provider takes 120 ms to answer this one call.
    sandbox.faults.add({ kind: 'latency', latencyMs: 120, match: { pathPrefix: '/api/tasks' } });
    const started = performance.now();
    const res = await gh.call('POST', '/v1/tools/acme.tasks.list/execute', {
      key: acme.apiKey,
      body: { userId: 'alice', arguments: { limit: 1 } },
    });
    const elapsed = performance.now() - started;
    expect(res.status, res.text).toBe(200);
    const timing = /^upstream;dur=([\d.]+);desc="provider API", gatehouse;dur=([\d.]+)$/.exec(
      res.headers.get('server-timing') ?? '',
    );
    expect(timing, res.headers.get('server-timing') ?? 'no Server-Timing').not.toBeNull();
    const [upstream, own] = [Number(timing![1]), Number(timing![2])];
    expect(upstream).toBeGreaterThanOrEqual(120);
    expect(upstream + own).toBeLessThanOrEqual(elapsed);
    // The access log line and the own-time histogram carry the same split.
    const executionId = (res.body as { executionId: string }).executionId;
    const line = gh.logs.records().find((r) => r.execution_id === executionId);
    expect(line?.upstream_ms).toBe(upstream);
    const metrics = await (await fetch(`${gh.url}/metrics`)).text();
    expect(metrics).toMatch(
      /^gatehouse_call_own_duration_seconds_count\{route="\/v1\/tools\/:slug\/execute"\} [1-9]/m,
    );

    // A call refused before the provider was reached has nothing to split.
    const refused = await gh.call('POST', '/v1/tools/acme.tasks.list/execute', {
      key: acme.apiKey,
      body: { userId: 'nobody', arguments: {} },
    });
    expect(refused.text).toContain('authorization_required');
    expect(refused.headers.get('server-timing')).toBeNull();
    const refusedId = (refused.body as { executionId: string }).executionId;
    expect(gh.logs.records().find((r) => r.execution_id === refusedId)).toMatchObject({ upstream_ms: null });
  });

  it('bad requests get 4xx answers that name the problem', async () => {
    const badArgs = await execute(gh, acme.apiKey, 'acme.tasks.create', {
      userId: 'alice',
      arguments: { title: '', extra: 1 },
    });
    expect(badArgs.status).toBe(400);
    expect(badArgs.text).toContain('invalid_arguments');
    expect(badArgs.text).toContain('arguments.title');
    const unknown = await execute(gh, acme.apiKey, 'acme.tasks.explode', { userId: 'alice', arguments: {} });
    expect(unknown.status).toBe(404);
    const noUser = await gh.call('POST', '/v1/tools/acme.tasks.list/execute', {
      key: acme.apiKey,
      body: { arguments: {} },
    });
    expect(noUser.status).toBe(400);
  });

  it('an idempotency key returns the first result without calling the upstream again', async () => {
    const before = sandbox.stats().apiRequests;
    const body = {
      userId: 'bob',
      arguments: { title: 'pay invoice 42', amount: 42 },
      idempotencyKey: 'invoice-42',
    };
    const first = await execute(gh, acme.apiKey, 'acme.tasks.create', body);
    const second = await execute(gh, acme.apiKey, 'acme.tasks.create', body);
    expect(first.result.successful).toBe(true);
    expect(second.result).toEqual(first.result);
    expect(sandbox.stats().apiRequests - before).toBe(1);
    const reused = await execute(gh, acme.apiKey, 'acme.tasks.create', {
      ...body,
      arguments: { title: 'something else' },
    });
    expect(reused.status).toBe(409);
    expect(reused.text).toContain('idempotency_key_reused');
  });

  it('every call is in the audit trail with user, agent, tool, account, outcome, latency and trace', async () => {
    const res = await gh.call('GET', '/v1/audit?userId=alice&agentId=planner-1', { key: acme.apiKey });
    expect(res.status).toBe(200);
    const items = (res.body as { items: Array<Record<string, unknown>> }).items;
    expect(items.length).toBeGreaterThanOrEqual(1);
    expect(items[0]).toMatchObject({
      kind: 'tool.execute',
      userId: 'alice',
      agentId: 'planner-1',
      tool: 'acme.tasks.create',
      provider: 'sandbox',
      connectedAccountId: acme.accounts.alice,
      outcome: 'success',
      upstreamStatus: 201,
      attempts: 1,
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      detail: { arguments: { title: 'alice: renew passport' } },
    });
    expect(typeof items[0]!.latencyMs).toBe('number');
    const all = await gh.call('GET', '/v1/audit?limit=200', { key: acme.apiKey });
    const outcomes = new Set((all.body as { items: Array<{ outcome: string }> }).items.map((i) => i.outcome));
    expect(outcomes).toEqual(
      new Set(['success', 'authorization_required', 'rejected', 'error', 'idempotent_replay']),
    );
    const otherAudit = await gh.call('GET', '/v1/audit', { key: other.apiKey });
    // The other project's trail holds only its own calls: carol's, and its refused attempts on alice's account
    // (and its admin's own changes, `admin.*`).
    const otherItems = (
      otherAudit.body as { items: Array<{ kind: string; userId: string | null; outcome: string }> }
    ).items.filter((i) => !i.kind.startsWith('admin.'));
    expect(
      otherItems
        .filter((i) => i.userId !== 'carol')
        .every((i) => i.outcome === 'rejected' || i.outcome === 'error'),
    ).toBe(true);
    expect(otherItems.some((i) => i.outcome === 'success')).toBe(false);
    await expect(t.db().query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
  });

  it('with two accounts for one provider the caller must choose; the error lists them', async () => {
    const linkRes = await gh.call('POST', '/v1/connect/links', {
      key: acme.apiKey,
      body: { userId: 'bob', authConfigId: acme.authConfigId, label: 'work' },
    });
    await completeLink((linkRes.body as { redirectUrl: string }).redirectUrl, { username: 'carol' });
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'bob', arguments: {} });
    expect(res.status).toBe(409);
    const candidates = (
      JSON.parse(res.text) as { error: { details: { candidates: Array<{ label: string | null }> } } }
    ).error.details.candidates;
    expect(candidates.map((c) => c.label).sort()).toEqual([null, 'work'].sort());
    const chosen = await execute(gh, acme.apiKey, 'acme.tasks.list', {
      userId: 'bob',
      connectedAccountId: acme.accounts.bob,
      arguments: {},
    });
    expect(chosen.result.successful).toBe(true);
  });
});
