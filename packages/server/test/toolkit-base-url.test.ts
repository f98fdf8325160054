import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectUser, sandboxFor } from './support/connect.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

// A toolkit whose API lives on another host than its provider's api.baseUrl (as Google Sheets does
// on sheets.googleapis.com), with a form-encoded body (as Slack's Web API): the broker sends the
// call there with the account's token, only because the provider lists that host.

const PROVIDER = 'notes-corp';

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

/** The other host: records what reaches it and answers like a small notes API. */
async function startNotesHost(): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, note: { id: 'n1', text: new URLSearchParams(body).get('text') } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

function providerDefinition(sandboxUrl: string, notesUrl: string) {
  return {
    id: PROVIDER,
    displayName: 'Corp Notes',
    authType: 'oauth2',
    oauth2: {
      authorizationUrl: `${sandboxUrl}/oauth/auth`,
      tokenUrl: `${sandboxUrl}/oauth/token`,
      issuer: `${sandboxUrl}/oauth`,
      pkce: 'required',
      tokenEndpointAuthMethod: 'client_secret_basic',
      defaultScopes: ['openid', 'tasks:write'],
      scopes: [
        { name: 'openid', description: 'Know who you are' },
        { name: 'tasks:write', description: 'Write notes' },
      ],
      defaultTokenLifetimeSeconds: 3600,
      refreshTokenRotation: 'always',
    },
    api: {
      baseUrl: `${sandboxUrl}/api`,
      additionalBaseUrls: [notesUrl],
      internal: true,
      identity: { source: 'request', method: 'GET', path: '/me', subjectPath: 'id', displayNamePath: 'name' },
    },
  };
}

function notesToolkit(baseUrl: string, id = 'notes') {
  return {
    id,
    displayName: 'Corp Notes',
    provider: PROVIDER,
    baseUrl,
    tools: [
      {
        slug: `${id}.notes.post`,
        name: 'Post a note',
        description: 'Posts a note.',
        input: {
          type: 'object',
          properties: { text: { type: 'string', minLength: 1 }, pinned: { type: 'boolean' } },
          required: ['text'],
          additionalProperties: false,
        },
        scopes: ['tasks:write'],
        risk: 'write',
        http: {
          method: 'POST',
          path: '/v1/notes.post',
          constantQuery: { format: 'full' },
          body: { fields: { text: 'text', pinned: 'pinned' }, encoding: 'form' },
        },
        output: { root: 'note', pick: ['id', 'text'] },
      },
    ],
  };
}

describeEachDatabase('toolkits on another host of their provider', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let client: { clientId: string; clientSecret: string };
  let notes: Awaited<ReturnType<typeof startNotesHost>>;
  let key: string;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    ({ sandbox, client } = await sandboxFor(gh));
    notes = await startNotesHost();
    key = (await gh.createProject('notes')).apiKey;
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
    notes?.server.close();
  });

  describe('baseUrl and form bodies', () => {
    it('sends the form-encoded call to the listed host with the token, and refuses an unlisted host', async () => {
      const provider = await gh.call('PUT', `/v1/providers/${PROVIDER}`, {
        key,
        body: providerDefinition(sandbox.url, notes.url),
      });
      expect(provider.status, provider.text).toBe(200);

      const elsewhere = await gh.call('PUT', '/v1/toolkits/stray', {
        key,
        body: notesToolkit('http://127.0.0.1:9/', 'stray'),
      });
      expect(elsewhere.status, elsewhere.text).toBe(400);
      expect(elsewhere.text).toContain('additionalBaseUrls');

      const put = await gh.call('PUT', '/v1/toolkits/notes', { key, body: notesToolkit(notes.url) });
      expect(put.status, put.text).toBe(200);

      const ac = await gh.call('POST', '/v1/auth-configs', {
        key,
        body: { providerId: PROVIDER, ...client },
      });
      expect(ac.status, ac.text).toBe(201);
      const outcome = await connectUser(
        gh,
        key,
        { userId: 'alice', authConfigId: (ac.body as { id: string }).id, scopes: ['openid', 'tasks:write'] },
        { username: 'alice' },
      );
      expect(outcome.link.status, JSON.stringify(outcome.link)).toBe('COMPLETED');

      const result = await gh.call('POST', '/v1/tools/notes.notes.post/execute', {
        key,
        body: { userId: 'alice', arguments: { text: 'Ship it & celebrate', pinned: true } },
      });
      expect(result.status, result.text).toBe(200);
      expect(result.body).toMatchObject({
        successful: true,
        data: { id: 'n1', text: 'Ship it & celebrate' },
      });

      expect(notes.seen).toHaveLength(1);
      const [call] = notes.seen;
      expect(call).toMatchObject({ method: 'POST', url: '/v1/notes.post?format=full' });
      expect(call!.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(call!.body).toBe('text=Ship+it+%26+celebrate&pinned=true');
      expect(call!.headers.authorization).toMatch(/^Bearer \S+$/);
    });
  });
});
