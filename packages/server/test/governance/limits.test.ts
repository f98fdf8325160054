import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { execute, projectWithConnectedUsers, sandboxFor, type ToolResult } from '../support/broker.js';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL || undefined;
if (!REDIS_URL) {
  console.warn(
    '\n[gatehouse tests] GATEHOUSE_TEST_REDIS_URL is not set: the Redis legs of the limit tests are SKIPPED.\n' +
      '                  e.g. GATEHOUSE_TEST_REDIS_URL=redis://127.0.0.1:6379 npm test (.ci/run sets it)\n',
  );
}

interface LimitDetails {
  resetAt: string;
  retryAfterSeconds: number;
  [k: string]: unknown;
}

/** The same scenarios against each place counters can live. */
function limitScenarios(
  t: Pick<TestDatabase, 'db'>,
  env: Record<string, string>,
  counters: 'postgres' | 'redis',
) {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let client: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), env);
    ({ sandbox, client } = await sandboxFor(gh));
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const project = async (limits: Record<string, unknown>) => {
    const p = await projectWithConnectedUsers(gh, sandbox, client, ['alice', 'bob']);
    const put = await gh.call('PUT', '/v1/limits', { key: p.apiKey, body: limits });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ counters });
    return p;
  };
  const call = (
    p: { apiKey: string },
    user: string,
    options: { tool?: string; agent?: string; args?: Record<string, unknown> } = {},
  ) =>
    execute(
      gh,
      p.apiKey,
      options.tool ?? 'acme.tasks.list',
      { userId: user, arguments: options.args ?? {} },
      options.agent ? { 'gatehouse-agent-id': options.agent } : {},
    );
  const codeOf = (r: { result: ToolResult }) => r.result.error?.code ?? 'success';
  const detailsOf = (r: { result: ToolResult }) => r.result.error?.details as unknown as LimitDetails;

  it('per user: the third call in the window is rate_limited until the window ends; bob is unaffected', async () => {
    const p = await project({ rateLimits: [{ per: 'user', limit: 2, windowSeconds: 3600 }] });
    const before = Date.now();
    expect(codeOf(await call(p, 'alice'))).toBe('success');
    expect(codeOf(await call(p, 'alice'))).toBe('success');
    const third = await call(p, 'alice');
    const after = Date.now();
    expect(third.result.error).toMatchObject({
      code: 'rate_limited',
      details: { per: 'user', userId: 'alice', limit: 2 },
    });
    const details = detailsOf(third);
    const resetAt = Date.parse(details.resetAt);
    // Fixed windows aligned to the epoch: the reset is the end of the current hour.
    expect([Math.ceil(before / 3_600_000) * 3_600_000, Math.ceil(after / 3_600_000) * 3_600_000]).toContain(
      resetAt,
    );
    expect(details.retryAfterSeconds).toBeGreaterThanOrEqual(
      Math.max(1, Math.floor((resetAt - after) / 1000)),
    );
    expect(details.retryAfterSeconds).toBeLessThanOrEqual(Math.ceil((resetAt - before) / 1000));
    expect(codeOf(await call(p, 'bob'))).toBe('success');
  });

  it('concurrent calls cannot overshoot: with a limit of 3, exactly 3 of 8 racing calls run', async () => {
    const p = await project({ rateLimits: [{ per: 'user', limit: 3, windowSeconds: 3600 }] });
    const before = sandbox.stats().apiRequests;
    const results = await Promise.all(Array.from({ length: 8 }, () => call(p, 'alice')));
    expect(results.filter((r) => codeOf(r) === 'success')).toHaveLength(3);
    expect(results.filter((r) => codeOf(r) === 'rate_limited')).toHaveLength(5);
    expect(sandbox.stats().apiRequests - before).toBe(3);
  });

  it('a one-second window really resets at resetAt', async () => {
    const p = await project({ rateLimits: [{ per: 'user', limit: 1, windowSeconds: 1 }] });
    let first = await call(p, 'alice');
    let second = await call(p, 'alice');
    // The two calls may straddle a window boundary; then the next pair falls in one window.
    if (codeOf(second) === 'success') {
      first = second;
      second = await call(p, 'alice');
    }
    expect(codeOf(first)).toBe('success');
    expect(codeOf(second)).toBe('rate_limited');
    const resetAt = Date.parse(detailsOf(second).resetAt);
    expect(resetAt - Date.now()).toBeLessThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, Math.max(0, resetAt - Date.now()) + 20));
    expect(codeOf(await call(p, 'alice'))).toBe('success');
  });

  it('per agent and per tool: each counts its own calls; calls without an agent skip agent rules', async () => {
    const p = await project({
      rateLimits: [
        { per: 'agent', limit: 1, windowSeconds: 3600 },
        { per: 'tool', limit: 1, windowSeconds: 3600, tools: ['acme.tasks.create'] },
      ],
    });
    expect(codeOf(await call(p, 'alice', { agent: 'agent-a' }))).toBe('success');
    const again = await call(p, 'bob', { agent: 'agent-a' });
    expect(again.result.error).toMatchObject({
      code: 'rate_limited',
      details: { per: 'agent', agentId: 'agent-a' },
    });
    expect(codeOf(await call(p, 'alice', { agent: 'agent-b' }))).toBe('success');
    expect(codeOf(await call(p, 'alice'))).toBe('success');
    expect(codeOf(await call(p, 'alice'))).toBe('success');
    const create = { tool: 'acme.tasks.create', args: { title: 'limited' } };
    expect(codeOf(await call(p, 'alice', create))).toBe('success');
    const second = await call(p, 'bob', create);
    expect(second.result.error).toMatchObject({
      code: 'rate_limited',
      details: { per: 'tool', tool: 'acme.tasks.create' },
    });
  });

  it('budgets: cost units per user per month, refused calls are not charged, reset on the 1st (UTC)', async () => {
    const p = await project({
      rateLimits: [{ per: 'user', limit: 100, windowSeconds: 3600 }],
      budgets: { monthlyPerUser: 3, monthlyPerAgent: 1000 },
    });
    for (let i = 0; i < 3; i++) expect(codeOf(await call(p, 'alice', { agent: 'planner' }))).toBe('success');
    const over = await call(p, 'alice', { agent: 'planner' });
    const now = new Date();
    expect(over.result.error).toMatchObject({
      code: 'budget_exceeded',
      details: {
        per: 'user',
        userId: 'alice',
        budget: 3,
        used: 3,
        costUnits: 1,
        resetAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
      },
    });
    expect(codeOf(await call(p, 'alice', { agent: 'planner' }))).toBe('budget_exceeded');
    expect(codeOf(await call(p, 'bob', { agent: 'planner' }))).toBe('success');

    // Usage counts charged calls only: alice 3 (the refused ones cost nothing), bob 1.
    const byUser = await gh.call('GET', '/v1/usage?groupBy=user', { key: p.apiKey });
    expect(byUser.status, byUser.text).toBe(200);
    expect((byUser.body as { items: unknown[] }).items).toEqual([
      { userId: 'alice', calls: 3, costUnits: 3 },
      { userId: 'bob', calls: 1, costUnits: 1 },
    ]);
    const byAgent = await gh.call('GET', '/v1/usage?groupBy=agent', { key: p.apiKey });
    expect((byAgent.body as { items: unknown[] }).items).toEqual([
      { agentId: 'planner', calls: 4, costUnits: 4 },
    ]);
    const byTool = await gh.call('GET', '/v1/usage?groupBy=tool', { key: p.apiKey });
    expect((byTool.body as { items: unknown[] }).items).toEqual([
      { tool: 'acme.tasks.list', calls: 4, costUnits: 4 },
    ]);
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await gh.call('GET', `/v1/usage?groupBy=user&since=${encodeURIComponent(future)}`, {
      key: p.apiKey,
    });
    expect((none.body as { items: unknown[] }).items).toEqual([]);
  });

  it('limits are validated: unknown tools, zero limits and unknown groupings are 400', async () => {
    const p = await projectWithConnectedUsers(gh, sandbox, client, []);
    const bad = [
      { rateLimits: [{ per: 'user', limit: 0, windowSeconds: 60 }] },
      { rateLimits: [{ per: 'team', limit: 1, windowSeconds: 60 }] },
      { rateLimits: [{ per: 'tool', limit: 1, windowSeconds: 60, tools: ['acme.tasks.explode'] }] },
      { budgets: { monthlyPerUser: -1 } },
      { rateLimits: 'lots' },
    ];
    for (const body of bad) {
      const res = await gh.call('PUT', '/v1/limits', { key: p.apiKey, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await gh.call('GET', '/v1/usage?groupBy=team', { key: p.apiKey })).status).toBe(400);
    expect((await gh.call('GET', '/v1/usage?since=yesterday', { key: p.apiKey })).status).toBe(400);
    const current = await gh.call('GET', '/v1/limits', { key: p.apiKey });
    expect(current.body).toMatchObject({ rateLimits: [], budgets: {}, version: 0 });
  });
}

describeEachDatabase('limits with counters in the database', (t) => limitScenarios(t, {}, 'postgres'));

describe.skipIf(!REDIS_URL)(
  `limits with counters in Redis (GATEHOUSE_REDIS_URL)${REDIS_URL ? '' : ': skipped, GATEHOUSE_TEST_REDIS_URL not set'}`,
  () => {
    let db: Awaited<ReturnType<typeof openPglite>>;
    beforeAll(async () => {
      db = await openPglite();
      await migrate(db);
    });
    afterAll(async () => {
      await db?.close();
    });
    limitScenarios({ db: () => db }, { GATEHOUSE_REDIS_URL: REDIS_URL ?? '' }, 'redis');
  },
);

describe('limits when Redis is down', () => {
  it('calls stop with limits_unavailable rather than run unmetered', async () => {
    const db = await openPglite();
    await migrate(db);
    const gh = await startTestGatehouse(db, { GATEHOUSE_REDIS_URL: 'redis://127.0.0.1:1' });
    const { sandbox, client } = await sandboxFor(gh);
    try {
      const p = await projectWithConnectedUsers(gh, sandbox, client, ['alice']);
      await gh.call('PUT', '/v1/limits', { key: p.apiKey, body: { budgets: { monthlyPerUser: 10 } } });
      const res = await execute(gh, p.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} });
      expect(res.result.error).toMatchObject({ code: 'limits_unavailable' });
    } finally {
      await gh.close();
      await sandbox.close();
      await db.close();
    }
  });
});
