import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { connectUser, sandboxFor } from './support/connect.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

// The company's own task service: the sandbox's OAuth server and task API, registered as a custom
// provider, with tools that exist only as this project's custom toolkits.

const PROVIDER = 'tasks-corp';

function providerDefinition(url: string) {
  return {
    id: PROVIDER,
    displayName: 'Corp Tasks',
    authType: 'oauth2',
    oauth2: {
      authorizationUrl: `${url}/oauth/auth`,
      tokenUrl: `${url}/oauth/token`,
      issuer: `${url}/oauth`,
      pkce: 'required',
      tokenEndpointAuthMethod: 'client_secret_basic',
      defaultScopes: ['openid', 'tasks:read', 'tasks:write'],
      scopes: [
        { name: 'openid', description: 'Know who you are' },
        { name: 'tasks:read', description: 'Read your tasks' },
        { name: 'tasks:write', description: 'Create tasks' },
      ],
      defaultTokenLifetimeSeconds: 3600,
      refreshTokenRotation: 'always',
    },
    api: {
      baseUrl: `${url}/api`,
      internal: true,
      identity: { source: 'request', method: 'GET', path: '/me', subjectPath: 'id', displayNamePath: 'name' },
    },
  };
}

/** A custom toolkit written whole: the same schema as the catalog's data files. */
const corpToolkit = {
  id: 'corp',
  displayName: 'Corp Tasks',
  provider: PROVIDER,
  tools: [
    {
      slug: 'corp.tasks.list',
      name: 'List corp tasks',
      description: 'Lists the tasks the user can see, newest first.',
      input: {
        type: 'object',
        properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } },
        additionalProperties: false,
      },
      scopes: ['tasks:read'],
      risk: 'read',
      http: { method: 'GET', path: '/tasks', query: { limit: 'limit' } },
      output: { root: 'tasks' },
    },
    {
      slug: 'corp.tasks.create',
      name: 'Create a corp task',
      description: 'Creates a task owned by the user.',
      input: {
        type: 'object',
        properties: { title: { type: 'string', minLength: 1, maxLength: 200 } },
        required: ['title'],
        additionalProperties: false,
      },
      scopes: ['tasks:write'],
      risk: 'write',
      http: { method: 'POST', path: '/tasks', body: { fields: { title: 'title' } } },
    },
  ],
};

/** A small OpenAPI 3.1 description of the same task API, for the importer. */
const taskApi = {
  openapi: '3.1.0',
  info: { title: 'Corp Tasks', version: '1.0.0' },
  paths: {
    '/me': {
      get: {
        operationId: 'getMe',
        summary: 'Get the current user',
        responses: { '200': { description: 'The user' } },
      },
    },
    '/tasks': {
      get: {
        operationId: 'listTasks',
        summary: 'List tasks',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } }],
        responses: { '200': { description: 'Tasks' } },
      },
    },
  },
};

const importSelection = {
  toolkit: { id: 'corp_oa', displayName: 'Corp Tasks (imported)', provider: PROVIDER },
  operations: [
    { operationId: 'getMe', slug: 'corp_oa.me.get', scopes: [] },
    {
      operationId: 'listTasks',
      slug: 'corp_oa.tasks.list',
      scopes: ['tasks:read'],
      output: { root: 'tasks' },
    },
  ],
};

type ExecuteAnswer = {
  successful: boolean;
  data: unknown;
  error: { code: string; message: string } | null;
};
type ErrorAnswer = {
  error: { code: string; message: string; details?: { issues?: Array<{ path: string }> } };
};

describeEachDatabase('custom toolkits', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let client: { clientId: string; clientSecret: string };
  let owner: string;
  let stranger: string;

  const execute = (key: string, slug: string, args: Record<string, unknown>, userId = 'alice') =>
    gh.call('POST', `/v1/tools/${slug}/execute`, { key, body: { userId, arguments: args } });

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    ({ sandbox, client } = await sandboxFor(gh));
    owner = (await gh.createProject('corp')).apiKey;
    stranger = (await gh.createProject('stranger')).apiKey;
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  describe('custom toolkits registered through the API', () => {
    it('a project adds its own toolkit (PUT and OpenAPI import) over its custom provider, and alice runs its tools', async () => {
      const provider = await gh.call('PUT', `/v1/providers/${PROVIDER}`, {
        key: owner,
        body: providerDefinition(sandbox.url),
      });
      expect(provider.status, provider.text).toBe(200);

      const put = await gh.call('PUT', '/v1/toolkits/corp', { key: owner, body: corpToolkit });
      expect(put.status, put.text).toBe(200);
      expect(put.body).toMatchObject({ custom: true, source: 'definition', definition: { id: 'corp' } });

      const imported = await gh.call('POST', '/v1/toolkits/import-openapi', {
        key: owner,
        body: { openapi: taskApi, selection: importSelection },
      });
      expect(imported.status, imported.text).toBe(200);
      expect(imported.body).toMatchObject({ custom: true, source: 'openapi', definition: { id: 'corp_oa' } });

      const listed = (await gh.call('GET', '/v1/toolkits', { key: owner })).body as {
        items: Array<{ id: string; custom: boolean; source: string | null }>;
      };
      expect(listed.items).toContainEqual(
        expect.objectContaining({ id: 'corp', custom: true, source: 'definition' }),
      );
      expect(listed.items).toContainEqual(
        expect.objectContaining({ id: 'corp_oa', custom: true, source: 'openapi' }),
      );
      expect(listed.items).toContainEqual(expect.objectContaining({ id: 'github', custom: false }));
      const one = await gh.call('GET', '/v1/toolkits/corp', { key: owner });
      expect(one.body).toMatchObject({
        custom: true,
        definition: { tools: [{ slug: 'corp.tasks.list' }, {}] },
      });
      expect((await gh.call('GET', '/v1/toolkits/github', { key: owner })).body).toMatchObject({
        custom: false,
      });

      const ac = await gh.call('POST', '/v1/auth-configs', {
        key: owner,
        body: { providerId: PROVIDER, ...client },
      });
      expect(ac.status, ac.text).toBe(201);
      const authConfigId = (ac.body as { id: string }).id;
      // Least privilege for a Connect Link asked for by tool: the custom tool's scopes are known.
      const outcome = await connectUser(
        gh,
        owner,
        { userId: 'alice', authConfigId, scopes: ['openid', 'tasks:read', 'tasks:write'] },
        { username: 'alice' },
      );
      expect(outcome.link.status, JSON.stringify(outcome.link)).toBe('COMPLETED');

      const created = await execute(owner, 'corp.tasks.create', { title: 'Quarterly report' });
      expect(created.status, created.text).toBe(200);
      expect(created.body).toMatchObject({
        successful: true,
        data: { title: 'Quarterly report', ownerId: 'alice' },
      });
      const tasks = (await execute(owner, 'corp.tasks.list', { limit: 50 })).body as ExecuteAnswer;
      expect(tasks.successful, JSON.stringify(tasks)).toBe(true);
      expect(tasks.data).toContainEqual(expect.objectContaining({ title: 'Quarterly report' }));
      const me = (await execute(owner, 'corp_oa.me.get', {})).body as ExecuteAnswer;
      expect(me).toMatchObject({ successful: true, data: { id: 'alice' } });
      const importedList = (await execute(owner, 'corp_oa.tasks.list', { limit: 5 })).body as ExecuteAnswer;
      expect(importedList.successful, JSON.stringify(importedList)).toBe(true);
      // Arguments are validated against the custom tool's own schema.
      const bad = await execute(owner, 'corp.tasks.create', { title: '' });
      expect(bad.status).toBe(400);
      expect((bad.body as ErrorAnswer).error.code).toBe('invalid_arguments');

      // Discovery lists them with alice's connection.
      const tools = (await gh.call('GET', '/v1/tools?toolkits=corp,corp_oa&userId=alice', { key: owner }))
        .body as {
        items: Array<{ slug: string; toolkit: string; connection: { status: string } }>;
      };
      expect(tools.items.map((t) => t.slug).sort()).toEqual([
        'corp.tasks.create',
        'corp.tasks.list',
        'corp_oa.me.get',
        'corp_oa.tasks.list',
      ]);
      expect(tools.items.every((t) => t.connection.status === 'connected')).toBe(true);
      const found = await gh.call('GET', '/v1/tools/corp.tasks.create', { key: owner });
      expect(found.body).toMatchObject({ slug: 'corp.tasks.create', provider: PROVIDER, risk: 'write' });
    });

    it('a Cedar policy that names a custom tool governs it: forbid → policy_denied', async () => {
      const policy = await gh.call('PUT', '/v1/policies', {
        key: owner,
        body: {
          sets: [
            {
              name: 'corp',
              policies: `permit(principal, action, resource);
  @id("no-secret-corp-tasks")
  forbid(principal, action == Gatehouse::Action::"corp.tasks.create", resource)
    when { context.arguments.title like "*secret*" };`,
            },
          ],
        },
      });
      expect(policy.status, policy.text).toBe(200);
      const denied = (await execute(owner, 'corp.tasks.create', { title: 'a secret plan' }))
        .body as ExecuteAnswer;
      expect(denied).toMatchObject({ successful: false, error: { code: 'policy_denied' } });
      expect(denied.error?.message).toContain('no-secret-corp-tasks');
      const allowed = (await execute(owner, 'corp.tasks.create', { title: 'an open plan' }))
        .body as ExecuteAnswer;
      expect(allowed.successful, JSON.stringify(allowed)).toBe(true);
      // The schema policies are written against includes the project's own tools, and only those.
      const schema = await gh.call('GET', '/v1/policies/schema', { key: owner });
      expect(schema.text).toContain('corp.tasks.create');
      expect((await gh.call('GET', '/v1/policies/schema', { key: stranger })).text).not.toContain(
        'corp.tasks',
      );
    });

    it('another project can neither see nor run them, nor write policies or limits about them', async () => {
      for (const path of ['/v1/tools/corp.tasks.list', '/v1/toolkits/corp']) {
        const res = await gh.call('GET', path, { key: stranger });
        expect(res.status, path).toBe(404);
      }
      const run = await execute(stranger, 'corp.tasks.list', {});
      expect(run.status).toBe(404);
      expect((run.body as ErrorAnswer).error.code).toBe('tool_not_found');
      const listed = (await gh.call('GET', '/v1/tools?search=corp', { key: stranger })).body as {
        items: Array<{ toolkit: string }>;
      };
      // Shipped tools may mention the word; none of the other project's toolkits may show.
      expect(listed.items.filter((i) => i.toolkit.startsWith('corp'))).toEqual([]);
      const toolkits = (await gh.call('GET', '/v1/toolkits', { key: stranger })).body as {
        items: Array<{ id: string }>;
      };
      expect(toolkits.items.map((t) => t.id)).not.toContain('corp');
      expect((await gh.call('DELETE', '/v1/toolkits/corp', { key: stranger })).status).toBe(404);
      const policy = await gh.call('PUT', '/v1/policies', {
        key: stranger,
        body: {
          sets: [
            {
              name: 'x',
              policies: 'forbid(principal, action == Gatehouse::Action::"corp.tasks.create", resource);',
            },
          ],
        },
      });
      expect(policy.status).toBe(400);
      expect((policy.body as ErrorAnswer).error.code).toBe('invalid_policy');
      const limits = await gh.call('PUT', '/v1/limits', {
        key: stranger,
        body: { rateLimits: [{ per: 'user', limit: 1, windowSeconds: 60, tools: ['corp.tasks.list'] }] },
      });
      expect(limits.status).toBe(400);
      expect((limits.body as ErrorAnswer).error.message).toContain('body.rateLimits.0.tools.0');
      // The owner may limit its own tool.
      const own = await gh.call('PUT', '/v1/limits', {
        key: owner,
        body: { rateLimits: [{ per: 'user', limit: 100, windowSeconds: 60, tools: ['corp.tasks.list'] }] },
      });
      expect(own.status, own.text).toBe(200);
    });

    it('bad toolkits are clear 4xx answers naming what to fix, never 500', async () => {
      const cases: Array<[string, string, unknown, number, string, string?]> = [
        [
          'PUT',
          '/v1/toolkits/broken',
          { ...corpToolkit, id: 'broken', tools: [] },
          400,
          'invalid_toolkit',
          'tools',
        ],
        ['PUT', '/v1/toolkits/other', corpToolkit, 400, 'invalid_request'],
        [
          'PUT',
          '/v1/toolkits/corp',
          { ...corpToolkit, provider: 'nope' },
          400,
          'invalid_toolkit',
          'provider',
        ],
        [
          'PUT',
          '/v1/toolkits/corp',
          { ...corpToolkit, tools: [{ ...corpToolkit.tools[0], scopes: ['tasks:admin'] }] },
          400,
          'invalid_toolkit',
          'tools[0].scopes',
        ],
        [
          'PUT',
          '/v1/toolkits/corp',
          {
            ...corpToolkit,
            tools: [
              {
                ...corpToolkit.tools[0],
                http: { method: 'GET', path: '/tasks', headers: { Authorization: 'x' } },
              },
            ],
          },
          400,
          'invalid_toolkit',
        ],
        ['PUT', '/v1/toolkits/github', { ...corpToolkit, id: 'github' }, 409, 'conflict'],
        ['PUT', '/v1/toolkits/acme', { ...corpToolkit, id: 'acme' }, 409, 'conflict'],
        ['PUT', '/v1/toolkits/Bad-Id', corpToolkit, 400, 'invalid_request'],
        ['PUT', '/v1/toolkits/corp', '"not an object"', 400, 'invalid_request'],
        ['DELETE', '/v1/toolkits/github', undefined, 409, 'conflict'],
        [
          'POST',
          '/v1/toolkits/import-openapi',
          { openapi: { openapi: '2.0' }, selection: importSelection },
          400,
          'invalid_openapi',
          'body.openapi.openapi',
        ],
        [
          'POST',
          '/v1/toolkits/import-openapi',
          { openapi: taskApi, selection: { ...importSelection, operations: [{ operationId: 'nope' }] } },
          400,
          'invalid_openapi',
          'body.selection.operations[0].operationId',
        ],
        [
          'POST',
          '/v1/toolkits/import-openapi',
          { openapi: taskApi, selection: { toolkit: {} } },
          400,
          'invalid_openapi',
        ],
        [
          'POST',
          '/v1/toolkits/import-openapi',
          {
            openapi: taskApi,
            selection: { ...importSelection, toolkit: { ...importSelection.toolkit, provider: 'nope' } },
          },
          400,
          'invalid_toolkit',
          'provider',
        ],
        ['POST', '/v1/toolkits/import-openapi', { openapi: taskApi }, 400, 'invalid_request'],
      ];
      for (const [method, path, body, status, code, issuePath] of cases) {
        const res = await gh.call(method, path, { key: owner, body });
        const what = `${method} ${path} ${String(JSON.stringify(body)).slice(0, 120)} → ${res.text.slice(0, 300)}`;
        expect(res.status, what).toBe(status);
        const error = (res.body as ErrorAnswer).error;
        expect(error.code, what).toBe(code);
        if (issuePath)
          expect(
            error.details?.issues?.map((i) => i.path),
            what,
          ).toContain(issuePath);
      }
      // Nothing above replaced the working toolkit.
      expect((await execute(owner, 'corp.tasks.list', {})).body).toMatchObject({ successful: true });
    });

    it('a deleted custom toolkit is gone at once here and within the cache window on another replica', async () => {
      const replica = await startTestGatehouse(gh.server.runtime.db, {
        GATEHOUSE_GOVERNANCE_CACHE_MS: '300',
      });
      try {
        expect((await replica.call('GET', '/v1/tools/corp_oa.me.get', { key: owner })).status).toBe(200);
        expect((await gh.call('DELETE', '/v1/toolkits/corp_oa', { key: owner })).status).toBe(204);
        const gone = await execute(owner, 'corp_oa.me.get', {});
        expect((gone.body as ErrorAnswer).error.code).toBe('tool_not_found');
        expect((await gh.call('DELETE', '/v1/toolkits/corp_oa', { key: owner })).status).toBe(404);
        // Policies are checked against the catalog as it is now: the deleted tool is no longer an action.
        const stale = await gh.call('PUT', '/v1/policies', {
          key: owner,
          body: {
            sets: [
              {
                name: 'x',
                policies: 'forbid(principal, action == Gatehouse::Action::"corp_oa.me.get", resource);',
              },
            ],
          },
        });
        expect((stale.body as ErrorAnswer).error.code).toBe('invalid_policy');
        const deadline = Date.now() + 5_000;
        let status = 200;
        while (status === 200 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          status = (await replica.call('GET', '/v1/tools/corp_oa.me.get', { key: owner })).status;
        }
        expect(status).toBe(404);
        // The other custom toolkit is still served there.
        expect((await replica.call('GET', '/v1/tools/corp.tasks.list', { key: owner })).status).toBe(200);
      } finally {
        await replica.close();
      }
    });
  });

  describe('the sandbox toolkit outside the sandbox', () => {
    it('a production-mode catalog has no acme.* tools; custom toolkits still work there', async () => {
      const prod = await startTestGatehouse(gh.server.runtime.db, { GATEHOUSE_SANDBOX_TOOLKITS: 'false' });
      try {
        const key = (await prod.createProject('no sandbox')).apiKey;
        const tools = (await prod.call('GET', '/v1/tools', { key })).body as {
          items: Array<{ slug: string }>;
        };
        expect(tools.items.length).toBeGreaterThan(0);
        expect(tools.items.filter((t) => t.slug.startsWith('acme.'))).toEqual([]);
        const run = await prod.call('POST', '/v1/tools/acme.tasks.list/execute', {
          key,
          body: { userId: 'alice', arguments: {} },
        });
        expect((run.body as ErrorAnswer).error.code).toBe('tool_not_found');
        const toolkits = (await prod.call('GET', '/v1/toolkits', { key })).body as {
          items: Array<{ id: string }>;
        };
        expect(toolkits.items.map((t) => t.id)).not.toContain('acme');
        // The shipped id stays reserved, so a later --sandbox run cannot collide with a custom one.
        expect(
          (await prod.call('PUT', '/v1/toolkits/acme', { key, body: { ...corpToolkit, id: 'acme' } })).status,
        ).toBe(409);
        expect((await prod.call('GET', '/v1/tools/corp.tasks.list', { key: owner })).status).toBe(200);
      } finally {
        await prod.close();
      }
      // And production refuses to load it at all.
      const refused = loadConfig({ NODE_ENV: 'production', GATEHOUSE_SANDBOX_TOOLKITS: 'true' });
      expect(refused.ok).toBe(false);
      expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
        ok: true,
        config: { sandboxToolkits: false },
      });
    });
  });
});
