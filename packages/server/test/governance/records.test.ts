import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execute, projectWithConnectedUsers, sandboxFor, type Task } from '../support/broker.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { AGENT, example, setPolicies } from './support.js';

describeEachDatabase('record filtering: records a policy forbids never reach the agent', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    // alice and bob: same team, same scopes.
    p = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice', 'bob']);
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const list = (user: string, role?: string) =>
    execute(
      gh,
      p.apiKey,
      'acme.tasks.list',
      { userId: user, arguments: { limit: 100 }, ...(role ? { userAttributes: { role } } : {}) },
      AGENT,
    );
  const tasksOf = (r: Awaited<ReturnType<typeof list>>) => {
    expect(r.result.successful, JSON.stringify(r.result.error)).toBe(true);
    return r.result.data as Task[];
  };

  it('two users with the same scopes see different records: a contractor only their own tasks', async () => {
    const upstreamBob = tasksOf(await list('bob'));
    // Without policies, bob's agent sees alice's team task too (the Acme API shares it with the team).
    expect(upstreamBob.some((task) => task.ownerId === 'alice' && task.visibility === 'team')).toBe(true);

    await setPolicies(gh, p.apiKey, [{ policies: example('private-tasks-stay-private') }], {
      role: 'String?',
    });
    const alice = tasksOf(await list('alice', 'employee'));
    const bob = tasksOf(await list('bob', 'contractor'));
    expect(alice.some((task) => task.ownerId === 'bob' && task.visibility === 'team')).toBe(true);
    expect(alice.every((task) => task.visibility === 'team' || task.ownerId === 'alice')).toBe(true);
    expect(bob.length).toBeGreaterThan(0);
    expect(bob.every((task) => task.ownerId === 'bob')).toBe(true);
    expect(bob.length).toBe(upstreamBob.filter((task) => task.ownerId === 'bob').length);

    // A single record the policy hides answers policy_denied, not the record.
    const aliceTeamTask = alice.find((task) => task.ownerId === 'alice' && task.visibility === 'team')!;
    const get = await execute(
      gh,
      p.apiKey,
      'acme.tasks.get',
      { userId: 'bob', arguments: { id: aliceTeamTask.id }, userAttributes: { role: 'contractor' } },
      AGENT,
    );
    expect(get.result).toMatchObject({ successful: false, data: null, error: { code: 'policy_denied' } });
    expect(JSON.stringify(get.result)).not.toContain(aliceTeamTask.title);

    // The audit trail counts what was dropped, without the records themselves.
    const audit = await gh.call('GET', `/v1/audit?executionId=${get.result.executionId}`, { key: p.apiKey });
    const [event] = (audit.body as { items: Array<{ detail: Record<string, unknown> }> }).items;
    expect(event?.detail.recordsDropped).toBe(1);
  });

  it('a shadow record policy only counts what it would drop', async () => {
    await setPolicies(gh, p.apiKey, [
      { name: 'live', policies: 'permit (principal, action, resource);' },
      {
        name: 'trial',
        mode: 'shadow',
        policies: `permit (principal, action, resource);
forbid (principal, action in Gatehouse::Action::"toolkit:acme", resource) when { context has record && context.record.visibility == "team" };`,
      },
    ]);
    const res = await list('alice');
    const tasks = tasksOf(res);
    const teamTasks = tasks.filter((task) => task.visibility === 'team').length;
    expect(teamTasks).toBeGreaterThan(0);
    const audit = await gh.call('GET', `/v1/audit?executionId=${res.result.executionId}`, { key: p.apiKey });
    const [event] = (audit.body as { items: Array<{ detail: Record<string, unknown> }> }).items;
    expect(event?.detail.shadowRecordsDropped).toEqual({ trial: teamTasks });
    expect(event?.detail.recordsDropped).toBeUndefined();
  });
});
