import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execute, projectWithConnectedUsers, sandboxFor } from '../support/broker.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { AGENT, example, putPolicies, setPolicies } from './support.js';

interface Issue {
  set: string;
  policy: string | null;
  message: string;
  line: number;
  column: number;
}

describeEachDatabase('policies API: validation with line and column, versions, dry runs', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    p = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice']);
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const issuesOf = (body: Record<string, unknown>) =>
    ((body.error as { details: { issues: Issue[] } }).details.issues as Issue[]) ?? [];

  it('a syntax error is refused with the line and column where it is', async () => {
    const text = 'permit (principal, action, resource);\n\nforbid (principal, action resource);\n';
    const res = await putPolicies(gh, p.apiKey, [{ name: 'main', policies: text }]);
    expect(res.status).toBe(400);
    expect((res.body.error as { code: string }).code).toBe('invalid_policy');
    const [issue] = issuesOf(res.body);
    expect(issue).toMatchObject({ set: 'main', line: 3, column: 27 });
    expect((res.body.error as { message: string }).message).toContain('line 3, column 27');
  });

  it('a type error against the generated schema names the policy, line and column', async () => {
    const text = [
      'permit (principal, action, resource);',
      '@id("typo")',
      'forbid (principal, action == Gatehouse::Action::"acme.tasks.create", resource)',
      '  when { context.arguments.amont.greaterThan(decimal("1.0")) };',
    ].join('\n');
    const res = await putPolicies(gh, p.apiKey, [{ name: 'main', policies: text }]);
    expect(res.status).toBe(400);
    const [issue] = issuesOf(res.body);
    expect(issue).toMatchObject({ set: 'main', policy: 'typo', line: 4, column: 10 });
    expect(issue?.message).toMatch(/amont/);
  });

  it('a mistake in a policy over every action is reported once, not once per tool', async () => {
    const res = await putPolicies(gh, p.apiKey, [
      { name: 'main', policies: 'permit (principal, action, resource) when { context.nope };' },
    ]);
    expect(res.status).toBe(400);
    const issues = issuesOf(res.body);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 1, column: 45 });
    expect(issues[0]?.message).toMatch(/attribute `nope` in context not found \(for \d+ actions\)/);
  });

  it('an unknown tool, a misplaced @approval and undeclared user attributes are refused', async () => {
    const unknownTool = await putPolicies(gh, p.apiKey, [
      { policies: 'permit (principal, action == Gatehouse::Action::"acme.tasks.explode", resource);' },
    ]);
    expect(unknownTool.status).toBe(400);
    const approvalOnForbid = await putPolicies(gh, p.apiKey, [
      { policies: '@approval("required")\nforbid (principal, action, resource);' },
    ]);
    expect(approvalOnForbid.status).toBe(400);
    expect(issuesOf(approvalOnForbid.body)[0]?.message).toContain('@approval belongs on a permit');
    const undeclared = await putPolicies(gh, p.apiKey, [
      { policies: 'forbid (principal, action, resource) when { principal.role == "x" };' },
    ]);
    expect(undeclared.status).toBe(400);
    const declared = await putPolicies(
      gh,
      p.apiKey,
      [{ policies: 'permit (principal, action, resource) when { principal.role == "x" };' }],
      { role: 'String' },
    );
    expect(declared.status, declared.text).toBe(200);
  });

  it('bad input is a 4xx with the failing field, never a 500', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['PUT', '/v1/policies', { sets: 'permit' }],
      ['PUT', '/v1/policies', { sets: [{ name: 'BAD NAME', policies: '' }] }],
      ['PUT', '/v1/policies', { sets: [{ name: 'a', mode: 'audit', policies: '' }] }],
      ['PUT', '/v1/policies', { sets: [], userAttributes: { role: 'Float' } }],
      [
        'PUT',
        '/v1/policies',
        {
          sets: [
            { name: 'a', policies: '' },
            { name: 'a', policies: '' },
          ],
        },
      ],
      ['POST', '/v1/policies/test', { request: { userId: 'alice', tool: 'nope.tool' } }],
      [
        'POST',
        '/v1/policies/test',
        { request: { userId: 'alice', tool: 'acme.tasks.create', arguments: { title: 5 } } },
      ],
      ['POST', '/v1/policies/test', { request: { tool: 'acme.tasks.list' } }],
      ['GET', '/v1/policies/versions?cursor=abc', undefined],
      ['GET', '/v1/policies/versions/0', undefined],
    ];
    for (const [method, path, body] of cases) {
      const res = await gh.call(method, path, { key: p.apiKey, body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)} → ${res.text}`).toBeGreaterThanOrEqual(
        400,
      );
      expect(res.status).toBeLessThan(500);
      expect(res.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    const noKey = await gh.call('GET', '/v1/policies');
    expect(noKey.status).toBe(401);
  });

  it('every change is a version; the current one is served, older ones stay readable', async () => {
    const q = await projectWithConnectedUsers(
      gh,
      sandbox,
      { clientId: 'unused', clientSecret: 'unused' },
      [],
    );
    expect((await gh.call('GET', '/v1/policies', { key: q.apiKey })).body).toMatchObject({
      version: 0,
      sets: [],
    });
    await setPolicies(gh, q.apiKey, [{ name: 'main', policies: example('no-deletes') }]);
    await setPolicies(gh, q.apiKey, [{ name: 'main', policies: example('agents-read-only') }]);
    const current = await gh.call('GET', '/v1/policies', { key: q.apiKey });
    expect(current.body).toMatchObject({ version: 2, sets: [{ name: 'main', mode: 'enforce' }] });
    const versions = await gh.call('GET', '/v1/policies/versions?limit=1', { key: q.apiKey });
    const page = versions.body as { items: Array<{ version: number }>; nextCursor: string };
    expect(page.items.map((v) => v.version)).toEqual([2]);
    const next = await gh.call('GET', `/v1/policies/versions?limit=1&cursor=${page.nextCursor}`, {
      key: q.apiKey,
    });
    expect(
      (next.body as { items: Array<{ version: number; sets: Array<{ policies: string }> }> }).items[0],
    ).toMatchObject({
      version: 1,
      sets: [{ policies: example('no-deletes') }],
    });
    const schema = await gh.call('GET', '/v1/policies/schema', { key: q.apiKey });
    expect(schema.text).toContain('action "acme.tasks.create"');
    expect(schema.text).toContain('entity Account');
  });

  it('POST /v1/policies/test evaluates a draft without storing it, like a unit test in CI', async () => {
    await setPolicies(gh, p.apiKey, []); // an empty document: no policies, everything allowed
    const draft = {
      sets: [{ name: 'main', mode: 'enforce', policies: example('approval-for-writes') }],
      userAttributes: {},
    };
    const ask = (tool: string, args: Record<string, unknown>) =>
      gh.call('POST', '/v1/policies/test', {
        key: p.apiKey,
        body: { request: { userId: 'alice', tool, arguments: args, agentId: 'planner-1' }, policies: draft },
      });
    expect((await ask('acme.tasks.list', {})).body).toMatchObject({
      decision: 'allow',
      policies: ['reads run at once'],
    });
    expect((await ask('acme.tasks.create', { title: 't' })).body).toMatchObject({
      decision: 'approval_required',
      policies: ["changes need the user's approval"],
    });
    // Not stored: the project's own policies are unchanged.
    const live = await execute(gh, p.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} }, AGENT);
    expect(live.result.successful).toBe(true);
  });

  it('user attributes on execute must be declared and well-typed', async () => {
    await setPolicies(gh, p.apiKey, [{ policies: 'permit (principal, action, resource);' }], {
      level: 'Long?',
    });
    const ok = await execute(gh, p.apiKey, 'acme.tasks.list', {
      userId: 'alice',
      userAttributes: { level: 3 },
    });
    expect(ok.result.successful).toBe(true);
    const undeclared = await execute(gh, p.apiKey, 'acme.tasks.list', {
      userId: 'alice',
      userAttributes: { role: 'x' },
    });
    expect(undeclared.status).toBe(400);
    expect(undeclared.text).toContain('userAttributes.role');
    const wrongType = await execute(gh, p.apiKey, 'acme.tasks.list', {
      userId: 'alice',
      userAttributes: { level: 'high' },
    });
    expect(wrongType.status).toBe(400);
    const nested = await execute(gh, p.apiKey, 'acme.tasks.list', {
      userId: 'alice',
      userAttributes: { level: { a: 1 } },
    });
    expect(nested.status).toBe(400);
  });
});
