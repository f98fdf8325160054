import { afterAll, beforeAll, expect, it } from 'vitest';
import { dumpDatabase } from '../support/connect.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { initializeMessage, mcpPost, obtainTokens } from './support/oauth.js';
import { createMcpServer, type McpServerView } from './support/servers.js';

describeEachDatabase('MCP server profiles API', (t) => {
  let gh: TestGatehouse;
  let apiKey: string;
  let otherKey: string;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    ({ apiKey } = await gh.createProject('profiles'));
    ({ apiKey: otherKey } = await gh.createProject('someone else'));
  });
  afterAll(async () => gh?.close());

  const post = (body: unknown) => gh.call('POST', '/v1/mcp/servers', { key: apiKey, body });

  it('validates toolkits, login methods and origins, naming the field', async () => {
    const base = { name: 'x', toolkits: ['acme'], login: { type: 'dev' } };
    const unknown = await post({ ...base, toolkits: ['acme', 'nope'] });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('unknown toolkits: nope');
    const both = await post({
      ...base,
      login: {
        type: 'handoff',
        loginUrl: 'https://app.example/login',
        secret: 's'.repeat(32),
        publicJwk: { kty: 'EC' },
      },
    });
    expect(both.text).toContain('exactly one of');
    const short = await post({
      ...base,
      login: { type: 'handoff', loginUrl: 'https://app.example/login', secret: 'short' },
    });
    expect(short.text).toContain('body.login.secret');
    const privateJwk = await post({
      ...base,
      login: {
        type: 'handoff',
        loginUrl: 'https://app.example/login',
        publicJwk: { kty: 'oct', k: 'AAAA', alg: 'HS256' },
      },
    });
    expect(privateJwk.text).toContain('public key');
    expect((await post({ ...base, allowedOrigins: ['https://app.example/path'] })).text).toContain(
      'is not an origin',
    );
    expect((await post({ ...base, extra: true })).status).toBe(400);
    expect((await post({ ...base, toolkits: [] })).status).toBe(400);
  });

  it('keeps the OIDC client secret in the vault: never shown, never stored in the clear', async () => {
    const secret = 'oidc-client-secret-that-must-not-leak';
    const created = await post({
      name: 'With IdP',
      toolkits: ['acme'],
      login: { type: 'oidc', issuer: 'https://idp.example.com', clientId: 'gatehouse', clientSecret: secret },
    });
    expect(created.status).toBe(201);
    const server = created.body as McpServerView;
    expect(server).toMatchObject({
      url: `${gh.url}/mcp/${server.id}`,
      authorizationServer: `${gh.url}/as/${server.id}`,
      login: {
        type: 'oidc',
        issuer: 'https://idp.example.com',
        clientId: 'gatehouse',
        scopes: ['openid'],
        userClaim: 'sub',
        hasClientSecret: true,
        redirectUri: `${gh.url}/as/${server.id}/login/oidc/callback`,
      },
    });
    const fetched = await gh.call('GET', `/v1/mcp/servers/${server.id}`, { key: apiKey });
    const listed = await gh.call('GET', '/v1/mcp/servers', { key: apiKey });
    for (const text of [
      created.text,
      fetched.text,
      listed.text,
      await dumpDatabase(gh.server.runtime.db),
      gh.logs.text(),
    ])
      expect(text).not.toContain(secret);
  });

  it('exposes exactly the profile’s toolkits, and a change applies to the next request', async () => {
    const server = await createMcpServer(gh, apiKey);
    const { tokens } = await obtainTokens(server, { user: 'alice' });
    const headers = { authorization: `Bearer ${tokens.access_token}` };
    const names = async () => {
      const res = await mcpPost(
        server.url,
        { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} },
        headers,
      );
      return (JSON.parse(res.text) as { result: { tools: Array<{ name: string }> } }).result.tools.map(
        (x) => x.name,
      );
    };
    expect((await names()).every((n) => n.startsWith('acme.'))).toBe(true);
    const patched = await gh.call('PATCH', `/v1/mcp/servers/${server.id}`, {
      key: apiKey,
      body: { toolkits: ['github'] },
    });
    expect(patched.status).toBe(200);
    const now = await names();
    expect(now.length).toBeGreaterThan(5);
    expect(now.every((n) => n.startsWith('github.'))).toBe(true);
    // A tool outside the profile is unknown here, whatever the token.
    const call = await mcpPost(
      server.url,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'acme.tasks.list', arguments: {} } },
      headers,
    );
    expect(JSON.parse(call.text)).toMatchObject({
      error: { code: -32602, message: expect.stringContaining('Unknown tool: acme.tasks.list') },
    });
  });

  it('another project cannot see, change or delete a profile; deleting it ends its endpoint and tokens', async () => {
    const server = await createMcpServer(gh, apiKey, { name: 'to delete' });
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'hijacked' }],
      ['DELETE', undefined],
    ] as const)
      expect((await gh.call(method, `/v1/mcp/servers/${server.id}`, { key: otherKey, body })).status).toBe(
        404,
      );
    const { tokens } = await obtainTokens(server, { user: 'alice' });
    const headers = { authorization: `Bearer ${tokens.access_token}` };
    expect((await mcpPost(server.url, initializeMessage, headers)).status).toBe(200);
    expect((await gh.call('DELETE', `/v1/mcp/servers/${server.id}`, { key: apiKey })).status).toBe(204);
    expect((await mcpPost(server.url, initializeMessage, headers)).status).toBe(404);
    expect((await gh.call('GET', `/.well-known/oauth-protected-resource/mcp/${server.id}`)).status).toBe(404);
    const { rows } = await gh.server.runtime.db.query(
      'SELECT 1 FROM mcp_token_families WHERE server_id = $1',
      [server.id],
    );
    expect(rows).toHaveLength(0);
  });
});
