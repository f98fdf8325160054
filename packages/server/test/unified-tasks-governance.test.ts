import type { Context } from 'openapi-backend';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MockHandler } from '../../catalog/test/support/openapi-mock.js';
import { OpenApiMockUpstream } from '../../catalog/test/support/openapi-mock.js';
import { githubIssues } from '../../catalog/test/support/task-upstreams.js';
import { example, setPolicies } from './governance/support.js';
import { describeEachDatabase } from './support/databases.js';
import type { TestGatehouse } from './support/gatehouse.js';
import { GITHUB_TOOLS, sliceOf, startTrackerGatehouse, trackerToolkit } from './support/unified-trackers.js';

// The rest of the governed pipeline on unified calls, through execute on the real server (PGlite or
// PostgreSQL): pagination passed through, idempotency keys replaying the unified result, approvals
// (the approved unified call runs once), and rate limits naming the unified tool. One GitHub-shaped
// tracker (`tracker-g`: the shipped GitHub issue tools and mapping) served by a stateful upstream
// generated from GitHub's slice, which counts the requests it answers.

describeEachDatabase('unified tasks: pagination, idempotency, approvals and limits through execute', (t) => {
  let gh: TestGatehouse;
  let key: string;
  let upstreamCalls = 0;
  const upstream = new OpenApiMockUpstream();

  beforeAll(async () => {
    const counted = Object.fromEntries(
      Object.entries(githubIssues()).map(([op, handler]): [string, MockHandler] => [
        op,
        (c: Context) => {
          upstreamCalls++;
          return handler(c);
        },
      ]),
    );
    upstream.add('trackerg', sliceOf('github'), counted);
    const base = await upstream.start();
    gh = await startTrackerGatehouse(t.db(), [{ x: 'g', source: 'github', slugs: GITHUB_TOOLS }]);
    key = (await gh.createProject('unified-governance')).apiKey;
    const call = async (method: string, path: string, body: unknown, status: number) => {
      const res = await gh.call(method, path, { key, body });
      expect(res.status, res.text).toBe(status);
      return res.body as { id: string };
    };
    await call(
      'PUT',
      '/v1/providers/tracker-g',
      {
        id: 'tracker-g',
        displayName: 'Tracker G',
        authType: 'bearer',
        api: { baseUrl: `${base}/trackerg`, internal: true, healthCheck: { method: 'GET', path: '/user' } },
      },
      200,
    );
    await call('PUT', '/v1/toolkits/trackerg', trackerToolkit('g', 'github', GITHUB_TOOLS), 200);
    const ac = await call('POST', '/v1/auth-configs', { providerId: 'tracker-g' }, 201);
    await call(
      'POST',
      '/v1/connected-accounts',
      {
        userId: 'dana',
        authConfigId: ac.id,
        credentials: { type: 'bearer', token: 'tok_g_dana_0123456789' },
      },
      201,
    );
  });
  afterAll(async () => {
    await gh?.close();
    await upstream.stop();
  });

  type Result = {
    successful: boolean;
    data: (Record<string, unknown> & { items?: Array<Record<string, unknown>> }) | null;
    nextCursor: string | null;
    error: { code: string; message: string; details?: Record<string, unknown> } | null;
    executionId: string;
  };
  const run = async (slug: string, body: Record<string, unknown>) => {
    const res = await gh.call('POST', `/v1/tools/${slug}/execute`, {
      key,
      body: { userId: 'dana', ...body },
    });
    return { status: res.status, text: res.text, result: res.body as Result };
  };

  it("pagination: a unified list pages with the provider's cursor (GitHub's Link header) passed on", async () => {
    for (const title of ['one', 'two', 'three'])
      expect(
        (await run('unified.tasks.create', { arguments: { projectId: 'octo/pages', title } })).result
          .successful,
      ).toBe(true);
    const first = await run('unified.tasks.list', { arguments: { projectId: 'octo/pages', limit: 2 } });
    expect(first.result, first.text).toMatchObject({ successful: true, nextCursor: '2' });
    expect(first.result.data!.items!.map((i) => i.title)).toEqual(['three', 'two']);
    const second = await run('unified.tasks.list', {
      arguments: { projectId: 'octo/pages', limit: 2, cursor: first.result.nextCursor },
    });
    expect(second.result, second.text).toMatchObject({ successful: true, nextCursor: null });
    expect(second.result.data!.items!.map((i) => i.title)).toEqual(['one']);
  });

  it('idempotency: the same key replays the unified result without calling the upstream again', async () => {
    const body = { arguments: { projectId: 'octo/app', title: 'once' }, idempotencyKey: 'unified-once' };
    const before = upstreamCalls;
    const first = await run('unified.tasks.create', body);
    const again = await run('unified.tasks.create', body);
    expect(first.result).toMatchObject({ successful: true, data: { title: 'once', provider: 'trackerg' } });
    expect(again.result).toEqual(first.result);
    expect(upstreamCalls - before).toBe(1);
    const reused = await run('unified.tasks.create', {
      ...body,
      arguments: { projectId: 'octo/app', title: 'x' },
    });
    expect(reused.status).toBe(409);
    expect(reused.text).toContain('idempotency_key_reused');
  });

  it('approvals: a unified write waits for the user, then runs exactly once with the approval', async () => {
    await setPolicies(gh, key, [{ policies: example('approval-for-writes') }]);
    try {
      const args = { projectId: 'octo/app', title: 'needs a yes' };
      const before = upstreamCalls;
      const asked = await run('unified.tasks.create', { arguments: args });
      expect(asked.result.error, asked.text).toMatchObject({ code: 'approval_required' });
      const approvalId = asked.result.error!.details!.approvalId as string;
      expect(upstreamCalls).toBe(before);
      // A unified read runs at once: both its actions (provider tool and unified) are reads.
      const read = await run('unified.tasks.get', { arguments: { id: 'octo/pages#1' } });
      expect(read.result.successful, read.text).toBe(true);
      const approved = await gh.call('POST', `/v1/approvals/${approvalId}/approve`, {
        key,
        body: { approver: 'ops@acme.test' },
      });
      expect(approved.status, approved.text).toBe(200);
      const ran = await run('unified.tasks.create', { arguments: args, approvalId });
      expect(ran.result, ran.text).toMatchObject({
        successful: true,
        data: { title: 'needs a yes', status: 'open', provider: 'trackerg' },
      });
      expect(upstreamCalls).toBe(before + 2); // the read, and the approved create
      const twice = await run('unified.tasks.create', { arguments: args, approvalId });
      expect(twice.result.error).toMatchObject({ code: 'approval_used' });
      expect(upstreamCalls).toBe(before + 2);
    } finally {
      await setPolicies(gh, key, []);
    }
  });

  it('limits: a rate limit on a unified tool counts its calls (not the provider tool called directly)', async () => {
    const put = await gh.call('PUT', '/v1/limits', {
      key,
      body: { rateLimits: [{ per: 'tool', limit: 1, windowSeconds: 3600, tools: ['unified.tasks.get'] }] },
    });
    expect(put.status, put.text).toBe(200);
    try {
      const get = () => run('unified.tasks.get', { arguments: { id: 'octo/pages#1' } });
      const once = await get();
      expect(once.result.successful, once.text).toBe(true);
      const limited = await get();
      expect(limited.result.error).toMatchObject({
        code: 'rate_limited',
        details: { per: 'tool', tool: 'unified.tasks.get', limit: 1 },
      });
      const direct = await run('trackerg.issues.get', {
        arguments: { owner: 'octo', repo: 'pages', issue_number: 1 },
      });
      expect(direct.result.successful, direct.text).toBe(true);
    } finally {
      await gh.call('PUT', '/v1/limits', { key, body: { rateLimits: [], budgets: {} } });
    }
  });

  it("budgets: unified calls are charged their provider tool's cost units; refused ones are not", async () => {
    const put = await gh.call('PUT', '/v1/limits', { key, body: { budgets: { monthlyPerUser: 2 } } });
    expect(put.status, put.text).toBe(200);
    try {
      const get = () => run('unified.tasks.get', { arguments: { id: 'octo/pages#1' } });
      expect((await get()).result.successful).toBe(true);
      expect((await get()).result.successful).toBe(true);
      const before = upstreamCalls;
      expect((await get()).result.error).toMatchObject({
        code: 'budget_exceeded',
        details: { per: 'user', userId: 'dana', budget: 2 },
      });
      expect(upstreamCalls).toBe(before);
    } finally {
      await gh.call('PUT', '/v1/limits', { key, body: { rateLimits: [], budgets: {} } });
    }
  });
});
