import {
  builtInToolkitAt,
  builtInToolkits,
  builtInToolkitVersions,
  deltaBetween,
  parseToolkit,
  type Toolkit,
  toolkitHash,
  toolsAtVersion,
} from '@gatehouse/catalog';
import type { Sandbox } from '@gatehouse/sandbox';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VersionSource } from '../src/catalog/tool-catalog.js';
import { createMcpServer } from './mcp/support/servers.js';
import { execute, projectWithConnectedUsers, sandboxFor } from './support/broker.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

// A project pins a version of a shipped toolkit and keeps its tools while the catalog moves on.
// The shipped Acme toolkit has one release so far, so this file gives the server an older release
// the way gen-versions records one: the previous tools, kept as a delta from the current ones.
// The older Acme had no `amount` on tasks.create and answered tasks.list unshaped (the whole page).

const current = builtInToolkits().get('acme')!;
const older: Toolkit = (() => {
  const tools = current.tools.map((tool) => {
    if (tool.slug === 'acme.tasks.create') {
      const { amount: _amount, ...properties } = tool.input.properties;
      const fields = { ...(tool.http.body && 'fields' in tool.http.body ? tool.http.body.fields : {}) };
      delete fields.amount;
      return { ...tool, input: { ...tool.input, properties }, http: { ...tool.http, body: { fields } } };
    }
    if (tool.slug === 'acme.tasks.list') {
      const { output: _output, ...rest } = tool;
      return rest;
    }
    return tool;
  });
  const parsed = parseToolkit({ ...current, tools });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
})();
const acmeVersions = [
  { version: '2.0.0', hash: toolkitHash(current) },
  { version: '1.0.0', hash: toolkitHash(older) },
];
const acmeHistory = { toolkit: 'acme', versions: { '1.0.0': { tools: deltaBetween(older, current) } } };
const versions: VersionSource = {
  versions: (id) =>
    id === 'acme' ? { current: '2.0.0', versions: acmeVersions } : builtInToolkitVersions(id),
  at: (id, version) => {
    if (id !== 'acme') return builtInToolkitAt(id, version);
    const tools = toolsAtVersion(current, acmeVersions, acmeHistory, version);
    return tools ? { ...current, tools } : undefined;
  },
};

interface ErrorBody {
  error: { code: string; message: string };
}

describeEachDatabase('toolkit versions: a project pins a version and keeps its tools', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
  let other: Awaited<ReturnType<typeof projectWithConnectedUsers>>;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), {}, { toolkitVersions: versions });
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    p = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice']);
    other = await projectWithConnectedUsers(gh, sandbox, started.client, ['bob']);
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const call = (method: string, path: string, body?: unknown, key = p.apiKey) =>
    gh.call(method, path, { key, ...(body === undefined ? {} : { body }) });
  const create = (args: Record<string, unknown>, key = p.apiKey, userId = 'alice') =>
    execute(gh, key, 'acme.tasks.create', { userId, arguments: args });
  const auditedVersion = async (executionId: string) => {
    const res = await call('GET', `/v1/audit?executionId=${executionId}`);
    const items = (res.body as { items: Array<{ detail: { toolkitVersion?: string } }> }).items;
    return items[0]?.detail.toolkitVersion;
  };
  const inputOf = async (slug: string, key = p.apiKey) =>
    (
      (await call('GET', `/v1/tools/${slug}`, undefined, key)).body as {
        inputSchema: { properties: Record<string, unknown> };
      }
    ).inputSchema;

  it('every toolkit says its version; a shipped one lists its releases, newest first', async () => {
    const listed = (await call('GET', '/v1/toolkits')).body as {
      items: Array<{ id: string; version: string; pinned: boolean; latestVersion: string }>;
    };
    expect(listed.items).toContainEqual(
      expect.objectContaining({ id: 'acme', version: '2.0.0', pinned: false, latestVersion: '2.0.0' }),
    );
    const github = listed.items.find((i) => i.id === 'github');
    expect(github?.version).toBe(builtInToolkitVersions('github')?.current);

    const res = await call('GET', '/v1/toolkits/acme/versions');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      toolkitId: 'acme',
      latestVersion: '2.0.0',
      pinnedVersion: null,
      versions: [
        { version: '2.0.0', hash: toolkitHash(current), latest: true, inUse: true },
        { version: '1.0.0', hash: toolkitHash(older), latest: false, inUse: false },
      ],
    });
    const old = await call('GET', '/v1/toolkits/acme/versions/1.0.0');
    expect(old.status, old.text).toBe(200);
    const oldCreate = (old.body as Toolkit).tools.find((x) => x.slug === 'acme.tasks.create');
    expect(Object.keys(oldCreate?.input.properties ?? {})).not.toContain('amount');
  });

  it('pin 1.0.0: execute, discovery and audit use the old tools; unpin: the new ones are back', async () => {
    const before = await create({ title: 'with an amount', amount: 12.5 });
    expect(before.result, before.text).toMatchObject({ successful: true, data: { amount: 12.5 } });
    expect(await auditedVersion(before.result.executionId)).toBe('2.0.0');

    const pin = await call('PUT', '/v1/toolkits/acme/pin', { version: '1.0.0' });
    expect(pin.status, pin.text).toBe(200);
    expect(pin.body).toMatchObject({ toolkitId: 'acme', version: '1.0.0' });

    // Discovery shows the pinned shape ...
    expect(Object.keys((await inputOf('acme.tasks.create')).properties)).not.toContain('amount');
    const summary = ((await call('GET', '/v1/toolkits')).body as { items: Array<Record<string, unknown>> })
      .items;
    expect(summary).toContainEqual(
      expect.objectContaining({ id: 'acme', version: '1.0.0', pinned: true, latestVersion: '2.0.0' }),
    );
    // ... execute validates against it (amount is no argument of 1.0.0) ...
    const refused = await create({ title: 'with an amount', amount: 3 });
    expect(refused.status).toBe(400);
    expect((refused.result as unknown as ErrorBody).error.code).toBe('invalid_arguments');
    const plain = await create({ title: 'pinned task' });
    expect(plain.result, plain.text).toMatchObject({ successful: true, data: { title: 'pinned task' } });
    expect(await auditedVersion(plain.result.executionId)).toBe('1.0.0');
    // ... and answers with its output: 1.0.0 returned the whole page, not the task array.
    const page = await execute(gh, p.apiKey, 'acme.tasks.list', {
      userId: 'alice',
      arguments: { limit: 50 },
    });
    expect(page.result.successful, page.text).toBe(true);
    expect(page.result.data).toMatchObject({ tasks: expect.arrayContaining([expect.anything()]) });

    // Another project is not affected by this one's pin.
    expect(Object.keys((await inputOf('acme.tasks.create', other.apiKey)).properties)).toContain('amount');
    const elsewhere = await create({ title: 'bob', amount: 1 }, other.apiKey, 'bob');
    expect(elsewhere.result.successful, elsewhere.text).toBe(true);

    const versionsPinned = (await call('GET', '/v1/toolkits/acme/versions')).body as {
      pinnedVersion: string;
      versions: Array<{ version: string; inUse: boolean }>;
    };
    expect(versionsPinned.pinnedVersion).toBe('1.0.0');
    expect(versionsPinned.versions.find((v) => v.inUse)?.version).toBe('1.0.0');

    const unpin = await call('DELETE', '/v1/toolkits/acme/pin');
    expect(unpin.status, unpin.text).toBe(204);
    expect(Object.keys((await inputOf('acme.tasks.create')).properties)).toContain('amount');
    const after = await create({ title: 'amount again', amount: 7 });
    expect(after.result, after.text).toMatchObject({ successful: true, data: { amount: 7 } });
    const list = await execute(gh, p.apiKey, 'acme.tasks.list', {
      userId: 'alice',
      arguments: { limit: 50 },
    });
    expect(Array.isArray(list.result.data)).toBe(true);

    const trail = (await call('GET', '/v1/audit?limit=50')).body as {
      items: Array<{ kind: string; detail: Record<string, unknown> }>;
    };
    const kinds = trail.items.map((i) => i.kind);
    expect(kinds).toContain('admin.toolkit.pinned');
    expect(kinds).toContain('admin.toolkit.unpinned');
  });

  it('an MCP client sees the pinned tools, and the new ones once unpinned (the official MCP client)', async () => {
    const server = await createMcpServer(gh, p.apiKey, { name: 'pins' });
    const createInput = async () => {
      const res = await gh.call('POST', '/v1/mcp/sessions', {
        key: p.apiKey,
        body: { userId: 'alice', serverId: server.id },
      });
      expect(res.status, res.text).toBe(201);
      const { url, credential } = res.body as { url: string; credential: string };
      const client = new Client({ name: 'pins-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${credential}` } },
        }),
      );
      const tool = (await client.listTools()).tools.find((x) => x.name === 'acme.tasks.create');
      await client.close();
      return Object.keys(tool?.inputSchema.properties ?? {});
    };
    expect(await createInput()).toContain('amount');
    expect((await call('PUT', '/v1/toolkits/acme/pin', { version: '1.0.0' })).status).toBe(200);
    expect(await createInput()).not.toContain('amount');
    expect((await call('DELETE', '/v1/toolkits/acme/pin')).status).toBe(204);
    expect(await createInput()).toContain('amount');
  });

  it('pinning the current version keeps the project on it; a re-pin replaces the pin', async () => {
    expect((await call('PUT', '/v1/toolkits/acme/pin', { version: '2.0.0' })).status).toBe(200);
    let listed = (await call('GET', '/v1/toolkits/acme')).body as Record<string, unknown>;
    expect(listed).toMatchObject({ version: '2.0.0', pinned: true });
    expect((await call('PUT', '/v1/toolkits/acme/pin', { version: '1.0.0' })).status).toBe(200);
    listed = (await call('GET', '/v1/toolkits/acme')).body as Record<string, unknown>;
    expect(listed).toMatchObject({ version: '1.0.0', pinned: true, latestVersion: '2.0.0' });
    expect((await call('DELETE', '/v1/toolkits/acme/pin')).status).toBe(204);
  });

  describe('bad input answers JSON errors, never a 500', () => {
    it.each<[string, string, unknown, number, string]>([
      ['an unknown version', '/v1/toolkits/acme/pin', { version: '9.9.9' }, 422, 'unknown_toolkit_version'],
      ['a malformed version', '/v1/toolkits/acme/pin', { version: 'latest' }, 400, 'invalid_request'],
      ['no version', '/v1/toolkits/acme/pin', {}, 400, 'invalid_request'],
      ['an extra field', '/v1/toolkits/acme/pin', { version: '1.0.0', at: 'x' }, 400, 'invalid_request'],
      ['an unknown toolkit', '/v1/toolkits/nothing_here/pin', { version: '1.0.0' }, 404, 'not_found'],
      ['a bad toolkit id', '/v1/toolkits/Bad-Id/pin', { version: '1.0.0' }, 400, 'invalid_request'],
    ])('PUT pin with %s', async (_what, path, body, status, code) => {
      const res = await call('PUT', path, body);
      expect(res.status, res.text).toBe(status);
      expect((res.body as ErrorBody).error.code).toBe(code);
    });

    it('unknown versions and unpinned toolkits are 404; a custom toolkit cannot be pinned', async () => {
      const missing = await call('GET', '/v1/toolkits/acme/versions/7.0.0');
      expect(missing.status).toBe(404);
      expect((missing.body as ErrorBody).error.code).toBe('not_found');
      const notPinned = await call('DELETE', '/v1/toolkits/acme/pin');
      expect(notPinned.status).toBe(404);
      expect((await call('GET', '/v1/toolkits/nothing_here/versions')).status).toBe(404);

      const custom = {
        id: 'mine',
        displayName: 'Mine',
        provider: 'github',
        tools: [
          {
            slug: 'mine.user.get',
            name: 'Who am I on GitHub',
            description: 'The connected GitHub user.',
            input: { type: 'object', properties: {}, additionalProperties: false },
            scopes: [],
            risk: 'read',
            http: { method: 'GET', path: '/user' },
          },
        ],
      };
      const put = await call('PUT', '/v1/toolkits/mine', custom);
      expect(put.status, put.text).toBe(200);
      // A custom toolkit's version is its content.
      expect(put.body).toMatchObject({ version: toolkitHash(parseToolkitOk(custom)), pinned: false });
      const res = await call('PUT', '/v1/toolkits/mine/pin', { version: '1.0.0' });
      expect(res.status).toBe(409);
      expect((res.body as ErrorBody).error.code).toBe('conflict');
      expect((await call('GET', '/v1/toolkits/mine/versions')).status).toBe(409);
      const runtimeKey = await call('PUT', '/v1/toolkits/acme/pin', { version: '1.0.0' }, 'gth_nope');
      expect(runtimeKey.status).toBe(401);
    });
  });
});

function parseToolkitOk(input: unknown): Toolkit {
  const parsed = parseToolkit(input);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}
