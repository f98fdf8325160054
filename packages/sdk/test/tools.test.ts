import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../server/src/store/db.js';
import { projectWithConnectedUsers, sandboxFor, type Task } from '../../server/test/support/broker.js';
import { completeLink } from '../../server/test/support/connect.js';
import { startTestGatehouse, type TestGatehouse } from '../../server/test/support/gatehouse.js';
import { Gatehouse, GatehouseApiError, isAuthorizationRequired, type Tool } from '../src/index.js';

let gh: TestGatehouse;
let sandbox: Sandbox;
let project: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
let sdk: Gatehouse;
let aliceAccount: string;

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  const started = await sandboxFor(gh);
  sandbox = started.sandbox;
  // alice connects with read and write, not delete; bob and carol have not connected.
  project = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice']);
  sdk = new Gatehouse({ baseUrl: gh.url, apiKey: project.apiKey });
  aliceAccount = project.accounts.alice!;
});
afterAll(async () => {
  await gh?.close();
  await sandbox?.close();
  await gh?.server.runtime.db.close();
});

const bySlug = (tools: Tool[]) => new Map(tools.map((t) => [t.slug, t]));

describe('SDK tools: discover what a user can run', () => {
  it('lists the acme tools with each user’s connection status', async () => {
    const alice = bySlug(await sdk.tools.get({ userId: 'alice', toolkits: ['acme'] }));
    expect([...alice.keys()].every((s) => s.startsWith('acme.'))).toBe(true);
    expect(alice.get('acme.tasks.create')).toMatchObject({
      toolkit: 'acme',
      provider: 'sandbox',
      risk: 'write',
      scopes: ['tasks:write'],
      inputSchema: { type: 'object', required: ['title'] },
      connection: {
        status: 'connected',
        connectedAccountIds: [aliceAccount],
        missingScopes: [],
      },
    });
    expect(alice.get('acme.tasks.delete')?.connection).toEqual({
      status: 'missing_scopes',
      connectedAccountIds: [aliceAccount],
      missingScopes: ['tasks:delete'],
    });

    const bob = await sdk.tools.list({ userId: 'bob', toolkits: ['acme'] });
    expect(bob.nextCursor).toBeNull();
    expect(bySlug(bob.items).get('acme.tasks.create')?.connection).toEqual({
      status: 'not_connected',
      connectedAccountIds: [],
      missingScopes: ['tasks:write'],
    });
    // Without a user there is nothing to say about connections.
    const anonymous = await sdk.tools.retrieve('acme.tasks.list');
    expect(anonymous.connection).toBeUndefined();
  });

  it('finds tools by intent (ranked, best first) and retrieves one for a user', async () => {
    const found = await sdk.tools.get({ toolkits: ['acme'], search: 'delete task' });
    expect(found[0]?.slug).toBe('acme.tasks.delete');
    expect(found.every((t) => t.toolkit === 'acme')).toBe(true);
    const one = await sdk.tools.retrieve('acme.tasks.list', { userId: 'alice' });
    expect(one).toMatchObject({ slug: 'acme.tasks.list', connection: { status: 'connected' } });
    await expect(sdk.tools.retrieve('acme.nothing.here')).rejects.toMatchObject({
      status: 404,
      code: 'tool_not_found',
    });
  });
});

describe('SDK tools: execute as the user', () => {
  it('alice creates a task and then finds it in her list', async () => {
    const created = await sdk.tools.execute<Task>('acme.tasks.create', {
      userId: 'alice',
      arguments: { title: 'sdk: book the venue' },
    });
    expect(created.successful).toBe(true);
    if (!created.successful) throw new Error(created.error.message);
    expect(created.data).toMatchObject({ title: 'sdk: book the venue', ownerId: 'alice' });
    expect(created.executionId).toMatch(/^exe_/);

    const listed = await sdk.tools.execute<Task[]>('acme.tasks.list', {
      userId: 'alice',
      arguments: { limit: 100 },
    });
    expect(listed.successful && listed.data.map((t) => t.id)).toContain(created.data.id);
  });

  it('returns authorization_required (not thrown) with a link that really connects the user', async () => {
    const result = await sdk.tools.execute('acme.tasks.create', {
      userId: 'carol',
      arguments: { title: 'carol: call the bank' },
    });
    expect(result.successful).toBe(false);
    expect(isAuthorizationRequired(result)).toBe(true);
    if (!isAuthorizationRequired(result)) return;
    const details = result.error.details;
    expect(details).toMatchObject({
      reason: 'no_account',
      provider: 'sandbox',
      connectedAccountId: null,
      connectLink: { id: expect.stringMatching(/^cl_/), expiresAt: expect.any(String) },
    });
    expect(details.missingScopes).toContain('tasks:write');

    const done = await completeLink(details.connectLink.redirectUrl, { username: 'carol' });
    expect(done.status, done.text).toBe(200);
    const link = await sdk.connectedAccounts.getLink(details.connectLink.id);
    expect(link.status).toBe('COMPLETED');
    const retried = await sdk.tools.execute<Task>('acme.tasks.create', {
      userId: 'carol',
      arguments: { title: 'carol: call the bank' },
    });
    expect(retried).toMatchObject({ successful: true, data: { ownerId: 'carol' } });
  });

  it('returns upstream failures as results and throws request errors with the server’s code', async () => {
    const missing = await sdk.tools.execute('acme.tasks.get', {
      userId: 'alice',
      arguments: { id: 'task_does_not_exist' },
    });
    expect(missing).toMatchObject({
      successful: false,
      data: null,
      error: { code: 'upstream_error', details: { status: 404 } },
    });
    expect(isAuthorizationRequired(missing)).toBe(false);

    const err = await sdk.tools
      .execute('acme.tasks.create', { userId: 'alice', arguments: { title: 42 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatehouseApiError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_arguments' });
    expect((err as GatehouseApiError).details).toMatchObject({
      issues: expect.any(Array),
      executionId: expect.stringMatching(/^exe_/),
    });
  });
});

describe('SDK proxy and audit', () => {
  it('proxies a raw request with alice’s token and records it', async () => {
    const res = await sdk.proxy({
      connectedAccountId: aliceAccount,
      method: 'POST',
      path: '/debug/echo',
      query: { q: 'x' },
      headers: { 'x-trace': 'sdk' },
      body: { hello: 'proxy' },
    });
    expect(res).toMatchObject({
      status: 200,
      bodyEncoding: 'json',
      body: { method: 'POST', path: '/api/debug/echo', query: { q: 'x' }, body: { hello: 'proxy' } },
    });
    expect(res.executionId).toMatch(/^exe_/);
    const me = await sdk.proxy({ connectedAccountId: aliceAccount, method: 'GET', path: '/me' });
    expect(me).toMatchObject({ status: 200, body: { id: 'alice' } });
    await expect(
      sdk.proxy({ connectedAccountId: 'ca_nope', method: 'GET', path: '/me' }),
    ).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('audit shows the calls made by an agent scoped with withAgent', async () => {
    const since = new Date(Date.now() - 1000);
    const planner = sdk.withAgent('planner-7');
    const created = await planner.tools.execute('acme.tasks.create', {
      userId: 'alice',
      arguments: { title: 'planner: water the plants' },
    });
    const proxied = await planner.proxy({
      connectedAccountId: aliceAccount,
      method: 'GET',
      path: '/me',
    });
    // The original client is unchanged: no agent id.
    const plain = await sdk.tools.execute('acme.me.get', { userId: 'alice' });

    const mine = await sdk.audit.list({ agentId: 'planner-7', since });
    expect(mine.items.map((e) => [e.kind, e.executionId, e.outcome]).sort()).toEqual(
      [
        ['proxy.request', proxied.executionId, 'success'],
        ['tool.execute', created.executionId, 'success'],
      ].sort(),
    );
    const event = mine.items.find((e) => e.kind === 'tool.execute')!;
    expect(event).toMatchObject({
      userId: 'alice',
      agentId: 'planner-7',
      tool: 'acme.tasks.create',
      provider: 'sandbox',
      connectedAccountId: aliceAccount,
      detail: { arguments: { title: 'planner: water the plants' } },
    });
    const aliceCreates = await sdk.audit.list({ userId: 'alice', tool: 'acme.tasks.create', limit: 1 });
    expect(aliceCreates.items).toHaveLength(1);
    expect(aliceCreates.nextCursor).not.toBeNull();
    const byExecution = await sdk.audit.list({ executionId: plain.executionId });
    expect(byExecution.items).toMatchObject([{ agentId: null, tool: 'acme.me.get' }]);

    // The header really is sent: the server refuses a malformed agent id on execute.
    const badAgent = sdk.withAgent('not a valid id!');
    await expect(badAgent.tools.execute('acme.me.get', { userId: 'alice' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
  });
});
