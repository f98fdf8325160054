import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { initializeMessage, mcpPost, obtainTokens, registerClient, tokenRequest } from './support/oauth.js';
import { createMcpServer, type McpServerView } from './support/servers.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Consent {
  userId: string;
  clientId: string;
  scopes: string[];
  activeGrants: number;
}

describeEachDatabase("MCP grant admin: a profile's clients and consents, revoked by an operator", (t) => {
  let gh: TestGatehouse;
  let server: McpServerView;
  let apiKey: string;
  let runtimeKey: string;

  const base = () => `/v1/mcp/servers/${server.id}`;
  const consents = async (query = ''): Promise<Consent[]> => {
    const res = await gh.call('GET', `${base()}/consents${query}`, { key: apiKey });
    expect(res.status, res.text).toBe(200);
    return (res.body as { items: Consent[] }).items;
  };

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    ({ apiKey } = await gh.createProject('MCP grant admin'));
    server = await createMcpServer(gh, apiKey);
    const key = await gh.call('POST', '/v1/api-keys', { key: apiKey, body: { name: 'rt', role: 'runtime' } });
    runtimeKey = (key.body as { key: string }).key;
  });
  afterAll(async () => gh?.close());

  it("revoking a consent revokes that user's grants to that client only", async () => {
    const alice = await obtainTokens(server, { user: 'alice' });
    const bob = await obtainTokens(server, { user: 'bob', clientId: alice.clientId });
    const mine = (await consents()).filter((c) => c.clientId === alice.clientId);
    expect(mine.map((c) => [c.userId, c.activeGrants])).toEqual([
      ['alice', 1],
      ['bob', 1],
    ]);
    expect((await consents('?userId=bob')).map((c) => c.userId)).toEqual(['bob']);
    expect((await gh.call('GET', `${base()}/consents`, { key: runtimeKey })).status).toBe(403);

    const query = `?userId=alice&clientId=${encodeURIComponent(alice.clientId)}`;
    expect((await gh.call('DELETE', `${base()}/consents${query}`, { key: apiKey })).status).toBe(204);
    expect((await consents()).filter((c) => c.clientId === alice.clientId).map((c) => c.userId)).toEqual([
      'bob',
    ]);
    expect((await mcpPost(server.url, initializeMessage, bearer(alice.tokens.access_token))).status).toBe(
      401,
    );
    const refreshed = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: alice.tokens.refresh_token!,
      client_id: alice.clientId,
    });
    expect(refreshed.body.error).toBe('invalid_grant');
    expect((await mcpPost(server.url, initializeMessage, bearer(bob.tokens.access_token))).status).toBe(200);
    // Nothing left to revoke: not found.
    expect((await gh.call('DELETE', `${base()}/consents${query}`, { key: apiKey })).status).toBe(404);
    // The client comes back: the user consents again and a new grant is recorded.
    await obtainTokens(server, { user: 'alice', clientId: alice.clientId });
    const after = (await consents('?userId=alice')).find((c) => c.clientId === alice.clientId);
    expect(after?.activeGrants).toBe(1);
  });

  it('revoking a client deletes it with its consents and grants; unknown clients are 404', async () => {
    const carol = await obtainTokens(server, { user: 'carol' });
    const listed = await gh.call('GET', `${base()}/clients`, { key: apiKey });
    const clients = (listed.body as { items: Array<{ clientId: string; activeGrants: number }> }).items;
    expect(clients.find((c) => c.clientId === carol.clientId)?.activeGrants).toBe(1);
    expect(listed.text).not.toMatch(/secretHash|secret_hash|gth_cs_/);

    const gone = await gh.call('DELETE', `${base()}/clients/${carol.clientId}`, { key: apiKey });
    expect(gone.status, gone.text).toBe(204);
    expect((await consents()).some((c) => c.clientId === carol.clientId)).toBe(false);
    expect((await mcpPost(server.url, initializeMessage, bearer(carol.tokens.access_token))).status).toBe(
      401,
    );
    // The client's id no longer exists at the authorization server: it must register again.
    const again = await obtainTokens(server, { user: 'carol', clientId: carol.clientId }).catch(
      (e: Error) => e,
    );
    expect(again).toBeInstanceOf(Error);
    expect((await gh.call('DELETE', `${base()}/clients/${carol.clientId}`, { key: apiKey })).status).toBe(
      404,
    );
    const fresh = await registerClient(server);
    expect(fresh.status).toBe(201);
    const audit = await gh.call('GET', '/v1/audit?limit=10', { key: apiKey });
    const kinds = (audit.body as { items: Array<{ kind: string }> }).items.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['admin.mcp_client.revoked', 'admin.mcp_consent.revoked']));
  });
});
