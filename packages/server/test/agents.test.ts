import type { Sandbox } from '@gatehouse/sandbox';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { example, setPolicies } from './governance/support.js';
import { execute, projectWithConnectedUsers, sandboxFor } from './support/broker.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface KeyBody {
  id: string;
  role: string;
  agentId: string | null;
  prefix: string;
  key: string;
  revokedAt: string | null;
}
interface AgentBody {
  id: string;
  name: string | null;
  description: string | null;
  disabledAt: string | null;
  key: KeyBody;
}

describeEachDatabase('agents: registered principals whose identity comes from their key', (t) => {
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

  const project = () => projectWithConnectedUsers(gh, sandbox, client, ['alice']);
  const runtimeKeyOf = async (adminKey: string): Promise<string> => {
    const res = await gh.call('POST', '/v1/api-keys', { key: adminKey, body: { role: 'runtime' } });
    expect(res.status, res.text).toBe(201);
    return (res.body as KeyBody).key;
  };
  const register = async (adminKey: string, body: Record<string, unknown>): Promise<AgentBody> => {
    const res = await gh.call('POST', '/v1/agents', { key: adminKey, body });
    expect(res.status, res.text).toBe(201);
    return res.body as AgentBody;
  };
  const listTasks = (key: string, headers: Record<string, string> = {}) =>
    execute(gh, key, 'acme.tasks.list', { userId: 'alice', arguments: {} }, headers);
  const createTask = (key: string, headers: Record<string, string> = {}) =>
    execute(
      gh,
      key,
      'acme.tasks.create',
      { userId: 'alice', arguments: { title: 'from an agent' } },
      headers,
    );
  // gh.call answers `body`; execute answers the same JSON as `result`.
  const errorOf = (res: { body?: unknown; result?: unknown }) =>
    ((res.body ?? res.result) as ErrorBody).error;

  it('an admin registers an agent and gets its key once; the agent key executes and the audit row names the agent', async () => {
    const p = await project();
    const agent = await register(p.apiKey, {
      id: 'planner-1',
      name: 'Planner',
      description: 'plans the week',
    });
    expect(agent).toMatchObject({
      id: 'planner-1',
      name: 'Planner',
      description: 'plans the week',
      disabledAt: null,
    });
    expect(agent.key).toMatchObject({ role: 'runtime', agentId: 'planner-1' });
    expect(agent.key.key).toMatch(/^gth_ak_[A-Za-z0-9]{12}_[A-Za-z0-9]{40}$/);
    expect(agent.key.key.startsWith(agent.key.prefix)).toBe(true);

    const read = await gh.call('GET', '/v1/agents/planner-1', { key: p.apiKey });
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({ id: 'planner-1', keys: [{ id: agent.key.id, agentId: 'planner-1' }] });
    expect(read.text).not.toContain(agent.key.key);
    const list = await gh.call('GET', '/v1/agents', { key: p.apiKey });
    expect(list.body).toMatchObject({ items: [{ id: 'planner-1' }], nextCursor: null });
    // One table of keys: the agent key is listed, and revocable, with the project's keys.
    const keys = await gh.call('GET', '/v1/api-keys', { key: p.apiKey });
    expect(keys.text).toContain(agent.key.id);

    const res = await listTasks(agent.key.key);
    expect(res.status, res.text).toBe(200);
    expect(res.result.successful).toBe(true);
    const audit = await gh.call('GET', `/v1/audit?executionId=${res.result.executionId}`, {
      key: agent.key.key,
    });
    expect(audit.status, audit.text).toBe(200);
    expect((audit.body as { items: unknown[] }).items[0]).toMatchObject({
      agentId: 'planner-1',
      userId: 'alice',
      tool: 'acme.tasks.list',
      outcome: 'success',
    });
    // Naming itself is allowed (the SDK's agentId option), and changes nothing.
    const named = await listTasks(agent.key.key, { 'gatehouse-agent-id': 'planner-1' });
    expect(named.result.successful).toBe(true);
    // Registering is an admin action in the audit trail, with the acting key; the agent key is not in it.
    const trail = await gh.call('GET', '/v1/audit?limit=200', { key: p.apiKey });
    const registered = (
      trail.body as { items: Array<{ kind: string; detail: Record<string, unknown> }> }
    ).items.find((e) => e.kind === 'admin.agent.registered');
    expect(registered?.detail).toMatchObject({
      agentId: 'planner-1',
      keyId: agent.key.id,
      apiKeyId: expect.any(String),
    });
    expect(trail.text).not.toContain(agent.key.key);
  });

  it('a runtime key cannot register, list or delete agents; nor can an agent key, or mint itself a key', async () => {
    const p = await project();
    const agent = await register(p.apiKey, { id: 'planner-1' });
    const runtimeKey = await runtimeKeyOf(p.apiKey);
    for (const key of [runtimeKey, agent.key.key]) {
      for (const [method, path, body] of [
        ['POST', '/v1/agents', { id: 'sneaky' }],
        ['GET', '/v1/agents', undefined],
        ['GET', '/v1/agents/planner-1', undefined],
        ['DELETE', '/v1/agents/planner-1', undefined],
        ['POST', '/v1/agents/planner-1/keys', undefined],
        ['POST', '/v1/api-keys', { role: 'runtime' }],
        ['PUT', '/v1/limits', {}],
      ] as const) {
        const res = await gh.call(method, path, body === undefined ? { key } : { key, body });
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
        expect(errorOf(res).code).toBe('forbidden');
      }
    }
  });

  it('agents-read-only applies to the agent key and cannot be dodged by omitting or spoofing the header', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('agents-read-only') }]);
    const agent = await register(p.apiKey, { id: 'planner-1' });
    const runtimeKey = await runtimeKeyOf(p.apiKey);
    const before = sandbox.stats().apiRequests;

    // No header: the key still names the agent.
    expect((await listTasks(agent.key.key)).result.successful).toBe(true);
    const create = await createTask(agent.key.key);
    expect(create.result.error).toMatchObject({ code: 'policy_denied' });

    // Spoofing another agent (or an unregistered id) is refused before anything runs.
    const spoofed = await createTask(agent.key.key, { 'gatehouse-agent-id': 'human-console' });
    expect(spoofed.status, spoofed.text).toBe(403);
    expect(errorOf(spoofed)).toMatchObject({ code: 'forbidden' });
    expect(errorOf(spoofed).message).toContain('this key belongs to agent planner-1');

    // A plain runtime key cannot claim an agent at all.
    const claimed = await listTasks(runtimeKey, { 'gatehouse-agent-id': 'planner-1' });
    expect(claimed.status, claimed.text).toBe(403);
    expect(errorOf(claimed).code).toBe('forbidden');
    expect(errorOf(claimed).message).toContain('agent identity comes from an agent key');
    expect(errorOf(claimed).message).toContain('POST /v1/agents');

    // The proxy takes its agent from the key the same way.
    const proxied = await gh.call('POST', '/v1/proxy', {
      key: agent.key.key,
      headers: { 'gatehouse-agent-id': 'someone-else' },
      body: { connectedAccountId: p.accounts.alice, method: 'GET', path: '/tasks' },
    });
    expect(proxied.status, proxied.text).toBe(403);

    // Only the allowed read reached the upstream.
    expect(sandbox.stats().apiRequests - before).toBe(1);
    // An admin key may still assert an agent (back office, tests), and is then governed as it.
    const asserted = await createTask(p.apiKey, { 'gatehouse-agent-id': 'planner-1' });
    expect(asserted.result.error).toMatchObject({ code: 'policy_denied' });
  });

  it('a per-agent rate limit counts the agent key whatever the header says', async () => {
    const p = await project();
    const put = await gh.call('PUT', '/v1/limits', {
      key: p.apiKey,
      body: { rateLimits: [{ per: 'agent', limit: 2, windowSeconds: 3600 }] },
    });
    expect(put.status, put.text).toBe(200);
    const agent = await register(p.apiKey, { id: 'planner-1' });
    expect((await listTasks(agent.key.key)).result.successful).toBe(true);
    expect((await listTasks(agent.key.key, { 'gatehouse-agent-id': 'planner-1' })).result.successful).toBe(
      true,
    );
    const third = await listTasks(agent.key.key);
    expect(third.result.error).toMatchObject({
      code: 'rate_limited',
      details: { per: 'agent', agentId: 'planner-1', limit: 2 },
    });
    // A second key of the same agent shares its counter: rotation is no way around the limit.
    const rotated = await gh.call('POST', '/v1/agents/planner-1/keys', { key: p.apiKey });
    expect(rotated.status, rotated.text).toBe(201);
    const viaNewKey = await listTasks((rotated.body as KeyBody).key);
    expect(viaNewKey.result.error).toMatchObject({ code: 'rate_limited' });
    const usage = await gh.call('GET', '/v1/usage?groupBy=agent', { key: p.apiKey });
    expect(usage.text).toContain('planner-1');
  });

  it('keys rotate: a new key works, a revoked one stops at once', async () => {
    const p = await project();
    const agent = await register(p.apiKey, { id: 'planner-1' });
    const rotated = await gh.call('POST', '/v1/agents/planner-1/keys', { key: p.apiKey });
    expect(rotated.status, rotated.text).toBe(201);
    const fresh = rotated.body as KeyBody;
    expect(fresh).toMatchObject({ agentId: 'planner-1', role: 'runtime' });
    expect((await listTasks(agent.key.key)).result.successful).toBe(true); // cached as verified
    const revoked = await gh.call('DELETE', `/v1/agents/planner-1/keys/${agent.key.id}`, { key: p.apiKey });
    expect(revoked.status, revoked.text).toBe(200);
    expect((revoked.body as KeyBody).revokedAt).not.toBeNull();
    const old = await listTasks(agent.key.key);
    expect(old.status).toBe(401);
    expect((await listTasks(fresh.key)).result.successful).toBe(true);
    // A key of the project that is not this agent's is not revoked through the agent.
    const other = await gh.call('DELETE', '/v1/agents/planner-1/keys/key_doesnotexist', { key: p.apiKey });
    expect(other.status).toBe(404);
  });

  it("a deleted agent's keys stop working at once and its id is not reused", async () => {
    const p = await project();
    const agent = await register(p.apiKey, { id: 'planner-1' });
    expect((await listTasks(agent.key.key)).result.successful).toBe(true); // now cached as verified
    const deleted = await gh.call('DELETE', '/v1/agents/planner-1', { key: p.apiKey });
    expect(deleted.status, deleted.text).toBe(200);
    expect((deleted.body as AgentBody).disabledAt).not.toBeNull();
    const after = await listTasks(agent.key.key);
    expect(after.status, after.text).toBe(401);
    expect(errorOf(after).code).toBe('api_key_revoked');
    const again = await gh.call('POST', '/v1/agents', { key: p.apiKey, body: { id: 'planner-1' } });
    expect(again.status).toBe(409);
    const newKey = await gh.call('POST', '/v1/agents/planner-1/keys', { key: p.apiKey });
    expect(newKey.status).toBe(409);
    const read = await gh.call('GET', '/v1/agents/planner-1', { key: p.apiKey });
    expect(read.body).toMatchObject({
      id: 'planner-1',
      disabledAt: expect.any(String),
      keys: [{ revokedAt: expect.any(String) }],
    });
  });

  it('a key issued while the agent is being deleted does not outlive it', async () => {
    const p = await project();
    await register(p.apiKey, { id: 'planner-1' });
    const issue = () => gh.call('POST', '/v1/agents/planner-1/keys', { key: p.apiKey });
    const results = await Promise.all([
      issue(),
      issue(),
      gh.call('DELETE', '/v1/agents/planner-1', { key: p.apiKey }),
      issue(),
      issue(),
    ]);
    expect(results[2]!.status).toBe(200);
    for (const res of results.filter((r) => r.status === 201))
      expect((await listTasks((res.body as KeyBody).key)).status).toBe(401);
    const read = await gh.call('GET', '/v1/agents/planner-1', { key: p.apiKey });
    const keys = (read.body as { keys: KeyBody[] }).keys;
    expect(keys.every((k) => k.revokedAt !== null)).toBe(true);
  });

  it("another project's agents are not visible, and ids are per project", async () => {
    const acme = await project();
    const other = await project();
    await register(acme.apiKey, { id: 'team/planner' });
    // An id with a slash is addressed URL-encoded.
    expect((await gh.call('GET', '/v1/agents/team%2Fplanner', { key: acme.apiKey })).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/v1/agents/team%2Fplanner'],
      ['DELETE', '/v1/agents/team%2Fplanner'],
      ['POST', '/v1/agents/team%2Fplanner/keys'],
    ] as const) {
      const res = await gh.call(method, path, { key: other.apiKey });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await gh.call('GET', '/v1/agents', { key: other.apiKey })).body).toMatchObject({ items: [] });
    const own = await register(other.apiKey, { id: 'team/planner' });
    expect(own.key.agentId).toBe('team/planner');
    expect((await gh.call('GET', '/v1/agents/team%2Fplanner', { key: acme.apiKey })).body).toMatchObject({
      disabledAt: null,
    });
  });

  it('a per-user MCP URL minted with an agent key acts as the agent, and dies with it', async () => {
    const p = await project();
    await setPolicies(gh, p.apiKey, [{ policies: example('agents-read-only') }]);
    const agent = await register(p.apiKey, { id: 'planner-1' });
    const minted = await gh.call('POST', '/v1/mcp/sessions', {
      key: agent.key.key,
      body: { userId: 'alice', toolkits: ['acme'] },
    });
    expect(minted.status, minted.text).toBe(201);
    const { url, credential } = minted.body as { url: string; credential: string; agentId: string };
    expect(minted.body).toMatchObject({ agentId: 'planner-1' });

    const client = new Client({ name: 'agent-mcp-client', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: `Bearer ${credential}` } },
      }),
    );
    try {
      const listed = await client.callTool({ name: 'acme.tasks.list', arguments: {} });
      expect(listed.isError).toBeFalsy();
      const created = await client.callTool({ name: 'acme.tasks.create', arguments: { title: 'via mcp' } });
      expect(created.isError).toBe(true); // agents-read-only: the agent is planner-1, not an MCP session
      const audit = await gh.call('GET', '/v1/audit?agentId=planner-1&tool=acme.tasks.create', {
        key: p.apiKey,
      });
      expect((audit.body as { items: unknown[] }).items[0]).toMatchObject({
        agentId: 'planner-1',
        outcome: 'policy_denied',
      });

      expect((await gh.call('DELETE', '/v1/agents/planner-1', { key: p.apiKey })).status).toBe(200);
      await expect(client.callTool({ name: 'acme.tasks.list', arguments: {} })).rejects.toThrow(/revoked/);
    } finally {
      await client.close();
    }
  });

  it('agent ids are validated and lists page in id order', async () => {
    const p = await project();
    for (const id of ['', '-leading-dash', 'has space', 'x'.repeat(129)]) {
      const res = await gh.call('POST', '/v1/agents', { key: p.apiKey, body: { id } });
      expect(res.status, id).toBe(400);
    }
    for (const id of ['c-agent', 'a-agent', 'b-agent']) await register(p.apiKey, { id });
    const first = await gh.call('GET', '/v1/agents?limit=2', { key: p.apiKey });
    const page = first.body as { items: Array<{ id: string }>; nextCursor: string };
    expect(page.items.map((a) => a.id)).toEqual(['a-agent', 'b-agent']);
    const second = await gh.call('GET', `/v1/agents?limit=2&cursor=${page.nextCursor}`, { key: p.apiKey });
    expect(second.body).toMatchObject({ items: [{ id: 'c-agent' }], nextCursor: null });
    expect((await gh.call('GET', '/v1/agents?cursor=%21%21', { key: p.apiKey })).status).toBe(400);
  });
});
