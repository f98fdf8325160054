import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// Trello answers 401 unless every call carries both the app's key (one per auth config) and the
// user's token. The shipped trello.json declares the key as a setting sent through api.defaultQuery;
// here that very definition runs against a loopback Trello that checks both parameters.

const APP_KEY = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
const TOKEN = `ATTA${'9'.repeat(60)}`;

type Trello = { url: string; seen: string[]; server: Server };

/** Requires key and token on every call; echoes the query back as Trello's error pages sometimes do. */
async function startTrello(): Promise<Trello> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://trello.local');
    seen.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.searchParams.get('key') !== APP_KEY || url.searchParams.get('token') !== TOKEN)
      return send(401, { message: 'invalid key', query: url.search });
    if (url.pathname === '/1/members/me') return send(200, { id: 'm1', fullName: 'Alice Trello' });
    if (url.pathname === '/1/boards/b1')
      return send(200, { id: 'b1', name: 'Roadmap', requestedAs: url.search });
    return send(404, { message: 'not found' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** The shipped Trello definition, pointed at the loopback upstream under another id. */
function trelloDefinition(baseUrl: string) {
  const shipped = JSON.parse(
    readFileSync(new URL('../../../catalog/providers/trello.json', import.meta.url), 'utf8'),
  ) as { $schema?: string; api: Record<string, unknown> } & Record<string, unknown>;
  const { $schema: _schema, ...def } = shipped;
  return { ...def, id: 'trello-local', api: { ...def.api, baseUrl: `${baseUrl}/1`, internal: true } };
}

const toolkit = {
  id: 'trello_local',
  displayName: 'Trello (local)',
  provider: 'trello-local',
  tools: [
    {
      slug: 'trello_local.boards.get',
      name: 'Get a board',
      description: 'Returns a board by id.',
      input: {
        type: 'object',
        properties: { boardId: { type: 'string', minLength: 1 } },
        required: ['boardId'],
        additionalProperties: false,
      },
      scopes: [],
      risk: 'read',
      http: { method: 'GET', path: '/boards/{boardId}' },
    },
  ],
};

describeEachDatabase('provider default query parameters (Trello key + token)', (t) => {
  let gh: TestGatehouse;
  let trello: Trello;
  let key: string;
  let accountId: string;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), { GATEHOUSE_REFRESHER_ENABLED: 'false' });
    trello = await startTrello();
    key = (await gh.createProject('trello')).apiKey;
  });
  afterAll(async () => {
    await gh?.close();
    trello?.server.close();
  });

  it('an auth config must give the app key (a required setting)', async () => {
    const put = await gh.call('PUT', '/v1/providers/trello-local', {
      key,
      body: trelloDefinition(trello.url),
    });
    expect(put.status, put.text).toBe(200);
    expect((await gh.call('PUT', '/v1/toolkits/trello_local', { key, body: toolkit })).status).toBe(200);
    const missing = await gh.call('POST', '/v1/auth-configs', { key, body: { providerId: 'trello-local' } });
    expect(missing.status, missing.text).toBe(400);
    expect(missing.text).toContain('apiKey');
    const malformed = 'not-a-trello-key!';
    const bad = await gh.call('POST', '/v1/auth-configs', {
      key,
      body: { providerId: 'trello-local', settings: { apiKey: malformed } },
    });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.text).not.toContain(malformed);
  });

  it('sends key and token on the health check, execute and proxy, and never shows the key', async () => {
    const ac = await gh.call('POST', '/v1/auth-configs', {
      key,
      body: { providerId: 'trello-local', settings: { apiKey: APP_KEY } },
    });
    expect(ac.status, ac.text).toBe(201);
    const connected = await gh.call('POST', '/v1/connected-accounts', {
      key,
      body: {
        userId: 'alice',
        authConfigId: (ac.body as { id: string }).id,
        credentials: { type: 'api_key', apiKey: TOKEN },
      },
    });
    expect(connected.status, connected.text).toBe(201);
    expect(connected.body).toMatchObject({ status: 'ACTIVE', upstreamAccount: { id: 'm1' } });
    accountId = (connected.body as { id: string }).id;

    const executed = await gh.call('POST', '/v1/tools/trello_local.boards.get/execute', {
      key,
      body: { userId: 'alice', arguments: { boardId: 'b1' } },
    });
    expect(executed.body, executed.text).toMatchObject({
      successful: true,
      data: { id: 'b1', name: 'Roadmap' },
    });

    // A caller's own `key` does not replace the app's.
    const proxied = await gh.call('POST', '/v1/proxy', {
      key,
      body: { connectedAccountId: accountId, method: 'GET', path: '/boards/b1?key=mine' },
    });
    expect(proxied.body, proxied.text).toMatchObject({ status: 200 });

    const upstream = trello.seen.filter((s) => s.startsWith('/1/'));
    expect(upstream.length).toBeGreaterThanOrEqual(3);
    for (const s of upstream) {
      const q = new URL(s, 'http://x').searchParams;
      expect(q.getAll('key')).toEqual([APP_KEY]);
      expect(q.get('token')).toBe(TOKEN);
    }
    // The upstream echoed the query: the key and the token are scrubbed from what the caller sees.
    for (const text of [executed.text, proxied.text, gh.logs.text()]) {
      expect(text).not.toContain(APP_KEY);
      expect(text).not.toContain(TOKEN);
    }
  });

  it('a wrong app key is Trello 401, reported without the key', async () => {
    const wrongKey = 'f'.repeat(32);
    const ac = await gh.call('POST', '/v1/auth-configs', {
      key,
      body: { providerId: 'trello-local', settings: { apiKey: wrongKey } },
    });
    expect(ac.status, ac.text).toBe(201);
    const connected = await gh.call('POST', '/v1/connected-accounts', {
      key,
      body: {
        userId: 'bob',
        authConfigId: (ac.body as { id: string }).id,
        credentials: { type: 'api_key', apiKey: TOKEN },
      },
    });
    expect((connected.body as { error: { code: string } }).error.code, connected.text).toBe(
      'credential_rejected',
    );
    expect(connected.text).not.toContain(wrongKey);
    expect(gh.logs.text()).not.toContain(wrongKey);
  });
});
