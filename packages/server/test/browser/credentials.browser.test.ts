import type { Sandbox } from '@gatehouse/sandbox';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { artifactPath, hasChromium, launchChromium } from '../support/chromium.js';
import { dumpDatabase, Browser as FetchBrowser, sandboxFor } from '../support/connect.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { registerStaticProviders } from '../support/static-providers.js';

describe.skipIf(!hasChromium)('a person connects an API key on the hosted page (Chromium)', () => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let browser: Browser;
  let key: string;
  let configs: { payments: string; helpdesk: string };

  beforeAll(async () => {
    gh = await startTestGatehouse(await openPglite());
    ({ sandbox } = await sandboxFor(gh));
    key = (await gh.createProject('key-page')).apiKey;
    configs = await registerStaticProviders(gh, key, sandbox);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gh?.close();
    await sandbox?.close();
    await gh?.server.runtime.db.close();
  });

  const newLink = async (authConfigId: string, userId: string) => {
    const res = await gh.call('POST', '/v1/connect/links', { key, body: { userId, authConfigId } });
    return res.body as { id: string; redirectUrl: string };
  };

  it('a wrong key is refused on the page with an announced error; the right one connects; execute; revoke', async () => {
    const secret = sandbox.apiKeys.alice!;
    const { id, redirectUrl } = await newLink(configs.payments, 'alice');
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const opened = await page.goto(redirectUrl);
    const csp = opened!.headers()['content-security-policy']!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(await page.textContent('h1')).toBe('Connect your Acme Payments account');
    // Accessible: the field has a label, is a password field and is not autocompleted.
    const field = page.getByLabel('Secret key');
    expect(await field.getAttribute('type')).toBe('password');
    expect(await field.getAttribute('autocomplete')).toBe('off');
    await page.screenshot({ path: artifactPath('key-1-entry.png') });

    await field.fill(`sk_test_${'9'.repeat(24)}`);
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    expect(await page.textContent('[role=alert]')).toContain('refused the credential');
    expect(await page.getByLabel('Secret key').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Secret key').inputValue()).toBe('');
    await page.screenshot({ path: artifactPath('key-2-refused.png') });
    const pending = (await gh.call('GET', `/v1/connect/links/${id}`, { key })).body as { status: string };
    expect(pending.status).not.toBe('FAILED');

    await page.getByLabel('Secret key').fill(secret);
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:text("Connected")');
    await page.screenshot({ path: artifactPath('key-3-connected.png') });
    expect(await page.content()).not.toContain(secret);
    expect(violations).toEqual([]);
    await page.close();

    const link = (await gh.call('GET', `/v1/connect/links/${id}`, { key })).body as {
      status: string;
      connectedAccountId: string;
    };
    expect(link.status).toBe('COMPLETED');
    const ran = await gh.call('POST', '/v1/tools/acme_payments.customers.create/execute', {
      key,
      body: { userId: 'alice', arguments: { email: 'a@example.com' } },
    });
    expect(ran.body).toMatchObject({ successful: true, data: { email: 'a@example.com' } });
    const revoked = await gh.call('DELETE', `/v1/connected-accounts/${link.connectedAccountId}`, { key });
    expect(revoked.status).toBe(200);
    const after = await gh.call('POST', '/v1/tools/acme_payments.balance.get/execute', {
      key,
      body: { userId: 'alice', arguments: {} },
    });
    expect(after.body).toMatchObject({ successful: false, error: { code: 'authorization_required' } });
    expect(gh.logs.text()).not.toContain(secret);
    expect(await dumpDatabase(gh.server.runtime.db)).not.toContain(secret);
  });

  it('HTTP Basic on the hosted page: labelled username and password fields', async () => {
    const { id, redirectUrl } = await newLink(configs.helpdesk, 'bob');
    const page = await browser.newPage();
    await page.goto(redirectUrl);
    await page.getByLabel('Helpdesk username').fill('bob');
    await page.getByLabel('Helpdesk password').fill('bob-pass');
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:text("Connected")');
    await page.close();
    const link = (await gh.call('GET', `/v1/connect/links/${id}`, { key })).body as { status: string };
    expect(link.status).toBe('COMPLETED');
  });

  it('a form posted without the page’s CSRF token, or from another origin, is refused and nothing is saved', async () => {
    const { id, redirectUrl } = await newLink(configs.payments, 'carol');
    const linkKey = new URL(redirectUrl).searchParams.get('key')!;
    const visitor = new FetchBrowser();
    await visitor.fetch(redirectUrl); // sets the browser cookie
    const post = (headers: Record<string, string>, csrf: string) =>
      visitor.fetch(`${gh.url}/connect/${id}/credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ key: linkKey, csrf, apiKey: sandbox.apiKeys.carol! }).toString(),
      });
    expect((await post({}, 'f'.repeat(64))).status).toBe(403);
    const page = await visitor.fetch(redirectUrl);
    const csrf = /name="csrf" value="([0-9a-f]{64})"/.exec(page.text)![1]!;
    expect((await post({ origin: 'https://evil.example' }, csrf)).status).toBe(403);
    const accounts = await gh.call('GET', '/v1/connected-accounts?userId=carol', { key });
    expect((accounts.body as { items: unknown[] }).items).toEqual([]);
    expect((await post({}, csrf)).status).toBe(200);
  });
});
