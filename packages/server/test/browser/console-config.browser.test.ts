import { randomBytes } from 'node:crypto';
import { type Sandbox, startSandbox } from '@gatehouse/sandbox';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { initializeMessage, mcpPost, obtainTokens } from '../mcp/support/oauth.js';
import { createMcpServer, type McpServerView } from '../mcp/support/servers.js';
import { artifactPath, hasChromium, launchChromium } from '../support/chromium.js';
import { createSandboxAuthConfig } from '../support/connect.js';
import { type AxeViolation, axeScan, enabledMutatingControls, signInToConsole } from '../support/console.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

interface Consent {
  userId: string;
  clientId: string;
  scopes: string[];
  activeGrants: number;
}

/** The console's auth config and MCP server pages, walked as an admin, an operator and a viewer would. */
describe.skipIf(!hasChromium)('console: auth configs and MCP server profiles, in Chromium', () => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let browser: Browser;
  let apiKey: string;
  let viewerKey: string;
  let server: McpServerView;
  let otherConfigId: string;
  const grants: Record<string, { access: string; clientId: string }> = {};
  let admin: BrowserContext;
  let page: Page;
  const violations: Record<string, AxeViolation[]> = {};
  const clientSecret = `sec-${randomBytes(16).toString('hex')}`;

  async function scan(name: string, pg: Page) {
    violations[name] = await axeScan(pg);
    await pg.screenshot({ path: artifactPath(`console-${name}.png`), fullPage: true });
  }

  const consents = async (): Promise<Consent[]> => {
    const res = await gh.call('GET', `/v1/mcp/servers/${server.id}/consents`, { key: apiKey });
    expect(res.status, res.text).toBe(200);
    return (res.body as { items: Consent[] }).items;
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    sandbox = await startSandbox({});
    gh = await startTestGatehouse(await openPglite());
    ({ apiKey } = await gh.createProject('console config pages'));
    const key = await gh.call('POST', '/v1/api-keys', {
      key: apiKey,
      body: { name: 'dash', role: 'runtime' },
    });
    viewerKey = (key.body as { key: string }).key;
    otherConfigId = await createSandboxAuthConfig(
      gh,
      apiKey,
      sandbox,
      { clientId: 'other-app', clientSecret: 'other-secret-value' },
      { name: 'Other app', allowedScopes: ['openid'] },
    );
    // Two users sign in at the profile's authorization server and consent to one client each.
    server = await createMcpServer(gh, apiKey);
    for (const user of ['alice', 'bob']) {
      const { tokens, clientId } = await obtainTokens(server, { user });
      grants[user] = { access: tokens.access_token, clientId };
    }
    browser = await launchChromium();
    admin = await browser.newContext({ bypassCSP: true });
    admin.on('page', (pg) => pg.on('dialog', (d) => void d.accept()));
    page = await signInToConsole(gh.url, admin, apiKey, 'admin');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gh?.close();
    await sandbox?.close();
    await gh?.server.runtime.db.close();
  });

  it('auth configs: create with the guide, a scope ceiling and a branding preview; edit; delete', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Auth configs' }).click();
    await page.waitForURL(/\/console\/auth-configs$/);
    expect(await page.textContent('table')).toContain('Other app');
    await scan('auth-configs', page);
    await page.getByLabel('Provider').selectOption('sandbox');
    await page.getByRole('button', { name: 'Set up' }).click();
    await page.waitForURL(/\/console\/auth-configs\/new\?provider=sandbox/);
    // The provider's guide: the exact redirect URI to register, the toolkit's scopes.
    expect(await page.textContent('.guide .callback')).toBe(`${gh.url}/oauth/callback`);
    expect(await page.textContent('.guide')).toContain('tasks:write');
    await page.getByLabel('baseUrl (required)').fill(sandbox.url);
    await page.getByLabel('Client ID').fill('sunny-app');
    await page.getByLabel('Client secret').fill(clientSecret);
    await page.getByRole('checkbox', { name: /^openid/ }).check();
    await page.getByRole('checkbox', { name: /^tasks:read/ }).check();
    await page.getByLabel('Display name').fill('Sunny Tasks');
    await page.getByLabel('Accent colour (#rrggbb)').fill('#ffd43b');
    // console.js updates the preview as the operator types: dark text on the light accent.
    expect(await page.getAttribute('[data-preview=button]', 'fill')).toBe('#ffd43b');
    expect(await page.getAttribute('[data-preview=button-text]', 'fill')).toBe('#111418');
    expect(await page.textContent('[data-preview=name]')).toBe('Sunny Tasks');
    await scan('auth-config-new', page);
    await page.getByRole('button', { name: 'Create auth config' }).click();
    await page.waitForURL(/\/console\/auth-configs\/ac_[^/?]+\?notice=created/);
    const id = new URL(page.url()).pathname.split('/').pop()!;

    // Server-rendered preview, the same colour rule as the Connect page; the secret never comes back.
    const html = await page.content();
    expect(html).not.toContain(clientSecret);
    expect(await page.getAttribute('[data-preview=button]', 'fill')).toBe('#ffd43b');
    expect(await page.getAttribute('[data-preview=button-text]', 'fill')).toBe('#111418');
    expect(await page.textContent('.brand-preview figcaption')).toMatch(/text #111418, contrast 1\d\.\d:1/);
    expect(await page.textContent('[data-preview=name]')).toBe('Sunny Tasks');
    expect(await page.textContent('.ceiling')).toBe('openid tasks:read');
    const created = await gh.call('GET', `/v1/auth-configs/${id}`, { key: apiKey });
    expect(created.body).toMatchObject({
      providerId: 'sandbox',
      clientId: 'sunny-app',
      hasClientSecret: true,
      allowedScopes: ['openid', 'tasks:read'],
      branding: { displayName: 'Sunny Tasks', accentColor: '#ffd43b' },
      settings: { baseUrl: sandbox.url },
    });
    expect(created.text).not.toContain(clientSecret);
    await scan('auth-config-detail', page);

    // The ceiling, edited: tasks:write added, openid dropped.
    await page.getByRole('checkbox', { name: /^tasks:write/ }).check();
    await page.getByRole('checkbox', { name: /^openid/ }).uncheck();
    await page.getByRole('button', { name: 'Save the ceiling' }).click();
    await page.waitForURL(/notice=scopes/);
    const edited = await gh.call('GET', `/v1/auth-configs/${id}`, { key: apiKey });
    expect((edited.body as { allowedScopes: string[] }).allowedScopes).toEqual(['tasks:read', 'tasks:write']);

    // Delete needs the ticked confirmation, on the server too.
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    const unconfirmed = await page.request.post(`${gh.url}/console/auth-configs/${id}/delete`, {
      form: { csrf },
      maxRedirects: 0,
    });
    expect(unconfirmed.headers().location).toContain('notice=confirm');
    expect((await gh.call('GET', `/v1/auth-configs/${id}`, { key: apiKey })).status).toBe(200);
    await page.getByLabel(/Yes, delete/).check();
    await page.getByRole('button', { name: 'Delete auth config' }).click();
    await page.waitForURL(/\/console\/auth-configs\?notice=deleted/);
    expect((await gh.call('GET', `/v1/auth-configs/${id}`, { key: apiKey })).status).toBe(404);
  });

  it("MCP servers: an operator revokes alice's consent grant; her token stops working, bob's does not", async () => {
    const before = await consents();
    expect(before.map((c) => c.userId).sort()).toEqual(['alice', 'bob']);
    expect((await mcpPost(server.url, initializeMessage, bearer(grants.alice!.access))).status).toBe(200);

    const context = await browser.newContext({ bypassCSP: true });
    context.on('page', (pg) => pg.on('dialog', (d) => void d.accept()));
    const op = await signInToConsole(gh.url, context, apiKey, 'operator');
    await op.getByRole('navigation').getByRole('link', { name: 'MCP servers' }).click();
    await op.waitForURL(/\/console\/mcp$/);
    expect(await op.textContent('table')).toContain(server.url);
    await scan('mcp-servers', op);
    await op.getByRole('link', { name: server.name }).click();
    await op.waitForURL(new RegExp(`/console/mcp/${server.id}$`));
    const clients = op.locator('table').nth(1);
    expect(await clients.textContent()).toContain(grants.alice!.clientId);
    // Deleting a client is an admin's: an operator is not offered it.
    expect(await op.getByRole('button', { name: /Revoke client/ }).count()).toBe(0);
    await scan('mcp-server', op);
    await op.getByRole('button', { name: /Revoke grant of alice/ }).click();
    await op.waitForURL(/notice=consent_revoked/);
    expect(await op.textContent('main table')).not.toContain('alice');

    // The API agrees: alice's consent is gone, bob's stays; alice's token is refused at once.
    expect((await consents()).map((c) => c.userId)).toEqual(['bob']);
    expect((await mcpPost(server.url, initializeMessage, bearer(grants.alice!.access))).status).toBe(401);
    expect((await mcpPost(server.url, initializeMessage, bearer(grants.bob!.access))).status).toBe(200);
    const audit = await gh.call('GET', '/v1/audit?limit=5', { key: apiKey });
    const row = (
      audit.body as { items: Array<{ kind: string; detail: Record<string, unknown> }> }
    ).items.find((e) => e.kind === 'admin.mcp_consent.revoked');
    expect(row?.detail).toMatchObject({ userId: 'alice', revokedGrants: 1, via: 'console' });

    // An operator's forged request to delete a client is refused.
    const csrf = await op.locator('input[name=csrf]').first().inputValue();
    const forged = await op.request.post(
      `${gh.url}/console/mcp/${server.id}/clients/${grants.bob!.clientId}/revoke`,
      { form: { csrf } },
    );
    expect(forged.status()).toBe(403);
    await context.close();
  });

  it('a viewer reads both pages with no enabled mutating control; forged POSTs are refused (403)', async () => {
    const context = await browser.newContext();
    const viewer = await signInToConsole(gh.url, context, viewerKey, 'admin'); // capped to viewer
    expect(await viewer.textContent('.role')).toBe('viewer');
    for (const path of [
      '/console/auth-configs',
      '/console/auth-configs/new?provider=sandbox',
      `/console/auth-configs/${otherConfigId}`,
      '/console/mcp',
      `/console/mcp/${server.id}`,
    ]) {
      const res = await viewer.goto(`${gh.url}${path}`);
      expect(res?.status(), path).toBe(200);
      expect(await enabledMutatingControls(viewer), path).toBe(0);
      // The same page offers an admin its controls (the two lists have no POST form for anyone).
      await page.goto(`${gh.url}${path}`);
      if (!['/console/mcp', '/console/auth-configs'].includes(path))
        expect(await enabledMutatingControls(page), path).toBeGreaterThan(0);
    }
    expect(await viewer.textContent('main')).toContain('bob');
    const csrf = await viewer.locator('input[name=csrf]').first().inputValue();
    const forged: Array<[string, Record<string, string>]> = [
      [
        '/console/auth-configs',
        { csrf, providerId: 'sandbox', clientId: 'evil', setting_baseUrl: sandbox.url },
      ],
      [`/console/auth-configs/${otherConfigId}/scopes`, { csrf, allowedScopes: 'tasks:delete' }],
      [`/console/auth-configs/${otherConfigId}/delete`, { csrf, confirm: 'yes' }],
      [`/console/mcp/${server.id}/consents/revoke`, { csrf, userId: 'bob', clientId: grants.bob!.clientId }],
      [`/console/mcp/${server.id}/clients/${grants.bob!.clientId}/revoke`, { csrf }],
      // A viewer's POST is refused before its fields are read: nothing tells it which field is wrong.
      [`/console/mcp/${server.id}/consents/revoke`, { csrf }],
    ];
    for (const [path, form] of forged) {
      const res = await viewer.request.post(`${gh.url}${path}`, { form });
      expect(res.status(), path).toBe(403);
    }
    // Nothing changed.
    const other = await gh.call('GET', `/v1/auth-configs/${otherConfigId}`, { key: apiKey });
    expect((other.body as { allowedScopes: string[] }).allowedScopes).toEqual(['openid']);
    const list = await gh.call('GET', '/v1/auth-configs', { key: apiKey });
    expect((list.body as { items: unknown[] }).items).toHaveLength(1);
    expect((await consents()).map((c) => c.userId)).toEqual(['bob']);
    expect((await mcpPost(server.url, initializeMessage, bearer(grants.bob!.access))).status).toBe(200);
    await context.close();
  });

  it("an admin deletes bob's client: its grant ends and it no longer exists", async () => {
    await page.goto(`${gh.url}/console/mcp/${server.id}`);
    const label = `Revoke client Manual client`;
    const buttons = page.getByRole('button', { name: label });
    expect(await buttons.count()).toBe(2); // bob's, and alice's client (which has no grant left)
    await page.locator('tr', { hasText: grants.bob!.clientId }).getByRole('button', { name: label }).click();
    await page.waitForURL(/notice=client_revoked/);
    expect(await page.textContent('main')).not.toContain(grants.bob!.clientId);
    expect(await consents()).toEqual([]);
    expect((await mcpPost(server.url, initializeMessage, bearer(grants.bob!.access))).status).toBe(401);
  });

  it('axe-core: no serious or critical violation on the auth config and MCP server pages', () => {
    expect(Object.keys(violations).sort()).toEqual([
      'auth-config-detail',
      'auth-config-new',
      'auth-configs',
      'mcp-server',
      'mcp-servers',
    ]);
    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((k) => [k, []])));
  });
});
