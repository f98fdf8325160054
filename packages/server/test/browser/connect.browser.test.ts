import type { Sandbox } from '@gatehouse/sandbox';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { artifactPath, hasChromium, launchChromium } from '../support/chromium.js';
import { createSandboxAuthConfig, sandboxFor } from '../support/connect.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

describe.skipIf(!hasChromium)('a person connects their account in a real browser (Chromium)', () => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let browser: Browser;
  let apiKey: string;
  let authConfigId: string;

  beforeAll(async () => {
    gh = await startTestGatehouse(await openPglite());
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    apiKey = (await gh.createProject('browser')).apiKey;
    authConfigId = await createSandboxAuthConfig(gh, apiKey, sandbox, started.client, {
      branding: { displayName: 'Task Pilot', accentColor: '#0b7285' },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gh?.close();
    await sandbox?.close();
    await gh?.server.runtime.db.close();
  });

  it('hosted page → sandbox login → consent → success page', async () => {
    const created = await gh.call('POST', '/v1/connect/links', {
      key: apiKey,
      body: { userId: 'alice', authConfigId, scopes: ['openid', 'tasks:read', 'tasks:write'] },
    });
    const { id, redirectUrl } = created.body as { id: string; redirectUrl: string };
    const page = await browser.newPage();
    await page.goto(redirectUrl);
    expect(await page.textContent('h1')).toBe('Connect your Acme Tasks (sandbox) account');
    expect(await page.textContent('body')).toContain('Task Pilot');
    await page.screenshot({ path: artifactPath('connect-1-hosted-page.png') });
    await page.click('button[type=submit]');

    await page.waitForSelector('input[name=username]');
    await page.fill('input[name=username]', 'alice');
    await page.fill('input[name=password]', 'alice-pass');
    await page.click('button[type=submit]');

    await page.waitForSelector('button[name=decision][value=approve]');
    await page.screenshot({ path: artifactPath('connect-2-consent.png') });
    await page.click('button[name=decision][value=approve]');

    await page.waitForSelector('h1:text("Connected")');
    expect(page.url()).toContain(`${gh.url}/oauth/callback`);
    await page.screenshot({ path: artifactPath('connect-3-success.png') });
    await page.close();

    const link = (await gh.call('GET', `/v1/connect/links/${id}`, { key: apiKey })).body as {
      status: string;
      connectedAccountId: string;
    };
    expect(link.status).toBe('COMPLETED');
    const account = (
      await gh.call('GET', `/v1/connected-accounts/${link.connectedAccountId}`, { key: apiKey })
    ).body as {
      status: string;
      upstreamAccount: { id: string };
    };
    expect(account).toMatchObject({ status: 'ACTIVE', upstreamAccount: { id: 'alice' } });
  });
});
