import { randomBytes } from 'node:crypto';
import { type Sandbox, startSandbox } from '@gatehouse/sandbox';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { AGENT, example, setPolicies } from '../governance/support.js';
import { execute, projectWithConnectedUsers } from '../support/broker.js';
import { artifactPath, hasChromium, launchChromium } from '../support/chromium.js';
import { createSandboxAuthConfig, PASSWORDS } from '../support/connect.js';
import { type AxeViolation, axeScan, signInToConsole } from '../support/console.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

describe.skipIf(!hasChromium)('the operator console and the self-service page, in Chromium', () => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let browser: Browser;
  let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
  let client: { clientId: string; clientSecret: string };
  let viewerKey: string;
  let admin: BrowserContext;
  let page: Page;
  const violations: Record<string, AxeViolation[]> = {};

  const signIn = (context: BrowserContext, credential: string, role: string): Promise<Page> =>
    signInToConsole(gh.url, context, credential, role);

  async function scan(name: string, pg: Page) {
    violations[name] = await axeScan(pg);
    await pg.screenshot({ path: artifactPath(`console-${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    // The sandbox's oidc-provider is both the users' provider and the operators' identity provider.
    sandbox = await startSandbox({});
    const sso = { clientId: 'gatehouse-console', clientSecret: randomBytes(24).toString('hex') };
    gh = await startTestGatehouse(await openPglite(), {
      GATEHOUSE_CONSOLE_OIDC_ISSUER: sandbox.issuer,
      GATEHOUSE_CONSOLE_OIDC_CLIENT_ID: sso.clientId,
      GATEHOUSE_CONSOLE_OIDC_CLIENT_SECRET: sso.clientSecret,
    });
    client = { clientId: 'gatehouse-connect', clientSecret: randomBytes(24).toString('hex') };
    for (const [c, path] of [
      [client, '/oauth/callback'],
      [sso, '/console/sso/callback'],
    ] as const)
      await sandbox.registerClient({
        ...c,
        redirectUris: [`${gh.url}${path}`],
        tokenEndpointAuthMethod: 'client_secret_basic',
        name: `Gatehouse ${path}`,
      });
    p = await projectWithConnectedUsers(gh, sandbox, client, ['alice', 'bob']);
    // A webhook endpoint nobody listens on: the revoke below gives it a delivery to show.
    const hook = await gh.call('POST', '/v1/webhooks', {
      key: p.apiKey,
      body: { url: 'http://127.0.0.1:9/hook' },
    });
    expect(hook.status, hook.text).toBe(201);
    await setPolicies(gh, p.apiKey, [{ name: 'approvals', policies: example('approval-for-writes') }]);
    // Some traffic for audit and usage: reads by two agents, and a write that waits for approval.
    for (const user of ['alice', 'bob'])
      await execute(gh, p.apiKey, 'acme.tasks.list', { userId: user, arguments: {} }, AGENT);
    await execute(
      gh,
      p.apiKey,
      'acme.tasks.list',
      { userId: 'alice', arguments: {} },
      {
        'gatehouse-agent-id': 'mailer-2',
      },
    );
    const write = await execute(
      gh,
      p.apiKey,
      'acme.tasks.create',
      { userId: 'alice', arguments: { title: 'pay invoice 4711' } },
      AGENT,
    );
    expect(write.result.error?.code).toBe('approval_required');
    const key = await gh.call('POST', '/v1/api-keys', {
      key: p.apiKey,
      body: { name: 'dash', role: 'runtime' },
    });
    viewerKey = (key.body as { key: string }).key;
    browser = await launchChromium();
    admin = await browser.newContext({ bypassCSP: true });
    admin.on('page', (pg) => pg.on('dialog', (d) => void d.accept()));
    page = await signIn(admin, p.apiKey, 'admin');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gh?.close();
    await sandbox?.close();
    await gh?.server.runtime.db.close();
  });

  it('pages carry a strict CSP, no framing, no secret in the HTML', async () => {
    const res = await page.request.get(`${gh.url}/console/users`);
    const csp = res.headers()['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).not.toContain(p.apiKey);
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/);
    expect(html).toContain('name="csrf"');
  });

  it("users → alice → force refresh, then revoke bob's account", async () => {
    await expect(page.getByRole('link', { name: 'alice' })).toBeDefined();
    expect(await page.textContent('table')).toContain('bob');
    await scan('users', page);
    await page.getByRole('link', { name: 'alice' }).click();
    await page.waitForURL(/\/console\/users\/alice/);
    expect(await page.textContent('main')).toContain('tasks:read');
    await page.getByRole('button', { name: /Force refresh/ }).click();
    await page.waitForURL(/notice=refreshed/);
    expect(await page.textContent('[role=status]')).toContain('refreshed');
    await scan('user-accounts', page);

    await page.goto(`${gh.url}/console/users/bob`);
    await page.getByRole('button', { name: /Revoke/ }).click();
    await page.waitForURL(/notice=revoked/);
    expect(await page.textContent('main')).toContain('has no connected accounts');
    const gone = await gh.call('GET', `/v1/connected-accounts/${p.accounts.bob}`, { key: p.apiKey });
    expect(gone.status).toBe(404);
    // The same audit row as DELETE /v1/connected-accounts/:id, naming the console operator.
    const audit = await gh.call('GET', '/v1/audit?limit=5', { key: p.apiKey });
    const row = (
      audit.body as { items: Array<{ kind: string; detail: Record<string, unknown> }> }
    ).items.find((e) => e.kind === 'admin.connected_account.deleted');
    expect(row?.detail).toMatchObject({ connectedAccountId: p.accounts.bob, via: 'console' });
    expect(String(row?.detail.apiKeyId)).toMatch(/^console:key:key_/);
  });

  it('approvals: the exact arguments, approved by the operator who is recorded as the decider', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Approvals' }).click();
    await page.waitForURL(/\/console\/approvals/);
    const card = page.locator('section.approval').first();
    expect(await card.textContent()).toContain('acme.tasks.create');
    expect(await card.locator('pre').textContent()).toContain('"title": "pay invoice 4711"');
    await scan('approvals', page);
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(/notice=approved/);
    const list = await gh.call('GET', '/v1/approvals?status=approved', { key: p.apiKey });
    const [approval] = (list.body as { items: Array<{ decidedBy: Record<string, unknown> }> }).items;
    expect(approval?.decidedBy).toMatchObject({
      kind: 'api_key',
      approver: expect.stringMatching(/^key key_/),
    });
    expect(String(approval?.decidedBy.apiKeyId)).toMatch(/^console:key:/);
  });

  it('policies: an error shows its line and column, the fix saves a new version', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Policies' }).click();
    await page.waitForURL(/\/console\/policies/);
    const editor = page.getByLabel('Cedar policies of set approvals');
    const good = await editor.inputValue();
    await editor.fill(`${good}\npermit (principal, action, resource) when { context.nope.. };\n`);
    await page
      .locator('form:has(#policies-approvals)')
      .getByRole('button', { name: 'Save as a new version' })
      .click();
    const alert = page.getByRole('alert');
    const text = (await alert.textContent()) ?? '';
    const lines = good.split('\n').length;
    expect(text).toMatch(new RegExp(`line ${lines + 1}, column \\d+`));
    await scan('policies-error', page);
    // The fix: shadow mode, valid text.
    await page.getByLabel('Cedar policies of set approvals').fill(good);
    await page.locator('form:has(#policies-approvals)').getByLabel('Mode').selectOption('shadow');
    await page
      .locator('form:has(#policies-approvals)')
      .getByRole('button', { name: 'Save as a new version' })
      .click();
    await page.waitForURL(/saved=2/);
    const current = await gh.call('GET', '/v1/policies', { key: p.apiKey });
    expect(current.body).toMatchObject({ version: 2, sets: [{ name: 'approvals', mode: 'shadow' }] });
    expect(await page.textContent('#history + table')).toContain('console:key:');
    // History: version 2 against version 1 (same text, mode changed).
    await page.getByRole('link', { name: '2', exact: true }).click();
    await page.waitForURL(/\/console\/policies\/versions\/2/);
    expect(await page.textContent('main h2')).toContain('(shadow (was enforce))');
    expect(await page.locator('pre.diff .ins, pre.diff .del').count()).toBe(0);
    await scan('policy-version', page);
  });

  it('audit: filter to one execution, chain verified, export', async () => {
    const all = await gh.call('GET', '/v1/audit?tool=acme.tasks.list&limit=1', { key: p.apiKey });
    const executionId = (all.body as { items: Array<{ executionId: string }> }).items[0]!.executionId;
    await page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
    await page.waitForURL(/\/console\/audit/);
    expect(await page.textContent('.verdict')).toContain('Chain verified');
    await page.getByLabel('Execution id').fill(executionId);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/executionId=/);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(executionId);
    await scan('audit', page);
    const csv = await page.request.get(
      `${gh.url}/console/audit/export?format=csv&executionId=${executionId}`,
    );
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('usage: charts per user, agent and tool render', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Usage' }).click();
    await page.waitForURL(/\/console\/usage/);
    for (const group of ['user', 'agent', 'tool'])
      expect(await page.locator(`svg#chart-${group} polyline`).count()).toBeGreaterThan(0);
    expect(await page.locator('svg#chart-agent').getAttribute('aria-labelledby')).toBeTruthy();
    expect(await page.textContent('#chart-agent-d')).toMatch(/planner-1: 2.*mailer-2: 1/);
    await scan('usage', page);
  });

  it("tools: the catalog searches and shows each tool's risk and scopes", async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Tools' }).click();
    await page.waitForURL(/\/console\/tools/);
    await page.getByLabel('Search tools').fill('create a task');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=create/);
    // Ranked among every shipped toolkit's create tools (Jira, Asana, … rank too): the acme row is there.
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(1);
    const acme = rows.filter({ hasText: 'acme.tasks.create' });
    expect(await acme.count()).toBe(1);
    expect(await acme.locator('.badge').last().textContent()).toBe('write');
    expect(await acme.textContent()).toContain('tasks:write');
    await scan('tools', page);
  });

  it('API keys: an admin creates a key (shown once) that works, then revokes it', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(/\/console\/keys/);
    await page.getByLabel('Name').fill('ci-bot');
    await page.getByLabel('Role').selectOption('runtime');
    await page.getByRole('button', { name: 'Create' }).click();
    const secret = await page.getByLabel('New API key').inputValue();
    expect(secret).toMatch(/^gth_sk_/);
    expect((await gh.call('GET', '/v1/tools?limit=1', { key: secret })).status).toBe(200);
    await scan('keys', page);
    await page.getByRole('button', { name: 'Revoke key ci-bot' }).click();
    await page.waitForURL(/notice=revoked/);
    expect(await page.getByRole('button', { name: 'Revoke key ci-bot' }).count()).toBe(0);
    // Key verification is cached for a few seconds per replica (api-keys.ts); then it is refused.
    await expect
      .poll(async () => (await gh.call('GET', '/v1/tools?limit=1', { key: secret })).status, {
        timeout: 15_000,
      })
      .toBe(401);
  });

  it('webhooks: endpoints with their deliveries', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(/\/console\/webhooks/);
    expect(await page.textContent('main h2')).toContain('http://127.0.0.1:9/hook');
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.textContent('tbody')).toContain('approval.decided');
    await scan('webhooks', page);
  });

  it('keyboard: a skip link first, then the navigation, every control reachable by Tab', async () => {
    await page.goto(`${gh.url}/console/approvals?status=approved`);
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document
            .activeElement.textContent,
      ),
    ).toBe('Skip to content');
    const focused: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      focused.push(
        await page.evaluate(() => {
          const el = (
            globalThis as unknown as {
              document: { activeElement: { tagName: string; textContent: string; id: string } };
            }
          ).document.activeElement;
          return `${el.tagName}:${el.id || el.textContent.trim().slice(0, 20)}`;
        }),
      );
    }
    for (const want of [
      'A:Users',
      'A:Approvals',
      'A:Policies',
      'A:Audit',
      'A:Usage',
      'BUTTON:Sign out',
      'SELECT:status',
      'INPUT:userId',
      'BUTTON:Show',
    ])
      expect(focused, want).toContain(want);
  });

  it('axe-core: no serious or critical violation on any console page', () => {
    expect(Object.keys(violations).length).toBeGreaterThanOrEqual(7);
    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((k) => [k, []])));
  });

  it('a viewer reads but cannot change anything: 403 on every mutating console action', async () => {
    const context = await browser.newContext();
    const viewer = await signIn(context, viewerKey, 'admin'); // a runtime key is capped to viewer
    expect(await viewer.textContent('.role')).toBe('viewer');
    await viewer.goto(`${gh.url}/console/users/alice`);
    expect(await viewer.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    const csrf = await viewer.locator('input[name=csrf]').first().inputValue();
    const actions = gh.server.app.routeTable.filter(
      (r) => r.method === 'POST' && r.url.startsWith('/console/') && !/sign-(in|out)$/.test(r.url),
    );
    expect(actions.length).toBeGreaterThanOrEqual(4);
    const fields: Record<string, string> = {
      csrf,
      decision: 'approve',
      baseVersion: '2',
      set: 'approvals',
      mode: 'enforce',
      policies: 'forbid (principal, action, resource);',
      subject: 'mallory',
      role: 'admin',
      name: 'mallory',
    };
    for (const a of actions) {
      const url = a.url.replace(':id', p.accounts.alice!);
      const res = await viewer.request.post(`${gh.url}${url}`, { form: fields });
      expect(res.status(), `${a.url}`).toBe(403);
    }
    // Nothing changed.
    const still = await gh.call('GET', `/v1/connected-accounts/${p.accounts.alice}`, { key: p.apiKey });
    expect(still.status).toBe(200);
    expect(
      ((await gh.call('GET', '/v1/policies', { key: p.apiKey })).body as { version: number }).version,
    ).toBe(2);
    await context.close();
  });

  it('an operator decides and revokes but cannot change policies; a forged form is refused', async () => {
    const context = await browser.newContext();
    const op = await signIn(context, p.apiKey, 'operator');
    const csrf = await op.locator('input[name=csrf]').first().inputValue();
    const save = await op.request.post(`${gh.url}/console/policies`, {
      form: { csrf, baseVersion: '2', set: 'x', mode: 'enforce', policies: '' },
    });
    expect(save.status()).toBe(403);
    const forged = await op.request.post(`${gh.url}/console/accounts/${p.accounts.alice}/refresh`, {
      form: { csrf: 'x'.repeat(32) },
    });
    expect(forged.status()).toBe(403);
    await context.close();
  });

  it('end user: a signed link opens their page once, with scopes in plain words and agents; revoke works', async () => {
    const minted = await gh.call('POST', '/v1/users/alice/self-service-links', { key: p.apiKey, body: {} });
    expect(minted.status).toBe(201);
    const { url } = minted.body as { url: string };
    const runtimeTry = await gh.call('POST', '/v1/users/alice/self-service-links', {
      key: viewerKey,
      body: {},
    });
    expect(runtimeTry.status).toBe(403);
    const context = await browser.newContext({ bypassCSP: true });
    const user = await context.newPage();
    await user.goto(url);
    expect(user.url()).toBe(`${gh.url}/my/connections`);
    const body = (await user.textContent('main')) ?? '';
    expect(body).toContain("Read the user's tasks");
    expect(body).toContain('planner-1');
    expect(body).toContain('mailer-2');
    const found = await axeScan(user);
    expect(found).toEqual([]);
    await user.screenshot({ path: artifactPath('self-service-1.png'), fullPage: true });
    await user.getByRole('button', { name: /Revoke access/ }).click();
    await user.waitForURL(/notice=revoked/);
    expect(await user.textContent('main')).toContain('You have no connected accounts');
    await user.screenshot({ path: artifactPath('self-service-2-revoked.png'), fullPage: true });
    const gone = await gh.call('GET', `/v1/connected-accounts/${p.accounts.alice}`, { key: p.apiKey });
    expect(gone.status).toBe(404);
    // The link is single use: opened again (a leaked copy), it shows nothing.
    const again = await (await browser.newContext()).newPage();
    const res = await again.goto(url);
    expect(res?.status()).toBe(401);
    await context.close();
  });

  it('the hosted Connect page with a light brand accent: dark button text, no serious axe violation', async () => {
    const authConfigId = await createSandboxAuthConfig(gh, p.apiKey, sandbox, client, {
      branding: { displayName: 'Sunny', accentColor: '#ffd43b' },
    });
    const link = await gh.call('POST', '/v1/connect/links', {
      key: p.apiKey,
      body: { userId: 'carol', authConfigId },
    });
    const context = await browser.newContext({ bypassCSP: true });
    const hosted = await context.newPage();
    await hosted.goto((link.body as { redirectUrl: string }).redirectUrl);
    const color = await hosted
      .locator('button[type=submit]')
      .evaluate(
        (b) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(b)
            .color,
      );
    expect(color).toBe('rgb(17, 20, 24)');
    expect(await axeScan(hosted)).toEqual([]);
    await hosted.screenshot({ path: artifactPath('connect-light-accent.png') });
    await context.close();
  });

  it('single sign-on: an identity an admin granted signs in at the identity provider with its role', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Operators' }).click();
    await page.waitForURL(/\/console\/operators/);
    await page.getByLabel(/Identity/).fill('alice');
    await page.getByLabel('Role').selectOption('operator');
    await page.getByRole('button', { name: 'Grant' }).click();
    await page.waitForURL(/notice=granted/);
    expect(await page.textContent('table')).toContain('alice');
    await scan('operators', page);
    expect(violations.operators).toEqual([]);

    const signInAs = async (user: string): Promise<Page> => {
      const context = await browser.newContext();
      const pg = await context.newPage();
      await pg.goto(`${gh.url}/console/sign-in`);
      await pg.getByRole('button', { name: 'Sign in with single sign-on' }).click();
      await pg.waitForSelector('input[name=username]');
      await pg.fill('input[name=username]', user);
      await pg.fill('input[name=password]', PASSWORDS[user]!);
      await pg.click('button[type=submit]');
      const consent = pg.locator('button[name=decision][value=approve]');
      await Promise.race([
        consent.waitFor().then(() => consent.click()),
        pg.waitForURL(`${gh.url}/console/**`),
      ]);
      await pg.waitForURL(`${gh.url}/console/**`);
      return pg;
    };
    const alice = await signInAs('alice');
    expect(alice.url()).toBe(`${gh.url}/console/users`);
    expect(await alice.textContent('.who')).toContain('alice');
    expect(await alice.textContent('.role')).toBe('operator');
    // bob signs in at the identity provider too, but nobody granted him the console.
    const bob = await signInAs('bob');
    expect(bob.url()).toContain('/console/sso/callback');
    expect(await bob.getByRole('alert').textContent()).toContain('bob is not an operator');
    await alice.context().close();
    await bob.context().close();
  });
});
