import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../server/test/support/webhook-receiver.js';
import { collect, Gatehouse, GatehouseAdmin, verifyWebhook } from '../src/index.js';
import { type AdapterWorld, startAdapterWorld } from './support/adapter-world.js';

/** Every REST resource through the SDK, against a real Gatehouse: the SDK's parity with the API. */
let w: AdapterWorld;
let receiver: WebhookReceiver;
beforeAll(async () => {
  w = await startAdapterWorld('parity');
  receiver = await startWebhookReceiver();
}, 300_000);
afterAll(async () => {
  await receiver?.close();
  await w?.close();
});

describe('the SDK covers the REST API', () => {
  it('agents and their keys: an agent key acts as its agent', async () => {
    const agent = await w.sdk.agents.create({ id: 'planner', name: 'Planner' });
    expect(agent).toMatchObject({
      id: 'planner',
      key: { role: 'runtime', agentId: 'planner', key: expect.stringMatching(/^gth_ak_/) },
    });
    const second = await w.sdk.agents.createKey('planner');
    expect((await w.sdk.agents.get('planner')).keys.map((k) => k.id).sort()).toEqual(
      [agent.key.id, second.id].sort(),
    );
    const asAgent = new Gatehouse({ baseUrl: w.gh.url, apiKey: second.key });
    await asAgent.tools.execute('acme.tasks.list', { userId: 'alice' });
    expect((await w.sdk.audit.list({ agentId: 'planner' })).items[0]).toMatchObject({
      tool: 'acme.tasks.list',
    });
    expect(await w.sdk.agents.revokeKey('planner', second.id)).toMatchObject({
      revokedAt: expect.any(String),
    });
    expect((await collect(w.sdk.agents.iterate({ limit: 1 }))).map((a) => a.id)).toContain('planner');
    expect(await w.sdk.agents.delete('planner')).toMatchObject({ disabledAt: expect.any(String) });
  });

  it('API keys: create a runtime key, list, revoke', async () => {
    const key = await w.sdk.apiKeys.create({ name: 'backend', role: 'runtime' });
    expect(key).toMatchObject({ role: 'runtime', key: expect.stringMatching(/^gth_sk_/) });
    expect((await collect(w.sdk.apiKeys.iterate({ limit: 1 }))).map((k) => k.id)).toContain(key.id);
    expect(await w.sdk.apiKeys.revoke(key.id)).toMatchObject({ id: key.id, revokedAt: expect.any(String) });
  });

  it('policies: write, read, versions, schema and a dry run', async () => {
    const put = await w.sdk.policies.put({
      sets: [{ name: 'main', policies: 'permit(principal, action, resource);' }],
    });
    expect(put).toMatchObject({ version: expect.any(Number), warnings: [] });
    expect((await w.sdk.policies.get()).version).toBe(put.version);
    expect((await w.sdk.policies.version(put.version)).sets[0]).toMatchObject({
      name: 'main',
      mode: 'enforce',
    });
    expect((await collect(w.sdk.policies.iterateVersions({ limit: 1 }))).length).toBeGreaterThanOrEqual(1);
    expect(await w.sdk.policies.schema()).toContain('namespace');
    const dry = await w.sdk.policies.test(
      { userId: 'alice', tool: 'acme.tasks.create', arguments: { title: 'x' } },
      { sets: [{ name: 'deny', policies: 'forbid(principal, action, resource);' }] },
    );
    expect(dry).toMatchObject({ decision: 'deny' });
    await w.sdk.policies.put({ sets: [] });
  });

  it('limits and usage', async () => {
    const limits = await w.sdk.limits.put({ rateLimits: [{ per: 'user', limit: 1000, windowSeconds: 60 }] });
    expect(limits).toMatchObject({ version: 1, rateLimits: [{ per: 'user', limit: 1000 }] });
    expect(await w.sdk.limits.get()).toMatchObject({ version: 1 });
    await w.sdk.tools.execute('acme.tasks.list', { userId: 'alice' });
    const usage = await w.sdk.usage({ groupBy: 'tool' });
    expect(usage.items).toContainEqual(
      expect.objectContaining({ tool: 'acme.tasks.list', calls: expect.any(Number) }),
    );
  });

  it('webhooks and events: a signed connection.refreshed delivery after a forced refresh', async () => {
    const hook = await w.sdk.webhooks.create({ url: receiver.url, events: ['connection.refreshed'] });
    expect(hook.secret).toMatch(/^whsec_/);
    expect((await w.sdk.webhooks.get(hook.id)).events).toEqual(['connection.refreshed']);
    expect(await w.sdk.connectedAccounts.refresh(w.aliceAccount)).toMatchObject({
      id: w.aliceAccount,
      status: 'ACTIVE',
    });
    const delivered = await receiver.waitFor((d) => d.body.includes('connection.refreshed'));
    const event = verifyWebhook({
      payload: delivered.body,
      header: delivered.headers['gatehouse-signature'] as string,
      secret: hook.secret,
    });
    expect(event).toMatchObject({ type: 'connection.refreshed' });
    const listed = await w.sdk.events.list({ type: 'connection.refreshed' });
    expect(listed.items.map((e) => e.id)).toContain(event.id);
    const deliveries = await eventually(
      () => collect(w.sdk.webhooks.iterateDeliveries(hook.id)),
      (d) => d.some((x) => x.status === 'succeeded'),
    );
    expect(deliveries[0]).toMatchObject({ eventType: 'connection.refreshed' });
    expect((await collect(w.sdk.webhooks.iterate())).map((h) => h.id)).toContain(hook.id);
    await w.sdk.webhooks.delete(hook.id);
  });

  it('MCP server profiles and per-user MCP URLs', async () => {
    const server = await w.sdk.mcp.servers.create({
      name: 'Acme',
      toolkits: ['acme'],
      login: { type: 'dev' },
    });
    expect(server).toMatchObject({
      url: expect.stringContaining(`/mcp/${server.id}`),
      login: { type: 'dev' },
    });
    expect(await w.sdk.mcp.servers.update(server.id, { name: 'Acme tools' })).toMatchObject({
      name: 'Acme tools',
    });
    expect((await collect(w.sdk.mcp.servers.iterate())).map((s) => s.id)).toContain(server.id);
    const session = await w.sdk.mcp.sessions.create({ userId: 'alice', serverId: server.id, expiresIn: 600 });
    expect(session).toMatchObject({
      userId: 'alice',
      url: expect.stringContaining('/mcp/u/'),
      credential: expect.any(String),
    });
    expect((await w.sdk.mcp.sessions.list({ userId: 'alice' })).items.map((s) => s.id)).toContain(session.id);
    await w.sdk.mcp.sessions.revoke(session.id);
    await w.sdk.mcp.servers.delete(server.id);
    await expect(w.sdk.mcp.servers.get(server.id)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('settings, toolkits and providers', async () => {
    const proxy = await w.sdk.settings.proxy.put({ enabled: true, costUnits: 2 });
    expect(proxy).toMatchObject({ enabled: true, costUnits: 2 });
    expect(await w.sdk.settings.proxy.get()).toMatchObject({ enabled: true, costUnits: 2 });
    expect(await w.sdk.settings.connect.get()).toMatchObject({ userVerification: { enabled: false } });
    const connect = await w.sdk.settings.connect.put({ userVerification: { enabled: false } });
    expect(connect.version).toBeGreaterThanOrEqual(1);
    expect((await w.sdk.toolkits.list()).items.map((t) => t.id)).toContain('acme');
    expect((await w.sdk.toolkits.get('acme')).definition).toMatchObject({ id: 'acme' });
    const versions = await w.sdk.toolkits.versions('acme');
    expect(versions.versions[0]).toMatchObject({
      version: versions.latestVersion,
      latest: true,
      inUse: true,
    });
    expect(await w.sdk.toolkits.getVersion('acme', versions.latestVersion)).toMatchObject({ id: 'acme' });
    expect(await w.sdk.toolkits.pin('acme', versions.latestVersion)).toMatchObject({ toolkitId: 'acme' });
    expect(await w.sdk.toolkits.get('acme')).toMatchObject({ pinned: true, version: versions.latestVersion });
    await w.sdk.toolkits.unpin('acme');
    expect((await w.sdk.toolkits.versions('acme')).pinnedVersion).toBeNull();
    expect((await w.sdk.providers.list()).items.map((p) => p.id)).toContain('sandbox');
    expect(await w.sdk.providers.get('sandbox')).toMatchObject({
      custom: false,
      definition: { id: 'sandbox' },
    });
  });

  it('connect links for tools, and accounts', async () => {
    const [config] = (await w.sdk.authConfigs.list({ providerId: 'sandbox' })).items;
    const link = await w.sdk.connectLinks.create({
      userId: 'bob',
      authConfigId: config!.id,
      tools: ['acme.tasks.list'],
    });
    expect(link.scopes).toContain('tasks:read');
    expect(link.redirectUrl).toContain('/connect/');
    expect((await w.sdk.connectLinks.get(link.id)).status).toBe('PENDING');
    expect((await collect(w.sdk.connectedAccounts.iterate({ userId: 'alice' }))).map((a) => a.id)).toEqual([
      w.aliceAccount,
    ]);
  });

  it('the audit trail: list, export (NDJSON and CSV) and chain verification', async () => {
    const listed = await collect(w.sdk.audit.iterate({ userId: 'alice', limit: 2 }));
    const exported = await collect(w.sdk.audit.export({ userId: 'alice' }));
    expect(exported.map((e) => e.id)).toEqual(listed.map((e) => e.id));
    const csv = await w.sdk.audit.exportCsv({ userId: 'alice' });
    expect(csv.split('\n')[0]).toContain('executionId');
    expect(await w.sdk.audit.verify()).toMatchObject({ ok: true });
  });

  it('the instance admin API: projects', async () => {
    const admin = new GatehouseAdmin({ baseUrl: w.gh.url, adminToken: w.gh.adminToken });
    const created = await admin.projects.create({ name: 'second' });
    expect(created.apiKey.key).toMatch(/^gth_sk_/);
    expect((await collect(admin.projects.iterate({ limit: 1 }))).map((p) => p.id)).toContain(
      created.project.id,
    );
  });
});
