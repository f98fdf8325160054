import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { OpenApiMockUpstream } from '../../catalog/test/support/openapi-mock.js';
import { asanaTasks } from '../../catalog/test/support/task-upstreams.js';
import { example, setPolicies } from './governance/support.js';
import { describeEachDatabase } from './support/databases.js';
import type { TestGatehouse } from './support/gatehouse.js';
import {
  ASANA_TOOLS,
  recording,
  sliceOf,
  startTrackerGatehouse,
  trackerToolkit,
} from './support/unified-trackers.js';

// The governed agent's view: deciding a call on an Asana task gid needs the task's project, read from
// Asana with the user's token before policies decide. Policies refusing the call must not make that
// read free: an agent repeating a refused call is counted against its rate limits before each read,
// so the tracker sees no more reads than the limits allow. The Asana-shaped tracker is a stateful
// upstream generated from its slice; it notes every operation it served.

const MINE = '1200000000000001';
const OTHER = '1200000000000002';
const POLICY = example('unified-tasks-no-closes-my-projects');

type Result = {
  successful: boolean;
  error: { code: string; details?: Record<string, unknown> } | null;
  executionId: string;
};

describeEachDatabase("a task's project read counts against rate limits", (t) => {
  let gh: TestGatehouse;
  let key: string;
  const upstream = new OpenApiMockUpstream();
  const seen: string[] = [];
  const tasks: Record<string, string> = {};

  beforeAll(async () => {
    upstream.add('trackers', sliceOf('asana'), recording(asanaTasks(), seen));
    const base = await upstream.start();
    gh = await startTrackerGatehouse(t.db(), [{ x: 's', source: 'asana', slugs: ASANA_TOOLS }]);
    key = (await gh.createProject('project-read-limits')).apiKey;
    const call = (method: string, path: string, body: unknown) => gh.call(method, path, { key, body });
    const provider = await call('PUT', '/v1/providers/tracker-s', {
      id: 'tracker-s',
      displayName: 'Tracker S',
      authType: 'bearer',
      api: { baseUrl: `${base}/trackers`, healthCheck: { method: 'GET', path: '/users/me' }, internal: true },
    });
    expect(provider.status, provider.text).toBe(200);
    const toolkit = await call(
      'PUT',
      '/v1/toolkits/trackers',
      trackerToolkit('s', 'asana', [...ASANA_TOOLS]),
    );
    expect(toolkit.status, toolkit.text).toBe(200);
    const ac = await call('POST', '/v1/auth-configs', { providerId: 'tracker-s' });
    expect(ac.status, ac.text).toBe(201);
    const connected = await call('POST', '/v1/connected-accounts', {
      userId: 'sam',
      authConfigId: (ac.body as { id: string }).id,
      credentials: { type: 'bearer', token: 'tok_s_sam_0123456789' },
    });
    expect(connected.status, connected.text).toBe(201);
    for (const [where, projectId] of [
      ['mine', MINE],
      ['other', OTHER],
    ] as const) {
      const made = await run(undefined, 'unified.tasks.create', { projectId, title: where });
      expect((made.body as Result).successful, made.text).toBe(true);
      tasks[where] = (made.body as { data: { id: string } }).data.id;
    }
    await setPolicies(gh, key, [{ policies: POLICY }], { projects: 'Set<String>' });
  });
  afterAll(async () => {
    await gh?.close();
    await upstream.stop();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  // Sam's calls name his projects (declared with the policies); the setup's do not.
  const run = async (agent: string | undefined, slug: string, args: Record<string, unknown>) =>
    gh.call('POST', `/v1/tools/${slug}/execute`, {
      key,
      ...(agent ? { headers: { 'gatehouse-agent-id': agent } } : {}),
      body: { userId: 'sam', arguments: args, ...(agent ? { userAttributes: { projects: [MINE] } } : {}) },
    });
  const limits = async (body: unknown) => {
    const put = await gh.call('PUT', '/v1/limits', { key, body });
    expect(put.status, put.text).toBe(200);
  };
  const audited = async (executionId: string) => {
    const res = await gh.call('GET', `/v1/audit?executionId=${executionId}`, { key });
    return (res.body as { items: Array<{ detail: Record<string, unknown> }> }).items[0]!.detail;
  };
  const reads = () => seen.filter((op) => op === 'getTask').length;

  it('an agent repeating a refused call reads the tracker at most its rate limit times, then is rate_limited', async () => {
    const N = 3;
    const k = 4;
    await limits({ rateLimits: [{ per: 'agent', limit: N, windowSeconds: 3600 }] });
    const codes: string[] = [];
    let last: Result | undefined;
    for (let i = 0; i < N + k; i++) {
      last = (await run('prober', 'unified.tasks.update', { id: tasks.other, title: 'taken over' }))
        .body as Result;
      codes.push(last.error?.code ?? 'success');
    }
    expect(codes).toEqual([...Array(N).fill('policy_denied'), ...Array(k).fill('rate_limited')]);
    expect(last!.error).toMatchObject({ details: { per: 'agent', agentId: 'prober', limit: N } });
    expect(reads()).toBe(N);
    expect(seen).not.toContain('updateTask');
    // Audit says the refused call made no read, and why.
    expect(await audited(last!.executionId)).toMatchObject({
      error: { code: 'rate_limited' },
      unified: { projectLookup: { tool: 'trackers.tasks.get', notMade: 'rate_limited' } },
    });
  });

  it('a refused call is charged no budget, and a call that runs is counted once', async () => {
    // Budget 1 and 3 calls: two refused calls, then one in my project that must fit both.
    await limits({
      rateLimits: [{ per: 'agent', limit: 3, windowSeconds: 3600 }],
      budgets: { monthlyPerAgent: 1 },
    });
    for (let i = 0; i < 2; i++) {
      const r = (await run('careful', 'unified.tasks.update', { id: tasks.other, title: 'x' }))
        .body as Result;
      expect(r.error?.code).toBe('policy_denied');
      expect(await audited(r.executionId)).not.toHaveProperty('costUnits');
    }
    const ran = (await run('careful', 'unified.tasks.update', { id: tasks.mine, title: 'renamed' }))
      .body as Result;
    expect(ran.successful, JSON.stringify(ran.error)).toBe(true);
    expect(await audited(ran.executionId)).toMatchObject({
      costUnits: 1,
      unified: { projectLookup: { project: MINE } },
    });
    expect(seen).toEqual(['getTask', 'getTask', 'getTask', 'updateTask']);
  });

  it("without rate limits each refused call still reads: the count is the limit's doing", async () => {
    await limits({ rateLimits: [], budgets: {} });
    for (let i = 0; i < 5; i++) {
      const r = (await run('prober', 'unified.tasks.update', { id: tasks.other, title: 'x' })).body as Result;
      expect(r.error?.code).toBe('policy_denied');
    }
    expect(reads()).toBe(5);
  });
});
