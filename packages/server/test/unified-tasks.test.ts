import { afterAll, beforeAll, expect, it } from 'vitest';
import { OpenApiMockUpstream } from '../../catalog/test/support/openapi-mock.js';
import { githubIssues, jiraIssues } from '../../catalog/test/support/task-upstreams.js';
import { example, setPolicies } from './governance/support.js';
import { describeEachDatabase } from './support/databases.js';
import type { TestGatehouse } from './support/gatehouse.js';
import {
  GITHUB_TOOLS,
  JIRA_TOOLS,
  sliceOf,
  startTrackerGatehouse,
  trackerToolkit,
} from './support/unified-trackers.js';

// The unified tasks tools through the real execute pipeline. Built-in providers call their public
// hosts, so trackers stand in: custom providers `tracker-a` and `tracker-b` whose custom toolkits are
// the shipped GitHub issue tools (slugs renamed), and `tracker-j` with the shipped Jira tools, each
// served by a stateful upstream generated from that provider's slice (openapi-backend validates every
// request and answer), with the shipped GitHub and Jira mappings pointed at them. What is checked: the connection choice (the only one,
// connectedAccountId, a clear error with several), the provider tool's call, the unified result with
// `raw`, one Cedar policy on the unified actions governing both providers, and audit naming both tools.

const TRACKERS = ['a', 'b'] as const;

const TRACKER_SETUP = [
  ...TRACKERS.map((x) => ({
    x,
    source: 'github',
    slugs: GITHUB_TOOLS,
    users: x === 'a' ? ['alice', 'bob'] : ['alice'],
    health: '/user',
    handlers: githubIssues,
  })),
  {
    x: 'j',
    source: 'jira',
    slugs: JIRA_TOOLS,
    users: ['carol'],
    health: '/rest/api/3/myself',
    handlers: jiraIssues,
  },
];

describeEachDatabase('unified tasks through the governed execute pipeline', (t) => {
  let gh: TestGatehouse;
  let key: string;
  const upstream = new OpenApiMockUpstream();
  const accounts: Record<string, Record<string, string>> = { alice: {}, bob: {}, carol: {} };

  beforeAll(async () => {
    for (const t of TRACKER_SETUP) upstream.add(`tracker${t.x}`, sliceOf(t.source), t.handlers());
    const base = await upstream.start();
    gh = await startTrackerGatehouse(t.db(), TRACKER_SETUP);
    key = (await gh.createProject('unified')).apiKey;
    const call = (method: string, path: string, body: unknown) => gh.call(method, path, { key, body });
    for (const { x, source, slugs, users, health } of TRACKER_SETUP) {
      const provider = await call('PUT', `/v1/providers/tracker-${x}`, {
        id: `tracker-${x}`,
        displayName: `Tracker ${x.toUpperCase()}`,
        authType: 'bearer',
        api: {
          baseUrl: `${base}/tracker${x}`,
          internal: true,
          healthCheck: { method: 'GET', path: health },
        },
      });
      expect(provider.status, provider.text).toBe(200);
      const toolkit = await call('PUT', `/v1/toolkits/tracker${x}`, trackerToolkit(x, source, slugs));
      expect(toolkit.status, toolkit.text).toBe(200);
      const ac = await call('POST', '/v1/auth-configs', { providerId: `tracker-${x}` });
      expect(ac.status, ac.text).toBe(201);
      for (const user of users) {
        const connected = await call('POST', '/v1/connected-accounts', {
          userId: user,
          authConfigId: (ac.body as { id: string }).id,
          credentials: { type: 'bearer', token: `tok_${x}_${user}_0123456789` },
        });
        expect(connected.status, connected.text).toBe(201);
        accounts[user]![x] = (connected.body as { id: string }).id;
      }
    }
  });
  afterAll(async () => {
    await gh?.close();
    await upstream.stop();
  });

  const run = (slug: string, body: Record<string, unknown>) =>
    gh.call('POST', `/v1/tools/${slug}/execute`, { key, body });
  type Result = {
    successful: boolean;
    data: Record<string, unknown> & { raw: unknown };
    error: { code: string; message: string; details?: Record<string, unknown> } | null;
    executionId: string;
  };

  it('the unified tools are listed with the other tools', async () => {
    const res = await gh.call('GET', '/v1/tools?toolkits=unified&limit=50', { key });
    expect(res.status, res.text).toBe(200);
    const slugs = (res.body as { items: Array<{ slug: string }> }).items.map((i) => i.slug);
    expect(slugs).toEqual(
      expect.arrayContaining(['unified.tasks.create', 'unified.tasks.close', 'unified.projects.list']),
    );
  });

  it("bob's only ticketing connection is used: the unified task, what the provider answered under raw, both tools in audit", async () => {
    const res = await run('unified.tasks.create', {
      userId: 'bob',
      arguments: { projectId: 'octo/app', title: 'Login fails', description: 'On Safari' },
    });
    expect(res.status, res.text).toBe(200);
    const r = res.body as Result;
    expect(r).toMatchObject({
      successful: true,
      data: {
        id: 'octo/app#1',
        title: 'Login fails',
        description: 'On Safari',
        status: 'open',
        projectId: 'octo/app',
        assigneeIds: [],
        url: 'https://github.com/octo/app/issues/1',
        provider: 'trackera',
        unsupported: [],
        raw: { number: 1, title: 'Login fails', state: 'open' },
      },
    });
    const audit = await gh.call('GET', `/v1/audit?executionId=${r.executionId}`, { key });
    const entry = (audit.body as { items: Array<Record<string, unknown>> }).items[0]!;
    expect(entry).toMatchObject({
      tool: 'unified.tasks.create',
      connectedAccountId: accounts.bob!.a,
      outcome: 'success',
      detail: {
        unified: {
          tool: 'unified.tasks.create',
          providerTool: 'trackera.issues.create',
          provider: 'tracker-a',
        },
      },
    });
  });

  it('what a provider cannot represent is reported, not dropped silently', async () => {
    const res = await run('unified.tasks.update', {
      userId: 'bob',
      arguments: { id: 'octo/app#1', status: 'in_progress', title: 'Login fails on Safari' },
    });
    expect((res.body as Result).data).toMatchObject({
      title: 'Login fails on Safari',
      status: 'open',
      unsupported: ['status=in_progress'],
    });
  });

  it('with several ticketing connections and none named: a clear error listing them; connectedAccountId chooses', async () => {
    const res = await run('unified.tasks.create', {
      userId: 'alice',
      arguments: { projectId: 'octo/app', title: 'x' },
    });
    expect(res.status, res.text).toBe(409);
    expect(res.body).toMatchObject({
      error: {
        code: 'ambiguous_account',
        message: expect.stringContaining('pass provider or connectedAccountId'),
      },
    });
    expect(res.text).toContain(accounts.alice!.a!);
    expect(res.text).toContain(accounts.alice!.b!);
    const chosen = await run('unified.tasks.create', {
      userId: 'alice',
      connectedAccountId: accounts.alice!.b,
      arguments: { projectId: 'octo/app', title: 'On B' },
    });
    // Tracker B keeps its own issues: this is its first.
    expect((chosen.body as Result).data).toMatchObject({
      id: 'octo/app#1',
      title: 'On B',
      provider: 'trackerb',
    });
  });

  it('close on a Jira-shaped tracker looks up the transition to Done first: one governed call, both reads audited', async () => {
    const created = await run('unified.tasks.create', {
      userId: 'carol',
      arguments: { projectId: 'ENG', title: 'Flaky build' },
    });
    expect((created.body as Result).data).toMatchObject({
      id: 'ENG-1',
      status: 'open',
      provider: 'trackerj',
    });
    const closed = await run('unified.tasks.close', { userId: 'carol', arguments: { id: 'ENG-1' } });
    // Jira answers the transition with 204: the issue is read back, so the whole task is there.
    expect(closed.body as Result, closed.text).toMatchObject({
      successful: true,
      data: {
        id: 'ENG-1',
        title: 'Flaky build',
        status: 'done',
        projectId: 'ENG',
        url: expect.stringContaining('/rest/api/3/issue/'),
        unsupported: [],
        raw: { key: 'ENG-1', status: 'Done' },
      },
    });
    // A status-only update is a transition too (Jira's edit cannot change a status): looked up, read back.
    const reopened = await run('unified.tasks.update', {
      userId: 'carol',
      arguments: { id: 'ENG-1', status: 'in_progress' },
    });
    expect(reopened.body as Result, reopened.text).toMatchObject({
      successful: true,
      data: { id: 'ENG-1', status: 'in_progress', title: 'Flaky build', unsupported: [] },
    });
    const audited = await gh.call('GET', `/v1/audit?executionId=${(reopened.body as Result).executionId}`, {
      key,
    });
    expect((audited.body as { items: Array<Record<string, unknown>> }).items[0]).toMatchObject({
      detail: {
        unified: {
          providerTool: 'trackerj.issues.transition',
          lookups: ['trackerj.issues.list_transitions'],
          readBack: 'trackerj.issues.get',
        },
      },
    });
    const closedAgain = await run('unified.tasks.close', { userId: 'carol', arguments: { id: 'ENG-1' } });
    expect((closedAgain.body as Result).data).toMatchObject({ status: 'done' });
    const read = await run('unified.tasks.get', { userId: 'carol', arguments: { id: 'ENG-1' } });
    expect((read.body as Result).data).toMatchObject({
      id: 'ENG-1',
      title: 'Flaky build',
      status: 'done',
      raw: { status: 'Done' },
    });
    const audit = await gh.call('GET', `/v1/audit?executionId=${(closed.body as Result).executionId}`, {
      key,
    });
    expect((audit.body as { items: Array<Record<string, unknown>> }).items[0]).toMatchObject({
      tool: 'unified.tasks.close',
      detail: {
        unified: {
          providerTool: 'trackerj.issues.transition',
          lookups: ['trackerj.issues.list_transitions'],
          readBack: 'trackerj.issues.get',
        },
      },
    });
  });

  it('one Cedar policy on the unified actions governs every provider: no closes, only my projects', async () => {
    await setPolicies(gh, key, [{ policies: example('unified-tasks-no-closes-my-projects') }], {
      projects: 'Set<String>',
    });
    const mine = { projects: ['octo/app'] };
    for (const x of TRACKERS) {
      const account = accounts.alice![x];
      const closed = await run('unified.tasks.close', {
        userId: 'alice',
        connectedAccountId: account,
        userAttributes: mine,
        arguments: { id: 'octo/app#1' },
      });
      expect((closed.body as Result).error, `tracker ${x}`).toMatchObject({
        code: 'policy_denied',
        message: expect.stringContaining('no closes'),
      });
      const elsewhere = await run('unified.tasks.create', {
        userId: 'alice',
        connectedAccountId: account,
        userAttributes: mine,
        arguments: { projectId: 'octo/secret', title: 'x' },
      });
      expect((elsewhere.body as Result).error, `tracker ${x}`).toMatchObject({
        code: 'policy_denied',
        message: expect.stringContaining('only my projects'),
      });
      const allowed = await run('unified.tasks.create', {
        userId: 'alice',
        connectedAccountId: account,
        userAttributes: mine,
        arguments: { projectId: 'octo/app', title: 'allowed' },
      });
      expect((allowed.body as Result).successful, `tracker ${x}: ${JSON.stringify(allowed.body)}`).toBe(true);
    }
    // A Jira-shaped tracker (another mapping, other tools) is governed by the same policy.
    const jira = await run('unified.tasks.close', {
      userId: 'carol',
      userAttributes: mine,
      arguments: { id: 'ENG-1' },
    });
    expect((jira.body as Result).error).toMatchObject({
      code: 'policy_denied',
      message: expect.stringContaining('no closes'),
    });
    // A task id that carries its project (GitHub owner/repo#12, Jira ENG-1) is decided on that project.
    const otherRepo = await run('unified.tasks.update', {
      userId: 'bob',
      userAttributes: mine,
      arguments: { id: 'octo/secret#1', title: 'x' },
    });
    expect((otherRepo.body as Result).error).toMatchObject({
      code: 'policy_denied',
      message: expect.stringContaining('only my projects'),
    });
    const jiraElsewhere = await run('unified.tasks.get', {
      userId: 'carol',
      userAttributes: { projects: ['octo/app', 'ENG'] },
      arguments: { id: 'OPS-7' },
    });
    expect((jiraElsewhere.body as Result).error).toMatchObject({
      code: 'policy_denied',
      message: expect.stringContaining('only my projects'),
    });
    const jiraMine = await run('unified.tasks.get', {
      userId: 'carol',
      userAttributes: { projects: ['octo/app', 'ENG'] },
      arguments: { id: 'ENG-1' },
    });
    expect((jiraMine.body as Result).successful, jiraMine.text).toBe(true);
    // The provider tool itself is still governed by its own name: a direct call is not a unified one.
    const direct = await run('trackera.issues.update', {
      userId: 'bob',
      userAttributes: mine,
      arguments: { owner: 'octo', repo: 'app', issue_number: 1, state: 'closed' },
    });
    expect((direct.body as Result).successful).toBe(true);
  });

  it('the same policy, written once on the Task resource, decides all five providers (policy dry run)', async () => {
    const draft = {
      sets: [{ name: 'main', mode: 'enforce', policies: example('unified-tasks-no-closes-my-projects') }],
      userAttributes: { projects: 'Set<String>' },
    };
    // Each provider's own project ids: a repository, a project key, a project gid, a list id, a team id.
    const PROJECTS = {
      github: { mine: 'octo/app', other: 'octo/secret' },
      jira: { mine: 'ENG', other: 'OPS' },
      asana: { mine: '1200000000000001', other: '1200000000000002' },
      trello: { mine: '5abbe4b7ddc1b351ef961414', other: '5abbe4b7ddc1b351ef961415' },
      linear: { mine: 'team-eng', other: 'team-ops' },
    } as const;
    const projects = Object.values(PROJECTS).map((p) => p.mine);
    const decide = async (tool: string, args: Record<string, unknown>) => {
      const res = await gh.call('POST', '/v1/policies/test', {
        key,
        body: {
          request: { userId: 'alice', userAttributes: { projects }, tool, arguments: args },
          policies: draft,
        },
      });
      expect(res.status, res.text).toBe(200);
      return res.body as { decision: string; policies: string[]; errors: string[] };
    };
    for (const [provider, p] of Object.entries(PROJECTS)) {
      const create = (projectId: string) =>
        decide('unified.tasks.create', { provider, projectId, title: 'x' });
      expect(await create(p.mine), `${provider}: my project`).toMatchObject({
        decision: 'allow',
        errors: [],
      });
      expect(await create(p.other), `${provider}: another project`).toMatchObject({
        decision: 'deny',
        policies: ['only my projects'],
      });
      expect(
        await decide('unified.tasks.list', { provider, projectId: p.other }),
        `${provider}: list another project`,
      ).toMatchObject({ decision: 'deny', policies: ['only my projects'] });
      expect(
        await decide('unified.tasks.close', { provider, id: 'T-1' }),
        `${provider}: close`,
      ).toMatchObject({
        decision: 'deny',
        policies: expect.arrayContaining(['no closes']),
      });
    }
  });
});
