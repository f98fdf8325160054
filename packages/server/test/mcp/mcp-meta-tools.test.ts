import type { Sandbox } from '@gatehouse/sandbox';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { projectWithConnectedUsers, sandboxFor } from '../support/broker.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { createMcpServer } from './support/servers.js';

// An MCP server profile in search mode: the agent sees two tools, finds the one it needs by intent
// and runs it through the same pipeline (policy, audit) as a direct call. The official MCP client.

let gh: TestGatehouse;
let sandbox: Sandbox;
let acme: Awaited<ReturnType<typeof projectWithConnectedUsers>>;

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  const started = await sandboxFor(gh);
  sandbox = started.sandbox;
  acme = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice']);
});
afterAll(async () => {
  await gh?.close();
  await sandbox?.close();
  await gh?.server.runtime.db.close();
});

async function clientFor(serverId: string) {
  const res = await gh.call('POST', '/v1/mcp/sessions', {
    key: acme.apiKey,
    body: { userId: 'alice', serverId },
  });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  const { url, credential } = res.body as { url: string; credential: string };
  const client = new Client({ name: 'meta-tools-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${credential}` } },
    }),
  );
  return client;
}

it('search mode lists only search_tools and execute_tool; all mode lists every tool', async () => {
  const search = await createMcpServer(gh, acme.apiKey, { name: 'search', toolMode: 'search' });
  expect(search).toMatchObject({ toolMode: 'search' });
  const all = await createMcpServer(gh, acme.apiKey, { name: 'all' });
  expect(all).toMatchObject({ toolMode: 'all' });
  const meta = await clientFor(search.id);
  expect((await meta.listTools()).tools.map((t) => t.name).sort()).toEqual(['execute_tool', 'search_tools']);
  const full = await clientFor(all.id);
  expect((await full.listTools()).tools.map((t) => t.name)).toContain('acme.tasks.create');
  await meta.close();
  await full.close();
});

it('an agent finds "add a todo" with search_tools and runs it with execute_tool', async () => {
  const server = await createMcpServer(gh, acme.apiKey, { name: 'agent', toolMode: 'search' });
  const client = await clientFor(server.id);
  const found = await client.callTool({
    name: 'search_tools',
    arguments: { query: 'add a todo item', limit: 3 },
  });
  const tools = (found.structuredContent as { tools: Array<{ name: string; inputSchema: unknown }> }).tools;
  expect(tools[0]?.name).toBe('acme.tasks.create');
  expect(tools[0]?.inputSchema).toMatchObject({ properties: { title: { type: 'string' } } });

  const ran = await client.callTool({
    name: 'execute_tool',
    arguments: { tool: 'acme.tasks.create', arguments: { title: 'Found by intent' } },
  });
  expect(ran.isError).toBeFalsy();
  expect(ran.structuredContent).toMatchObject({ title: 'Found by intent', ownerId: 'alice' });
  const audit = await gh.call('GET', '/v1/audit?limit=5', { key: acme.apiKey });
  expect(audit.text).toContain('acme.tasks.create');

  // Outside the profile's toolkits, and malformed calls: tool errors, not crashes.
  await expect(
    client.callTool({ name: 'execute_tool', arguments: { tool: 'github.issues.create', arguments: {} } }),
  ).rejects.toThrow(/Unknown tool/);
  const bad = await client.callTool({
    name: 'execute_tool',
    arguments: { tool: 'acme.tasks.create', arguments: 'x' },
  });
  expect(bad.isError).toBe(true);
  const empty = await client.callTool({ name: 'search_tools', arguments: { query: ' ' } });
  expect(empty.isError).toBe(true);
  await client.close();
});
