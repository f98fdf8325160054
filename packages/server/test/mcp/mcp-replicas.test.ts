import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateMasterKey } from '../../src/vault/kms.js';
import { describeEachDatabase } from '../support/databases.js';
import { freePort, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { initializeMessage, mcpPost, obtainTokens } from './support/oauth.js';
import { createMcpServer, type McpServerView } from './support/servers.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Two replicas behind one public URL (a load balancer), on one database, with MCP caches trusted for a
 * minute: an MCP client's grant revoked through A, or a per-user URL revoked there, is refused by B
 * on the next request. Only the governance notification can tell B (migration 0031).
 */
describeEachDatabase('MCP revocation across replicas', (t) => {
  let a: TestGatehouse;
  let b: TestGatehouse;
  let apiKey: string;
  let server: McpServerView;
  /** The profile's MCP endpoint as served by replica B. */
  let onB: string;

  beforeAll(async () => {
    const port = await freePort();
    const shared = {
      GATEHOUSE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      GATEHOUSE_MASTER_KEY: generateMasterKey(),
      GATEHOUSE_GOVERNANCE_CACHE_MS: '60000',
      GATEHOUSE_API_KEY_CACHE_MS: '60000',
      GATEHOUSE_REFRESHER_ENABLED: 'false',
    };
    a = await startTestGatehouse(t.db(), { ...shared, GATEHOUSE_PORT: String(port) });
    b = await startTestGatehouse(t.db(), shared);
    apiKey = (await a.createProject('MCP replicas')).apiKey;
    server = await createMcpServer(a, apiKey);
    onB = server.url.replace(a.url, b.url);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a grant revoked by its client through A is refused by B on the next request', async () => {
    const { tokens, clientId } = await obtainTokens(server, { user: 'alice' });
    for (const url of [server.url, onB, onB])
      expect((await mcpPost(url, initializeMessage, bearer(tokens.access_token))).status).toBe(200);
    const res = await fetch(`${server.authorizationServer}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token!, client_id: clientId }).toString(),
    });
    expect(res.status).toBe(200);
    await b.server.runtime.governance.barrier();
    const after = await mcpPost(onB, initializeMessage, bearer(tokens.access_token));
    expect(after.status).toBe(401);
  });

  it('a per-user MCP URL revoked through A is refused by B on the next request', async () => {
    const made = await a.call('POST', '/v1/mcp/sessions', {
      key: apiKey,
      body: { userId: 'bob', serverId: server.id },
    });
    expect(made.status, made.text).toBe(201);
    const { id, url, credential } = made.body as { id: string; url: string; credential: string };
    const urlOnB = url.replace(a.url, b.url);
    for (const u of [url, urlOnB, urlOnB])
      expect((await mcpPost(u, initializeMessage, bearer(credential))).status).toBe(200);
    const revoked = await a.call('DELETE', `/v1/mcp/sessions/${id}`, { key: apiKey });
    expect(revoked.status, revoked.text).toBe(204);
    await b.server.runtime.governance.barrier();
    expect((await mcpPost(urlOnB, initializeMessage, bearer(credential))).status).toBe(401);
  });
});
