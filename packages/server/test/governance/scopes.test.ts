import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sandboxFor } from '../support/broker.js';
import { completeLink, createSandboxAuthConfig } from '../support/connect.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

describeEachDatabase('scope discipline: ceilings, and links that ask only for what tools need', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let apiKey: string;
  let authConfigId: string;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    ({ apiKey } = await gh.createProject('scopes'));
    // The admin's ceiling: this app may never ask for tasks:delete.
    authConfigId = await createSandboxAuthConfig(gh, apiKey, sandbox, started.client, {
      defaultScopes: ['openid', 'tasks:read'],
      allowedScopes: ['openid', 'offline_access', 'tasks:read', 'tasks:write'],
    });
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const link = (body: Record<string, unknown>) =>
    gh.call('POST', '/v1/connect/links', { key: apiKey, body: { userId: 'alice', authConfigId, ...body } });

  it('a scope above the ceiling is refused at link creation with scope_not_allowed', async () => {
    const res = await link({ scopes: ['tasks:read', 'tasks:delete'] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'scope_not_allowed', details: { scopes: ['tasks:delete'] } },
    });
  });

  it('tools: a link for acme.tasks.list asks for tasks:read (and openid to identify), nothing else', async () => {
    const res = await link({ tools: ['acme.tasks.list', 'acme.tasks.get'] });
    expect(res.status, res.text).toBe(201);
    const scopes = (res.body as { scopes: string[] }).scopes;
    expect(scopes.sort()).toEqual(['offline_access', 'openid', 'tasks:read']);
    // The user completes it; the account holds exactly that.
    await completeLink((res.body as { redirectUrl: string }).redirectUrl, { username: 'alice' });
    const accounts = await gh.call('GET', '/v1/connected-accounts?userId=alice', { key: apiKey });
    const [account] = (accounts.body as { items: Array<{ scopes: string[] }> }).items;
    expect(account?.scopes).toContain('tasks:read');
    expect(account?.scopes).not.toContain('tasks:write');
  });

  it('tools whose scopes pass the ceiling are refused; unknown tools and other providers are 400', async () => {
    const del = await link({ tools: ['acme.tasks.delete'] });
    expect(del.status).toBe(400);
    expect(del.body).toMatchObject({
      error: { code: 'scope_not_allowed', details: { scopes: ['tasks:delete'] } },
    });
    const unknown = await link({ tools: ['acme.tasks.explode'] });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('body.tools');
    const github = await link({ tools: ['github.issues.create'] });
    expect(github.status).toBe(400);
    const write = await link({ tools: ['acme.tasks.create'], scopes: ['tasks:read'] });
    expect(write.status).toBe(201);
    expect((write.body as { scopes: string[] }).scopes.sort()).toEqual([
      'offline_access',
      'openid',
      'tasks:read',
      'tasks:write',
    ]);
  });
});
