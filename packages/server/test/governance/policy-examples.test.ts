import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execute, projectWithConnectedUsers, sandboxFor, type Task } from '../support/broker.js';
import { describeEachDatabase } from '../support/databases.js';
import { AssertingAgent, exchanged, registerAgent, TestIdp, TYPE, trustIdp } from '../support/delegation.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { AGENT, ALL_SCOPES, example, setPolicies } from './support.js';

describeEachDatabase('policies: the shipped Cedar examples decide real tool calls', (t) => {
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

  const project = () => projectWithConnectedUsers(gh, sandbox, client, ['alice'], ALL_SCOPES);

  it('with no policies every call is allowed', async () => {
    const p = await project();
    const created = await execute(
      gh,
      p.apiKey,
      'acme.tasks.create',
      { userId: 'alice', arguments: { title: 'no policies' } },
      AGENT,
    );
    expect(created.result).toMatchObject({ successful: true });
  });

  it('agents-read-only: an agent lists tasks but cannot create one; a call without an agent can', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('agents-read-only') }]);
    const list = await execute(gh, p.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} }, AGENT);
    expect(list.result).toMatchObject({ successful: true });
    const before = sandbox.stats().apiRequests;
    const create = await execute(
      gh,
      p.apiKey,
      'acme.tasks.create',
      { userId: 'alice', arguments: { title: 'x' } },
      AGENT,
    );
    expect(create.status).toBe(200);
    expect(create.result.error).toMatchObject({ code: 'policy_denied' });
    expect(sandbox.stats().apiRequests).toBe(before); // the upstream never saw it
    const human = await execute(gh, p.apiKey, 'acme.tasks.create', {
      userId: 'alice',
      arguments: { title: 'by hand' },
    });
    expect(human.result).toMatchObject({ successful: true });
  });

  it('no-deletes: creating works, deleting is refused and names the policy', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('no-deletes') }]);
    const created = await execute(
      gh,
      p.apiKey,
      'acme.tasks.create',
      { userId: 'alice', arguments: { title: 'keep me' } },
      AGENT,
    );
    expect(created.result.successful).toBe(true);
    const id = (created.result.data as Task).id;
    const del = await execute(
      gh,
      p.apiKey,
      'acme.tasks.delete',
      { userId: 'alice', arguments: { id } },
      AGENT,
    );
    expect(del.result.error).toMatchObject({ code: 'policy_denied', details: { policies: ['no deletes'] } });
    const audit = await gh.call(
      'GET',
      `/v1/audit?outcome=policy_denied&executionId=${del.result.executionId}`,
      {
        key: p.apiKey,
      },
    );
    expect((audit.body as { items: unknown[] }).items).toHaveLength(1);
    const still = await execute(
      gh,
      p.apiKey,
      'acme.tasks.get',
      { userId: 'alice', arguments: { id } },
      AGENT,
    );
    expect(still.result).toMatchObject({ successful: true, data: { id } });
  });

  it('amounts-up-to-100: 100 passes, 100.01 is refused, a task without an amount passes', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('amounts-up-to-100') }]);
    const run = (args: Record<string, unknown>) =>
      execute(
        gh,
        p.apiKey,
        'acme.tasks.create',
        { userId: 'alice', arguments: { title: 'expense', ...args } },
        AGENT,
      );
    expect((await run({ amount: 100 })).result.successful).toBe(true);
    expect((await run({})).result.successful).toBe(true);
    expect((await run({ amount: null })).result.successful).toBe(true);
    const over = await run({ amount: 100.01 });
    expect(over.result.error).toMatchObject({
      code: 'policy_denied',
      details: { policies: ['amounts up to 100 only'] },
    });
    // An amount Cedar's decimal cannot hold is refused, not waved through.
    const huge = await run({ amount: 1e20 });
    expect(huge.result.error).toMatchObject({ code: 'policy_denied' });
    expect(huge.result.error?.message).toContain('cannot evaluate');
    const created = await run({ amount: 20 });
    const update = await execute(
      gh,
      p.apiKey,
      'acme.tasks.update',
      { userId: 'alice', arguments: { id: (created.result.data as Task).id, amount: 5000 } },
      AGENT,
    );
    expect(update.result.error).toMatchObject({ code: 'policy_denied' });
  });

  it('records-this-week: fresh tasks reach the agent; a record older than a week would be dropped', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('records-this-week') }]);
    const list = await execute(
      gh,
      p.apiKey,
      'acme.tasks.list',
      { userId: 'alice', arguments: { limit: 100 } },
      AGENT,
    );
    expect(list.result.successful).toBe(true);
    expect((list.result.data as Task[]).length).toBeGreaterThanOrEqual(3);
    const probe = async (daysAgo: number) => {
      const res = await gh.call('POST', '/v1/policies/test', {
        key: p.apiKey,
        body: {
          request: {
            userId: 'alice',
            tool: 'acme.tasks.list',
            agentId: 'planner-1',
            record: {
              id: 'task_1',
              ownerId: 'alice',
              team: 'acme-eng',
              visibility: 'team',
              status: 'open',
              createdAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
            },
          },
        },
      });
      expect(res.status, res.text).toBe(200);
      return res.body as { decision: string; record: { kept: boolean } };
    };
    expect(await probe(2)).toMatchObject({ decision: 'allow', record: { kept: true } });
    expect(await probe(10)).toMatchObject({ decision: 'allow', record: { kept: false } });
  });

  it('shadow: a shadow set decides and is audited and logged, but never blocks', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ name: 'trial', mode: 'shadow', policies: example('no-deletes') }]);
    const created = await execute(
      gh,
      p.apiKey,
      'acme.tasks.create',
      { userId: 'alice', arguments: { title: 'doomed' } },
      AGENT,
    );
    const id = (created.result.data as Task).id;
    const del = await execute(
      gh,
      p.apiKey,
      'acme.tasks.delete',
      { userId: 'alice', arguments: { id } },
      AGENT,
    );
    expect(del.result).toMatchObject({ successful: true });
    const audit = await gh.call('GET', `/v1/audit?executionId=${del.result.executionId}`, { key: p.apiKey });
    const [event] = (audit.body as { items: Array<{ detail: Record<string, unknown> }> }).items;
    expect(event?.detail.policy).toMatchObject({
      decision: 'allow',
      shadow: [{ set: 'trial', effect: 'deny', policies: ['no deletes'] }],
    });
    const logged = gh.logs
      .records()
      .find((r) => r.msg === 'shadow policy decision' && r.execution_id === del.result.executionId);
    expect(logged).toMatchObject({ set: 'trial', shadow: 'deny', enforced: 'allow' });
    const metrics = await gh.call('GET', '/metrics');
    expect(metrics.text).toMatch(/gatehouse_policy_decisions_total\{mode="shadow",decision="deny"\} [1-9]/);
  });

  it('sub-agents-of-support-read-only: the support agent writes; the sub-agent it delegated to only reads', async () => {
    const p = await project();
    const idp = await TestIdp.start();
    try {
      const urls = await trustIdp(gh, p.apiKey, idp);
      const support = await registerAgent(gh, p.apiKey, 'support-agent');
      const summariser = await AssertingAgent.register(gh, p.apiKey, 'summariser');
      await setPolicies(gh, p.apiKey, [{ policies: example('sub-agents-of-support-read-only') }]);
      // The app exchanges alice's sign-in token for the support agent; it hands its token on.
      const supportToken = await exchanged(urls.tokenEndpoint, {
        subject_token: await idp.userToken('alice'),
        subject_token_type: TYPE.jwt,
        actor_token: support,
        actor_token_type: TYPE.agentKey,
      });
      const subToken = await exchanged(urls.tokenEndpoint, {
        subject_token: supportToken,
        subject_token_type: TYPE.accessToken,
        actor_token: await summariser.assertion(urls.tokenEndpoint),
        actor_token_type: TYPE.jwt,
      });
      const create = { userId: 'alice', arguments: { title: 'from the chain' } };
      expect((await execute(gh, supportToken, 'acme.tasks.create', create)).result.successful).toBe(true);
      expect(
        (await execute(gh, subToken, 'acme.tasks.list', { userId: 'alice', arguments: {} })).result,
      ).toMatchObject({
        successful: true,
      });
      const refused = await execute(gh, subToken, 'acme.tasks.create', create);
      expect(refused.result.error).toMatchObject({
        code: 'policy_denied',
        details: { policies: ['sub-agents of the support agent may only read'] },
      });
      // The same rule, dry-run for CI: a hypothetical chain, the acting agent first.
      const dryRun = async (delegation: string[]) =>
        (
          await gh.call('POST', '/v1/policies/test', {
            key: p.apiKey,
            body: {
              request: { userId: 'alice', tool: 'acme.tasks.create', arguments: { title: 't' }, delegation },
            },
          })
        ).body as { decision: string };
      expect(await dryRun(['summariser', 'support-agent'])).toMatchObject({ decision: 'deny' });
      expect(await dryRun(['support-agent'])).toMatchObject({ decision: 'allow' });
      expect(await dryRun(['planner', 'orchestrator'])).toMatchObject({ decision: 'allow' });
    } finally {
      await idp.close();
    }
  });

  it('a policy change through one replica applies on another sharing the database within the cache window', async () => {
    const p = await project();
    const replica = await startTestGatehouse(t.db(), { GATEHOUSE_MASTER_KEY: gh.config.masterKey! });
    try {
      const before = await execute(
        replica,
        p.apiKey,
        'acme.tasks.create',
        { userId: 'alice', arguments: { title: 'a' } },
        AGENT,
      );
      expect(before.result.successful).toBe(true);
      await setPolicies(gh, p.apiKey, [{ policies: example('agents-read-only') }]);
      // The other replica trusts the version it read for GATEHOUSE_GOVERNANCE_CACHE_MS (1 s by default).
      await new Promise((r) => setTimeout(r, 1_100));
      const after = await execute(
        replica,
        p.apiKey,
        'acme.tasks.create',
        { userId: 'alice', arguments: { title: 'b' } },
        AGENT,
      );
      expect(after.result.error).toMatchObject({ code: 'policy_denied' });
    } finally {
      await replica.close();
    }
  });
});
