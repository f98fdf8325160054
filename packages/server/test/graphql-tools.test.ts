import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

// A GraphQL API the way Linear's toolkit uses one: each tool posts a constant query document with
// variables from its arguments (http.body.const), and the provider declares that a 2xx answer with an
// `errors` array is a failure (api.errorBody). A local GraphQL-shaped server plays the upstream.

const TOKEN = 'lin_api_test_token_0123456789';

describeEachDatabase('GraphQL tools: constant documents, errors in a 200 answer', (t) => {
  let gh: TestGatehouse;
  let upstream: Server;
  let key: string;
  const received: Array<{
    auth: string | undefined;
    body: { query: string; variables?: Record<string, unknown> };
  }> = [];

  beforeAll(async () => {
    upstream = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      received.push({ auth: req.headers.authorization, body });
      res.setHeader('content-type', 'application/json');
      const id = body.variables?.id;
      if (body.query.startsWith('query Viewer')) res.end(JSON.stringify({ data: { viewer: { id: 'u1' } } }));
      else if (id === 'ENG-404')
        res.end(
          JSON.stringify({ data: null, errors: [{ message: 'Entity not found: Issue', path: ['issue'] }] }),
        );
      else res.end(JSON.stringify({ data: { issue: { id: 'i1', identifier: id, title: 'Login bug' } } }));
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

    gh = await startTestGatehouse(t.db(), { GATEHOUSE_REFRESHER_ENABLED: 'false' });
    key = (await gh.createProject('graphql')).apiKey;
    const call = (method: string, path: string, body: unknown) => gh.call(method, path, { key, body });
    const provider = await call('PUT', '/v1/providers/tracker', {
      id: 'tracker',
      displayName: 'Tracker',
      authType: 'bearer',
      api: {
        baseUrl: base,
        internal: true,
        healthCheck: { method: 'POST', path: '/graphql', body: { query: 'query Viewer { viewer { id } }' } },
        errorBody: { path: 'errors', when: 'present', messagePath: 'errors.0.message' },
      },
    });
    expect(provider.status, provider.text).toBe(200);
    const toolkit = await call('PUT', '/v1/toolkits/tracker', {
      id: 'tracker',
      displayName: 'Tracker',
      provider: 'tracker',
      tools: [
        {
          slug: 'tracker.issues.get',
          name: 'Get an issue',
          description: 'One issue by id or identifier.',
          input: {
            type: 'object',
            properties: { id: { type: 'string', minLength: 1 } },
            required: ['id'],
            additionalProperties: false,
          },
          scopes: [],
          risk: 'read',
          idempotent: true,
          http: {
            method: 'POST',
            path: '/graphql',
            body: {
              const: { query: 'query Issue($id: String!) { issue(id: $id) { id identifier title } }' },
              fields: { 'variables.id': 'id' },
            },
          },
          output: { root: 'data.issue' },
        },
      ],
    });
    expect(toolkit.status, toolkit.text).toBe(200);
    const ac = await call('POST', '/v1/auth-configs', { providerId: 'tracker' });
    expect(ac.status, ac.text).toBe(201);
    const connected = await call('POST', '/v1/connected-accounts', {
      userId: 'alice',
      authConfigId: (ac.body as { id: string }).id,
      credentials: { type: 'bearer', token: TOKEN },
    });
    expect(connected.status, connected.text).toBe(201);
  });
  afterAll(async () => {
    await gh?.close();
    upstream?.close();
  });

  const execute = (id: string) =>
    gh.call('POST', '/v1/tools/tracker.issues.get/execute', {
      key,
      body: { userId: 'alice', arguments: { id } },
    });

  it('posts the constant document with the arguments as variables, and shapes data', async () => {
    const res = await execute('ENG-1');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      successful: true,
      data: { id: 'i1', identifier: 'ENG-1', title: 'Login bug' },
    });
    const last = received.at(-1)!;
    expect(last.auth).toBe(`Bearer ${TOKEN}`);
    expect(last.body).toEqual({
      query: 'query Issue($id: String!) { issue(id: $id) { id identifier title } }',
      variables: { id: 'ENG-1' },
    });
  });

  it('an errors array in a 200 answer is a failed call naming the error, not empty data', async () => {
    const res = await execute('ENG-404');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      successful: false,
      data: null,
      error: { code: 'upstream_error', message: expect.stringContaining('Entity not found: Issue') },
    });
    expect(res.text).not.toContain(TOKEN);
  });
});
