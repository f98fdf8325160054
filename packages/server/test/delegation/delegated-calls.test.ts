import type { Sandbox } from '@gatehouse/sandbox';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { example, setPolicies } from '../governance/support.js';
import { createMcpServer } from '../mcp/support/servers.js';
import { projectWithConnectedUsers, sandboxFor, type ToolResult } from '../support/broker.js';
import { describeEachDatabase } from '../support/databases.js';
import {
  AssertingAgent,
  claimsOf,
  type DelegationView,
  exchange,
  exchanged,
  registerAgent,
  TestIdp,
  TYPE,
  trustIdp,
} from '../support/delegation.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

const ALL_SCOPES = ['openid', 'tasks:read', 'tasks:write', 'tasks:delete'];

interface AuditItem {
  executionId: string;
  agentId: string | null;
  userId: string | null;
  outcome: string;
  delegation: unknown;
  detail: { policy?: { decision: string; policies: string[] } };
}

describeEachDatabase('delegation: exchanged tokens act for one user, as a verified chain of agents', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let idp: TestIdp;
  let project: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
  let urls: DelegationView;
  let supportKey: string;
  let summariser: AssertingAgent;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    idp = await TestIdp.start();
    project = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice', 'bob'], ALL_SCOPES);
    urls = await trustIdp(gh, project.apiKey, idp);
    supportKey = await registerAgent(gh, project.apiKey, 'support-agent');
    summariser = await AssertingAgent.register(gh, project.apiKey, 'summariser');
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
    await idp?.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** alice signs in to the app; the app exchanges her token for the support agent. */
  const aliceToSupport = async (form: Record<string, string> = {}) =>
    exchanged(urls.tokenEndpoint, {
      subject_token: await idp.userToken('alice'),
      subject_token_type: TYPE.jwt,
      actor_token: supportKey,
      actor_token_type: TYPE.agentKey,
      ...form,
    });

  /** The support agent hands its token to the summariser, which exchanges it with its own assertion. */
  const supportToSummariser = async (supportToken: string, form: Record<string, string> = {}) =>
    exchanged(urls.tokenEndpoint, {
      subject_token: supportToken,
      subject_token_type: TYPE.accessToken,
      actor_token: await summariser.assertion(urls.tokenEndpoint),
      actor_token_type: TYPE.jwt,
      ...form,
    });

  const run = async (token: string, slug: string, body: Record<string, unknown>) => {
    const res = await gh.call('POST', `/v1/tools/${slug}/execute`, { key: token, body });
    return { ...res, result: res.body as ToolResult };
  };

  const auditOf = async (executionId: string): Promise<AuditItem> => {
    const res = await gh.call('GET', `/v1/audit?executionId=${executionId}`, { key: project.apiKey });
    return (res.body as { items: AuditItem[] }).items[0]!;
  };

  it('a token exchanged for the support agent acts for alice as that agent, and audit says so', async () => {
    const token = await aliceToSupport();
    expect(claimsOf(token)).toMatchObject({
      sub: 'alice',
      act: { sub: 'support-agent' },
      aud: urls.apiAudience,
    });
    const listed = await run(token, 'acme.tasks.list', { userId: 'alice', arguments: {} });
    expect(listed.status).toBe(200);
    expect(listed.result.successful).toBe(true);
    const row = await auditOf(listed.result.executionId);
    expect(row).toMatchObject({
      userId: 'alice',
      agentId: 'support-agent',
      outcome: 'success',
      delegation: { sub: 'support-agent' },
    });
  });

  it('a sub-agent chain two deep reaches Cedar and the audit: the summariser may only read', async () => {
    await setPolicies(gh, project.apiKey, [{ policies: example('sub-agents-of-support-read-only') }]);
    try {
      const supportToken = await aliceToSupport();
      const subToken = await supportToSummariser(supportToken);
      expect(claimsOf(subToken)).toMatchObject({
        sub: 'alice',
        act: { sub: 'summariser', act: { sub: 'support-agent' } },
        client_id: 'summariser',
      });

      const read = await run(subToken, 'acme.tasks.list', { userId: 'alice', arguments: {} });
      expect(read.result.successful).toBe(true);
      const before = sandbox.stats().apiRequests;
      const write = await run(subToken, 'acme.tasks.create', { userId: 'alice', arguments: { title: 'x' } });
      expect(write.result.error).toMatchObject({
        code: 'policy_denied',
        details: { policies: ['sub-agents of the support agent may only read'] },
      });
      expect(sandbox.stats().apiRequests).toBe(before); // the upstream never saw it
      // The support agent itself is not a sub-agent of anyone: it may write.
      const own = await run(supportToken, 'acme.tasks.create', {
        userId: 'alice',
        arguments: { title: 'y' },
      });
      expect(own.result.successful).toBe(true);

      const denied = await auditOf(write.result.executionId);
      expect(denied).toMatchObject({
        agentId: 'summariser',
        userId: 'alice',
        outcome: 'policy_denied',
        delegation: { sub: 'summariser', act: { sub: 'support-agent' } },
      });
      expect(denied.detail.policy).toMatchObject({ decision: 'deny' });
      // The chain is part of the hashed row: the audit trail still verifies end to end.
      const verified = await gh.call('GET', '/v1/audit/verify', { key: project.apiKey });
      expect(verified.body).toMatchObject({ ok: true });
    } finally {
      await setPolicies(gh, project.apiKey, []);
    }
  });

  it('a token acts for its user only: a body naming bob is refused', async () => {
    const token = await aliceToSupport();
    const res = await run(token, 'acme.tasks.list', { userId: 'bob', arguments: {} });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('an agent header naming another agent is refused: the token names the agent', async () => {
    const token = await aliceToSupport();
    const res = await gh.call('POST', '/v1/tools/acme.tasks.list/execute', {
      key: token,
      body: { userId: 'alice', arguments: {} },
      headers: { 'gatehouse-agent-id': 'planner-1' },
    });
    expect(res.status).toBe(403);
  });

  it('an expired exchanged token is refused with invalid_token and an RFC 6750 challenge', async () => {
    const token = await aliceToSupport();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 16 * 60_000);
    const res = await run(token, 'acme.tasks.list', { userId: 'alice', arguments: {} });
    vi.useRealTimers();
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'invalid_token', message: 'the token expired' } });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it('a token for an MCP server is refused by the REST API (wrong audience), and forged or foreign ones too', async () => {
    const server = await createMcpServer(gh, project.apiKey);
    const token = await aliceToSupport({ resource: server.url });
    expect(claimsOf(token).aud).toBe(server.url);
    const res = await run(token, 'acme.tasks.list', { userId: 'alice', arguments: {} });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      error: { code: 'invalid_token', message: 'the token is for another audience' },
    });
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const good = await aliceToSupport();
    const [h, p, s] = good.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claimsOf(good), sub: 'bob' })).toString('base64url')}.${s}`;
    expect(p).not.toBe(tampered.split('.')[1]);
    const forged = await run(tampered, 'acme.tasks.list', { userId: 'bob', arguments: {} });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'invalid_token' } });
    // The IdP's own token is not a Gatehouse credential: unknown issuer.
    const idpToken = await run(await idp.userToken('alice'), 'acme.tasks.list', {
      userId: 'alice',
      arguments: {},
    });
    expect(idpToken.status).toBe(401);
    expect(idpToken.body).toMatchObject({
      error: { code: 'invalid_token', message: expect.stringContaining('unknown issuer') },
    });
    expect(idpToken.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('a read-only token cannot write: 403 insufficient_scope naming the scope it needs', async () => {
    const token = await aliceToSupport({ scope: 'tools:read' });
    const before = sandbox.stats().apiRequests;
    const res = await run(token, 'acme.tasks.create', { userId: 'alice', arguments: { title: 'no' } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      error: { code: 'insufficient_scope', details: { requiredScope: 'tools:write' } },
    });
    expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="tools:write"/);
    expect(sandbox.stats().apiRequests).toBe(before);
  });

  it("proxy: the token's user's account with the proxy scope; another user's account is refused", async () => {
    await gh.call('PUT', '/v1/settings/proxy', { key: project.apiKey, body: { enabled: true } });
    const token = await aliceToSupport();
    const mine = await gh.call('POST', '/v1/proxy', {
      key: token,
      body: { connectedAccountId: project.accounts.alice, method: 'GET', path: '/tasks' },
    });
    expect(mine.status).toBe(200);
    const theirs = await gh.call('POST', '/v1/proxy', {
      key: token,
      body: { connectedAccountId: project.accounts.bob, method: 'GET', path: '/tasks' },
    });
    expect(theirs.status).toBe(403);
    expect(theirs.body).toMatchObject({ error: { code: 'forbidden' } });
    const noProxy = await aliceToSupport({ scope: 'tools:read tools:write' });
    const refused = await gh.call('POST', '/v1/proxy', {
      key: noProxy,
      body: { connectedAccountId: project.accounts.alice, method: 'GET', path: '/tasks' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'insufficient_scope' } });
  });

  it('MCP: a token exchanged for the MCP server works with the official SDK client, and audit records the chain', async () => {
    const server = await createMcpServer(gh, project.apiKey);
    const token = await supportToSummariser(await aliceToSupport(), { resource: server.url });
    const client = new Client({ name: 'delegated-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    try {
      const result = await client.callTool({ name: 'acme.tasks.list', arguments: {} });
      expect(result.isError).toBeFalsy();
    } finally {
      await client.close();
    }
    const res = await gh.call('GET', '/v1/audit?agentId=summariser&tool=acme.tasks.list', {
      key: project.apiKey,
    });
    const rows = (res.body as { items: AuditItem[] }).items;
    expect(rows[0]).toMatchObject({
      userId: 'alice',
      agentId: 'summariser',
      delegation: { sub: 'summariser', act: { sub: 'support-agent' } },
    });

    // The REST API's token is not this server's: another audience.
    const apiToken = await aliceToSupport();
    const refused = await fetch(server.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('the published JWKS verifies issued tokens, and a rotated key keeps earlier tokens valid', async () => {
    const before = await aliceToSupport();
    const jwks = (await (await fetch(urls.jwksUri)).json()) as { keys: Array<{ kid: string }> };
    const kidOf = (jwt: string) =>
      (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
    expect(jwks.keys.map((k) => k.kid)).toContain(kidOf(before));
    const rotated = await gh.call('POST', '/v1/settings/delegation/rotate-key', { key: project.apiKey });
    expect(rotated.status).toBe(200);
    const after = await aliceToSupport();
    expect(kidOf(after)).not.toBe(kidOf(before));
    const published = (rotated.body as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
    expect(published).toEqual(expect.arrayContaining([kidOf(before), kidOf(after)]));
    for (const token of [before, after]) {
      const res = await run(token, 'acme.tasks.list', { userId: 'alice', arguments: {} });
      expect(res.result.successful).toBe(true);
    }
  });

  it('an exchange refused at the token endpoint answers in OAuth form', async () => {
    const res = await exchange(urls.tokenEndpoint, {
      subject_token: await idp.userToken('alice'),
      subject_token_type: TYPE.jwt,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request' });
    expect(res.body.error_description).toContain('actor_token');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
